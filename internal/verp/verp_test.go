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
	}{
		{"no at", "bounces", "", "alice"},
		{"dash in prefix", "my-bounces", "", "alice@example.com"},
		{"plus in tag", "bounces", "a+b", "alice@example.com"},
		{"equals in tag", "bounces", "a=b", "alice@example.com"},
		{"empty prefix", "", "", "alice@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := Encode(tt.prefix, tt.tag, tt.recipient, "b.example.org"); ok {
				t.Errorf("Encode(%q, %q, %q) = %q, want failure", tt.prefix, tt.tag, tt.recipient, got)
			}
		})
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
