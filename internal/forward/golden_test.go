package forward

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/own")

// goldenAddress, goldenMessage and goldenResult are the JSON shape of the
// golden files: a stable, readable rendering of Result.
type goldenAddress struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

type goldenMessage struct {
	From     goldenAddress   `json:"from"`
	To       []goldenAddress `json:"to"`
	Cc       []goldenAddress `json:"cc"`
	Date     string          `json:"date"`
	DateText string          `json:"date_text"`
	Subject  string          `json:"subject"`
	Body     string          `json:"body"`
}

type goldenResult struct {
	IsForward bool            `json:"is_forward"`
	Message   string          `json:"message"`
	Forwarded []goldenMessage `json:"forwarded"`
}

func goldenAddresses(list []mail.Address) []goldenAddress {
	out := []goldenAddress{}
	for _, a := range list {
		out = append(out, goldenAddress(a))
	}
	return out
}

func toGolden(res Result, ok bool) goldenResult {
	g := goldenResult{IsForward: ok, Message: res.Message, Forwarded: []goldenMessage{}}
	for _, m := range res.Forwarded {
		gm := goldenMessage{
			From:     goldenAddress(m.From),
			To:       goldenAddresses(m.To),
			Cc:       goldenAddresses(m.Cc),
			DateText: m.DateText,
			Subject:  m.Subject,
			Body:     m.Body,
		}
		if !m.Date.IsZero() {
			gm.Date = m.Date.Format(time.RFC3339)
		}
		g.Forwarded = append(g.Forwarded, gm)
	}
	return g
}

// splitOwn splits a testdata/own file into its subject (the first line,
// "Subject: ...") and its body (after the blank line that follows).
func splitOwn(t *testing.T, data string) (string, string) {
	t.Helper()
	head, body, ok := strings.Cut(data, "\n")
	if !ok || !strings.HasPrefix(head, "Subject: ") {
		t.Fatalf("want a first line \"Subject: ...\", got %q", head)
	}
	body = strings.TrimPrefix(strings.TrimPrefix(body, "\r\n"), "\n")
	return strings.TrimSuffix(strings.TrimPrefix(head, "Subject: "), "\r"), body
}

// TestGolden parses our own forwards in testdata/own/*.txt and compares
// the reading with the .json beside each; -update rewrites them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "own", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("found %d golden inputs, want at least 15", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			subject, body := splitOwn(t, string(data))
			res, ok := Parse(subject, body)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(toGolden(res, ok)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			goldenFile := strings.TrimSuffix(file, ".txt") + ".json"
			if *update {
				if err := os.WriteFile(goldenFile, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenFile)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) =\n%s\nwant\n%s", name, got, want)
			}
		})
	}
}
