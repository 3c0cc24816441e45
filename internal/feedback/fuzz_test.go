package feedback

import (
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecode checks that Decode never panics, refuses with ErrMalformed
// only, and that what it accepts keeps its promises: a known type's
// recipients are usable addresses, each once, sorted, and bounded.
func FuzzDecode(f *testing.F) {
	for _, file := range fixtures(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"\"A\" <a@b>"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Decode error %v is not ErrMalformed", err)
			}
			return
		}
		if n.Type == "" {
			t.Fatal("Decode accepted a notification without a type")
		}
		known := n.Type == Bounce || n.Type == Complaint
		if known && len(n.Recipients) == 0 {
			t.Fatalf("Decode accepted a %s without recipients", n.Type)
		}
		if len(n.Recipients) > MaxRecipients {
			t.Fatalf("Decode kept %d recipients, over %d", len(n.Recipients), MaxRecipients)
		}
		for i, r := range n.Recipients {
			again, ok := bareAddress(r.Address)
			if !ok || again != r.Address || len(r.Address) > maxAddress || !utf8.ValidString(r.Address) {
				t.Fatalf("recipient %q is not a bare address", r.Address)
			}
			if i > 0 && n.Recipients[i-1].Address >= r.Address {
				t.Fatalf("recipients not sorted and unique: %q then %q", n.Recipients[i-1].Address, r.Address)
			}
			if len(r.Diagnostic) > maxDiagnostic || strings.ContainsAny(r.Diagnostic, "\r\n") || !utf8.ValidString(r.Diagnostic) {
				t.Fatalf("diagnostic %q is not one bounded line", r.Diagnostic)
			}
		}
		for _, s := range []string{string(n.Type), n.MessageID, n.FeedbackID, n.BounceType, n.BounceSubType, n.ComplaintType} {
			if len(s) > maxField || strings.ContainsAny(s, "\r\n") {
				t.Fatalf("field %q is not one bounded line", s)
			}
		}
	})
}
