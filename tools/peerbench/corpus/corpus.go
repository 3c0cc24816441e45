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
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
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
// output and to the expectation before they are compared, so that only
// which lines a reader keeps counts, not how it spaces them: CRLF and CR
// become LF, trailing blanks of each line go, and blank lines go.
func Normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimRight(l, " \t\u00a0"); l != "" {
			out = append(out, l)
		}
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

// Large returns a leader's reply of about size bytes (at least 64 KiB):
// a short text and HTML answer, a board deck (PDF), a photo (JPEG) and a
// spreadsheet attached, base64-encoded as clients send them. The attached
// bytes are pseudo-random (fixed seed), so they neither compress nor
// repeat. It is the message for measuring time and memory at the size
// limit; LargeAttachments says what it carries.
func Large(size int) []byte {
	size = max(size, 64<<10)
	rng := rand.New(rand.NewChaCha8([32]byte{'c', 'o', 'a', 'c', 'h'}))
	var b bytes.Buffer
	b.Grow(size + 4096)
	b.WriteString("From: Dana Whitfield <dana.whitfield@northwind.example>\r\n" +
		"To: Sam Okafor via coachmail <" + replyTo.Address + ">\r\n" +
		"Subject: Re: Before Thursday's session: what matters most?\r\n" +
		"Date: Wed, 11 Mar 2026 19:42:08 +0000\r\n" +
		"Message-ID: <large-reply@mail.northwind.example>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"mixed-7d1f\"\r\n\r\n" +
		"--mixed-7d1f\r\nContent-Type: multipart/alternative; boundary=\"alt-7d1f\"\r\n\r\n" +
		"--alt-7d1f\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + LargeReplyText + "\r\n\r\n" +
		"On Wed, 11 Mar 2026 at 10:00, Sam Okafor via coachmail wrote:\r\n> What's the most important thing to work on?\r\n\r\n" +
		"--alt-7d1f\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<div>" + LargeReplyText + "</div><blockquote class=\"gmail_quote\">What's the most important thing to work on?</blockquote>\r\n" +
		"--alt-7d1f--\r\n")
	head := b.Len()
	// The deck takes what the photo, the sheet and the MIME framing leave.
	const photo, sheet = 3 << 20, 1 << 20
	encoded := func(n int) int { return (n+2)/3*4 + (n+2)/3*4/76*2 + 2 }
	deck := (size - head - encoded(photo) - encoded(sheet) - 3*200) * 3 / 4 * 76 / 78
	for _, a := range []struct {
		name, ctype string
		n           int
	}{
		{"board-deck-march.pdf", "application/pdf", max(deck, 1024)},
		{"offsite-team.jpg", "image/jpeg", photo},
		{"hiring-plan.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", sheet},
	} {
		data := make([]byte, a.n)
		for i := 0; i+8 <= len(data); i += 8 {
			binary.LittleEndian.PutUint64(data[i:], rng.Uint64())
		}
		fmt.Fprintf(&b, "--mixed-7d1f\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", a.ctype, a.name, a.name)
		enc := base64.StdEncoding.EncodeToString(data)
		for len(enc) > 76 {
			b.WriteString(enc[:76])
			b.WriteString("\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--mixed-7d1f--\r\n")
	return b.Bytes()
}

// LargeReplyText is the answer written in the message Large returns.
const LargeReplyText = "Deck and photos attached. The real thing for tomorrow: I present to the board on the 24th and I still can't say what I want from them."

// LargeAttachments are the file names Large attaches, in order.
var LargeAttachments = []string{"board-deck-march.pdf", "offsite-team.jpg", "hiring-plan.xlsx"}
