package token

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary strings to Verify: it must never panic, must
// return exactly one of the package's errors or a token, and whatever it
// accepts must be a token it could have signed (same string from Sign).
func FuzzVerify(f *testing.F) {
	kr, err := NewKeyring("k1", map[string][]byte{"k1": key1, "old": key2})
	if err != nil {
		f.Fatal(err)
	}
	old, _ := NewKeyring("old", map[string][]byte{"old": key2})
	for _, p := range []Purpose{Prompt, Unsubscribe} {
		s, _ := kr.Sign(Token{ID: NewID(), Purpose: p, Expires: midnight})
		f.Add(s)
		f.Add(strings.ToUpper(s))
		f.Add(s[:len(s)-2])
		s, _ = old.Sign(Token{ID: NewID(), Purpose: p, Expires: midnight})
		f.Add(s)
	}
	f.Add("")
	f.Add("reply+abc@example.com")
	f.Add(strings.Repeat("z", 200))
	now := midnight.Add(-time.Hour)
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := kr.Verify(s, now)
		if err != nil {
			for _, known := range []error{ErrMalformed, ErrUnknownKey, ErrBadSignature, ErrExpired} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("Verify(%q) = %v, not one of the package's errors", s, err)
		}
		signer := kr
		if tok.KeyID == "old" {
			signer = old
		}
		again, err := signer.Sign(tok)
		if err != nil {
			t.Fatalf("Sign(Verify(%q)) = %v", s, err)
		}
		if again != strings.ToLower(s) {
			t.Fatalf("Sign(Verify(%q)) = %q, want the same token", s, again)
		}
	})
}
