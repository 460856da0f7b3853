package dsn

import (
	"testing"

	"github.com/emersion/go-message"
)

func TestDecodeHeaderText_MatchesGoMessage(t *testing.T) {
	values := []string{
		"plain subject",
		"=?utf-8?q?caf=C3=A9?=",
		"=?ISO-2022-JP?B?GyRCJWEhPCVrGyhC?= undeliverable",
		"=?koi8-r?b?8NLJ18XU?=",
		"=?windows-1251?Q?=CF=F0=E8=E2=E5=F2?=",
		"=?shift_jis?B?g4GBW4OL?=",
		"=?x-unknown?q?abc?=",
		"=?ansi_x3.110-1983?q?abc?=",
		"=?iso-8859-1?q?r=E9ponse?= =?us-ascii?q?ok?=",
		"=?utf-8?b?not base64?=",
	}
	for _, v := range values {
		var h message.Header
		h.Set("Subject", v)
		want, wantErr := h.Text("Subject")

		got, err := decodeHeaderText(v)
		if got != want {
			t.Errorf("decodeHeaderText(%q) = %q, go-message gives %q", v, got, want)
		}
		if (err != nil) != (wantErr != nil) {
			t.Errorf("decodeHeaderText(%q) error = %v, go-message gives %v", v, err, wantErr)
		}
	}
}
