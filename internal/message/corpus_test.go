package message

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusRoundTrip wraps each real-world body of the shared corpus in a
// message, in each transfer encoding, and checks that Read gives the body
// back unchanged but for LF line endings and no byte order mark.
func TestCorpusRoundTrip(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "corpus")
	var names []string
	for _, pattern := range []string{"email-reply-parser/test/fixtures/*.txt", "email-forward-parser/fixtures/*_body*.txt"} {
		found, err := filepath.Glob(filepath.Join(shared, pattern))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, found...)
	}
	if len(names) == 0 {
		t.Skip("shared corpus not beside the repository")
	}
	for _, name := range names {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		body := string(raw)
		// A leading byte order mark is dropped by design.
		want := strings.TrimPrefix(strings.ReplaceAll(body, "\r\n", "\n"), "\ufeff")
		encoded := map[string]string{
			"8bit":             body,
			"quoted-printable": qp(body),
			"base64":           base64.StdEncoding.EncodeToString(raw),
		}
		for cte, enc := range encoded {
			in := "From: a@example.com\r\nDate: Mon, 7 Apr 2025 10:00:00 +0000\r\nSubject: corpus\r\nContent-Type: multipart/alternative; boundary=\"=_b\"\r\n\r\n" +
				"--=_b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: " + cte + "\r\n\r\n" +
				enc + "\r\n--=_b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html</p>\r\n--=_b--\r\n"
			m, err := Read(strings.NewReader(in), Options{})
			if err != nil {
				t.Fatalf("%s (%s): Read() error = %v", filepath.Base(name), cte, err)
			}
			if m.Text != want {
				t.Errorf("%s (%s): Text differs from the body:\ngot  %q\nwant %q", filepath.Base(name), cte, m.Text, want)
			}
			if len(m.Warnings) > 0 {
				t.Errorf("%s (%s): Warnings = %q, want none", filepath.Base(name), cte, m.Warnings)
			}
		}
	}
}
