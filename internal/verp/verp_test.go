package verp

import "testing"

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		addr string
		want Address
		ok   bool
	}{
		{"plain", "bounces+alice=example.com@bounces.example.org",
			Address{Prefix: "bounces", Recipient: "alice@example.com"}, true},
		{"tag", "bounces-c42+alice=example.com@b.example.org",
			Address{Prefix: "bounces", Tag: "c42", Recipient: "alice@example.com"}, true},
		{"equals in local part", "b+a=b=example.com@b.example.org",
			Address{Prefix: "b", Recipient: "a=b@example.com"}, true},
		{"plus in recipient", "b+alice+news=example.com@b.example.org",
			Address{Prefix: "b", Recipient: "alice+news@example.com"}, true},
		{"no plus", "bounces@b.example.org", Address{}, false},
		{"no equals", "bounces+alice@b.example.org", Address{}, false},
		{"empty user", "b+=example.com@b.example.org", Address{}, false},
		{"empty domain", "b+alice=@b.example.org", Address{}, false},
		{"no at", "b+alice=example.com", Address{}, false},
		{"empty", "", Address{}, false},
		{"at sign in user", "+@=0@b.example.org", Address{}, false},
		{"signed", "bounces=k3x9a2bq+alice=example.com@b.example.org",
			Address{Prefix: "bounces", Recipient: "alice@example.com", Signature: "k3x9a2bq"}, true},
		{"signed with tag", "bounces-c42=k3x9a2bq+alice=example.com@b.example.org",
			Address{Prefix: "bounces", Tag: "c42", Recipient: "alice@example.com", Signature: "k3x9a2bq"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Decode(tt.addr)
			if ok != tt.ok {
				t.Fatalf("Decode(%q) ok = %v, want %v", tt.addr, ok, tt.ok)
			}
			if got != tt.want {
				t.Errorf("Decode(%q) = %+v, want %+v", tt.addr, got, tt.want)
			}
		})
	}
}

func TestEncode_RoundTrip(t *testing.T) {
	tests := []struct {
		name                         string
		prefix, tag, recipient, want string
	}{
		{"plain", "bounces", "", "alice@example.com", "bounces+alice=example.com@b.example.org"},
		{"tag", "bounces", "c42", "alice@example.com", "bounces-c42+alice=example.com@b.example.org"},
		{"plus in recipient", "b", "", "alice+news@example.com", "b+alice+news=example.com@b.example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Encode(tt.prefix, tt.tag, tt.recipient, "b.example.org")
			if !ok || got != tt.want {
				t.Fatalf("Encode = %q, %v; want %q", got, ok, tt.want)
			}
			a, ok := Decode(got)
			if !ok || a.Recipient != tt.recipient || a.Tag != tt.tag || a.Prefix != tt.prefix {
				t.Errorf("Decode(%q) = %+v, %v; want the encoded parts", got, a, ok)
			}
		})
	}
}

func TestEncode_Rejects(t *testing.T) {
	tests := []struct {
		name                   string
		prefix, tag, recipient string
		domain                 string
		want                   string
	}{
		{"no at", "bounces", "", "alice", "b.example.org",
			`recipient "alice" is not an address of the form local-part@domain`},
		{"empty local part", "bounces", "", "@example.com", "b.example.org",
			`recipient "@example.com" is not an address of the form local-part@domain`},
		{"equals in recipient domain", "bounces", "", "alice@ex=ample.com", "b.example.org",
			`recipient domain "ex=ample.com" contains '=' or '+', which no domain name has`},
		{"empty bounce domain", "bounces", "", "alice@example.com", "",
			"bounce domain is empty"},
		{"empty prefix", "", "", "alice@example.com", "b.example.org",
			"prefix is empty"},
		{"dash in prefix", "my-bounces", "", "alice@example.com", "b.example.org",
			`prefix "my-bounces" contains '-', which starts the tag in a VERP address`},
		{"at sign in prefix", "a@b", "", "alice@example.com", "b.example.org",
			`prefix "a@b" contains '@', which starts the bounce domain in a VERP address`},
		{"space in prefix", "my bounces", "", "alice@example.com", "b.example.org",
			`prefix "my bounces" contains ' ', which is not allowed in the local part of an address`},
		{"plus in tag", "bounces", "a+b", "alice@example.com", "b.example.org",
			`tag "a+b" contains '+', which starts the encoded recipient in a VERP address`},
		{"equals in tag", "bounces", "a=b", "alice@example.com", "b.example.org",
			`tag "a=b" contains '=', which starts the signature in a VERP address`},
		{"quote in tag", "bounces", `a"b`, "alice@example.com", "b.example.org",
			`tag "a\"b" contains '"', which is not allowed in the local part of an address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := Encode(tt.prefix, tt.tag, tt.recipient, tt.domain); ok {
				t.Errorf("Encode(%q, %q, %q) = %q, want failure", tt.prefix, tt.tag, tt.recipient, got)
			}
			err := Check(tt.prefix, tt.tag, tt.recipient, tt.domain)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Check error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCheck_AcceptsAtextTag(t *testing.T) {
	if err := Check("bounces.v2", "c-42_x.y", "alice@example.com", "b.example.org"); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("bounces-c42+alice=example.com@b.example.org")
	f.Add("bounces-c42=k3x9a2bq+alice=example.com@b.example.org")
	f.Add("+=@")
	f.Add("==+=@")
	keys := Keys{[]byte("fuzz-key-0123456789")}
	f.Fuzz(func(t *testing.T, addr string) {
		a, ok := Decode(addr)
		if !ok {
			return
		}
		if a.Recipient == "" || a.Recipient[0] == '@' || a.Recipient[len(a.Recipient)-1] == '@' {
			t.Fatalf("Decode(%q) gave recipient %q", addr, a.Recipient)
		}

		// Whatever decodes, re-signed, must verify: signing and
		// verification agree on every recipient.
		signed, err := keys.Sign("b", "", a.Recipient, "b.example.org")
		if err != nil {
			return
		}
		b, ok := Decode(signed)
		if !ok || !keys.Verify(b) {
			t.Fatalf("Sign(%q) = %q does not verify", a.Recipient, signed)
		}
	})
}
