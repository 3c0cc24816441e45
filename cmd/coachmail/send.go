package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/smtp"
	"os"
	"strings"
	"time"

	"github.com/coachmail/coachmail/internal/local"
)

// sendCmd sends one email over SMTP, for trying out the local mode without
// a mail client: either a whole message (--eml FILE) or one made from the
// flags with the body read from standard input.
func sendCmd(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("smtp", local.DefaultSMTPAddr, "SMTP server")
	from := fs.String("from", "", "sender address (required)")
	var to stringList
	fs.Var(&to, "to", "recipient address (required; repeat for more)")
	subject := fs.String("subject", "", "subject")
	inReplyTo := fs.String("in-reply-to", "", "Message-ID this email answers; also its References")
	eml := fs.String("eml", "", "send this whole message file (- for standard input) instead of building one")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *from == "" || len(to) == 0 || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: coachmail send --from ADDR --to ADDR [--subject S] [--in-reply-to ID] < body.txt\n       coachmail send --from ADDR --to ADDR --eml MESSAGE.eml")
		return 2
	}
	var raw []byte
	var err error
	switch {
	case *eml == "-":
		raw, err = io.ReadAll(io.LimitReader(stdin, 40<<20))
	case *eml != "":
		raw, err = readFile(*eml)
	default:
		var body []byte
		if body, err = io.ReadAll(io.LimitReader(stdin, 10<<20)); err == nil {
			raw, err = buildMessage(*from, to, *subject, *inReplyTo, string(body), time.Now())
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "coachmail send: %v\n", err)
		return 1
	}
	if err := smtp.SendMail(*server, nil, *from, to, raw); err != nil {
		fmt.Fprintf(stderr, "coachmail send: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "sent %d bytes to %s\n", len(raw), strings.Join(to, ", "))
	return 0
}

// buildMessage writes a plain-text UTF-8 message.
func buildMessage(from string, to []string, subject, inReplyTo, body string, now time.Time) ([]byte, error) {
	for _, a := range append([]string{from}, to...) {
		if _, err := mail.ParseAddress(a); err != nil {
			return nil, fmt.Errorf("address %q: %w", a, err)
		}
	}
	if strings.ContainsAny(subject+inReplyTo, "\r\n") {
		return nil, fmt.Errorf("subject and message id must be one line")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\n", from, strings.Join(to, ", "))
	if subject != "" {
		fmt.Fprintf(&b, "Subject: %s\r\n", mimeHeader(subject))
	}
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%d.%s>\r\n", now.UnixNano(), "send@coachmail.localhost")
	if id := strings.Trim(inReplyTo, "<> "); id != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", id, id)
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	b.WriteString(body)
	if !strings.HasSuffix(body, "\r\n") {
		b.WriteString("\r\n")
	}
	return b.Bytes(), nil
}

// mimeHeader encodes a header value as RFC 2047 encoded words when it is
// not ASCII.
func mimeHeader(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return mime.QEncoding.Encode("utf-8", s)
		}
	}
	return s
}

// readFile reads a message file of at most 40 MiB.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 40<<20+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > 40<<20 {
		return nil, fmt.Errorf("%s is over 40 MiB", name)
	}
	return data, nil
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}
