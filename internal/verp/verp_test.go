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

func FuzzDecode(f *testing.F) {
	f.Add("bounces-c42+alice=example.com@b.example.org")
	f.Add("+=@")
	f.Fuzz(func(t *testing.T, addr string) {
		a, ok := Decode(addr)
		if !ok {
			return
		}
		if a.Recipient == "" || a.Recipient[0] == '@' || a.Recipient[len(a.Recipient)-1] == '@' {
			t.Fatalf("Decode(%q) gave recipient %q", addr, a.Recipient)
		}
	})
}
