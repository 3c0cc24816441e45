// Package corpus loads the shared real-world mail corpus with the readings
// the project expects of it, and wraps each fixture into a whole RFC 5322
// message, so that every reader (ours and the peers in peerbench, and the
// end-to-end tests of package reading) is judged on the same data against
// the same expectations.
//
// The expectations are not restated here. Reply texts are the want files of
// package reply (internal/reply/testdata/corpus/want). Forward readings are
// the Go data of package forward's corpus test
// (internal/forward/corpus_test.go): Forwards compiles the declarations
// behind its corpusCases function into a throw-away program and runs it, so
// the two can never drift apart.
//
// The fixtures are bare text bodies, not messages. Wrap gives each one the
// headers a real client would send (RFC 5322, MIME per RFC 2045 with a
// transfer encoding that varies from fixture to fixture), addressed the way
// coachmail receives it: a leader's reply to a reply+TOKEN address, a
// coach's forward to the notes address.
package corpus

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ErrMissing is returned when a corpus folder or file is not where the
// repository keeps it.
var ErrMissing = errors.New("corpus: fixtures not found")

// Reply is one fixture of the shared email-reply-parser corpus.
type Reply struct {
	Name  string // fixture name without .txt
	Input string // the text/plain body as the client wrote it
	Want  string // the reply text a person reads in it, without the final newline
}

// Replies reads the reply corpus of package reply: dir is its
// testdata/corpus folder, holding input/NAME.txt and want/NAME.txt.
func Replies(dir string) ([]Reply, error) {
	inputs, err := filepath.Glob(filepath.Join(dir, "input", "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("list reply fixtures: %w", err)
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%w: no reply fixtures in %s", ErrMissing, dir)
	}
	sort.Strings(inputs)
	out := make([]Reply, 0, len(inputs))
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		input, err := os.ReadFile(in)
		if err != nil {
			return nil, fmt.Errorf("read reply fixture: %w", err)
		}
		want, err := os.ReadFile(filepath.Join(dir, "want", name+".txt"))
		if err != nil {
			return nil, fmt.Errorf("read expected reply text of %s: %w", name, err)
		}
		out = append(out, Reply{Name: name, Input: string(input), Want: strings.TrimSuffix(string(want), "\n")})
	}
	return out, nil
}

// Normalize is the whitespace normalisation applied to every reader's
// output and to the expectation before they are compared: CRLF and CR
// become LF, trailing blanks of each line go, runs of blank lines become
// one, and blank lines at either end go.
func Normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\u00a0")
		if l == "" {
			blank = true
			continue
		}
		if blank && len(out) > 0 {
			out = append(out, "")
		}
		blank = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// Encoding is the Content-Transfer-Encoding a wrapped fixture is sent with.
type Encoding string

// The transfer encodings Wrap uses, in turn.
const (
	QuotedPrintable Encoding = "quoted-printable"
	Base64          Encoding = "base64"
	EightBit        Encoding = "8bit"
)

// EncodingFor spreads the transfer encodings over the fixtures by index, so
// that each encoding meets every kind of fixture somewhere.
func EncodingFor(i int) Encoding {
	return []Encoding{QuotedPrintable, Base64, EightBit}[i%3]
}

// Envelope is what Wrap puts around a body.
type Envelope struct {
	From      mail.Address
	To        mail.Address
	Subject   string
	Date      time.Time
	MessageID string // without angle brackets
	InReplyTo string // without angle brackets; empty for none
	Encoding  Encoding
}

// Wrap returns an RFC 5322 message with one text/plain UTF-8 part holding
// body byte for byte (8bit bodies get CRLF line ends, as SMTP carries them).
func Wrap(env Envelope, body string) []byte {
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", env.From.String())
	hdr("To", env.To.String())
	hdr("Subject", mime.BEncoding.Encode("utf-8", env.Subject))
	hdr("Date", env.Date.Format(time.RFC1123Z))
	hdr("Message-ID", "<"+env.MessageID+">")
	if env.InReplyTo != "" {
		hdr("In-Reply-To", "<"+env.InReplyTo+">")
		hdr("References", "<"+env.InReplyTo+">")
	}
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=utf-8")
	enc := env.Encoding
	if enc == "" {
		enc = QuotedPrintable
	}
	hdr("Content-Transfer-Encoding", string(enc))
	b.WriteString("\r\n")
	switch enc {
	case Base64:
		s := base64.StdEncoding.EncodeToString([]byte(body))
		for len(s) > 76 {
			b.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		b.WriteString(s + "\r\n")
	case EightBit:
		body = strings.ReplaceAll(body, "\r\n", "\n")
		b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	default:
		w := quotedprintable.NewWriter(&b)
		w.Write([]byte(body)) // a bytes.Buffer does not fail
		w.Close()
	}
	return b.Bytes()
}

// The people and addresses of the wrapped corpus.
var (
	leader     = mail.Address{Name: "Dana Whitfield", Address: "dana.whitfield@northwind.example"}
	coach      = mail.Address{Name: "Sam Okafor", Address: "sam@okafor-coaching.example"}
	replyTo    = mail.Address{Address: "reply+s7.l3.focus.1799712000.Zm9jdXM@in.coachmail.example"}
	notesTo    = mail.Address{Address: "notes@in.coachmail.example"}
	corpusDate = time.Date(2026, 3, 10, 8, 15, 0, 0, time.UTC)
)

// ReplyMessage wraps the i-th reply fixture as a leader's answer to a
// prompt.
func ReplyMessage(r Reply, i int) []byte {
	return Wrap(Envelope{
		From: leader, To: replyTo,
		Subject:   "Re: Before Thursday's session: what matters most?",
		Date:      corpusDate.Add(time.Duration(i) * time.Minute),
		MessageID: "reply-" + r.Name + "@mail.northwind.example",
		InReplyTo: "prompt-" + r.Name + "@in.coachmail.example",
		Encoding:  EncodingFor(i),
	}, r.Input)
}
