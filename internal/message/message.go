package message

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"

	"github.com/coachmail/coachmail/internal/htmltext"
	"github.com/emersion/go-message/textproto"
)

var (
	// ErrTooLarge is returned for a message larger than Options.MaxSize.
	ErrTooLarge = errors.New("message: too large")
	// ErrNotMessage is returned for input that has no header section: empty
	// input, or input whose first line is not a header field.
	ErrNotMessage = errors.New("message: not a message")
)

// Defaults for the zero values of Options.
const (
	DefaultMaxSize        = 40 << 20
	DefaultMaxDepth       = 30
	DefaultMaxParts       = 1000
	DefaultMaxHeaderBytes = 256 << 10
	DefaultMaxTextBytes   = 8 << 20
)

// Options bound the work Read does. The zero value gives the defaults.
type Options struct {
	// MaxSize is the largest message accepted, in bytes; Read fails with
	// ErrTooLarge beyond it. Zero means DefaultMaxSize (40 MiB); negative
	// means no limit.
	MaxSize int64
	// MaxDepth bounds the nesting of multiparts and attached messages. Parts
	// nested deeper are skipped with a warning. Zero means DefaultMaxDepth.
	MaxDepth int
	// MaxParts bounds the number of MIME parts read in the whole message,
	// attached messages included. Parts beyond it are skipped with a
	// warning. Zero means DefaultMaxParts.
	MaxParts int
	// MaxHeaderBytes bounds each header section (of the message, of a
	// part, of an attached message). Fields beyond it are dropped with a
	// warning. Zero means DefaultMaxHeaderBytes.
	MaxHeaderBytes int
	// MaxTextBytes bounds each text, HTML and calendar part kept in memory,
	// after transfer decoding. Longer parts are cut with a warning. Zero
	// means DefaultMaxTextBytes (8 MiB).
	MaxTextBytes int
}

func (o Options) withDefaults() Options {
	if o.MaxSize == 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxParts <= 0 {
		o.MaxParts = DefaultMaxParts
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if o.MaxTextBytes <= 0 {
		o.MaxTextBytes = DefaultMaxTextBytes
	}
	return o
}

// Message is the reading of one email. Text is UTF-8 with LF line endings;
// addresses are bare and lower-cased in Address; message ids have no angle
// brackets.
type Message struct {
	// Header holds the header fields as written (unfolded, not decoded).
	Header textproto.Header

	MessageID  string
	InReplyTo  string   // the first id of In-Reply-To
	References []string // oldest first
	From       mail.Address
	To         []mail.Address
	Cc         []mail.Address
	ReplyTo    []mail.Address
	Date       time.Time // in the zone offset the message gave; zero if absent or unreadable
	Subject    string

	// Text is the main text/plain body; HTML the main text/html body. In a
	// multipart/alternative, the last non-empty alternative of each type
	// wins; in other multiparts, inline text parts are joined in order.
	Text string
	HTML string

	// Calendars holds each distinct text/calendar (or application/ics)
	// part, inline or attached, transfer-decoded and in UTF-8.
	Calendars [][]byte
	// Attached holds the message/rfc822 (and message/global) parts, read
	// recursively, and the text/rfc822-headers parts of bounces, read as
	// messages with a header only.
	Attached []*Message
	// Attachments lists every part that is neither body text nor report
	// machinery: files, inline images, attached messages and calendars.
	Attachments []Attachment

	// AutoReply is set for automatic responses; AutoReplyReason says why.
	// See the package documentation for the rules.
	AutoReply       bool
	AutoReplyReason string
	// Bounce is set for delivery failure reports; BouncedRecipients holds
	// the failed recipients, lower-cased.
	Bounce            bool
	BouncedRecipients []string
	// TransientBounces are the BouncedRecipients whose delivery status says
	// the failure is not about the address itself (a full mailbox, a
	// message too large, a policy or system refusal, a 4.x.x the server gave
	// up on): mail to them may well succeed later.
	TransientBounces []string

	// Warnings says what was odd about the message and how it was read.
	Warnings []string
}

// Attachment describes a part that was not read into the text.
type Attachment struct {
	Filename    string `json:"filename"`     // base name, decoded; empty if the part has none
	ContentType string `json:"content_type"` // lower-case media type, without parameters
	Size        int64  `json:"size"`         // bytes after transfer decoding
	Inline      bool   `json:"inline"`       // shown in the body (disposition inline, or a resource of multipart/related)
}

// BodyText returns Text, or the HTML body converted to text when the message
// has no plain text.
func (m *Message) BodyText() string {
	if strings.TrimSpace(m.Text) != "" {
		return m.Text
	}
	if m.HTML == "" {
		return m.Text
	}
	return htmltext.Convert(m.HTML, htmltext.Options{})
}

// Read reads one message from r. It fails only for input that is not a
// message at all (ErrNotMessage), input larger than opts.MaxSize
// (ErrTooLarge) and read errors of r; anything else gives a Message, with
// Warnings saying what was broken. Read consumes r to its end, up to
// opts.MaxSize bytes, so that the size limit holds whatever the structure.
//
// Read does not panic on any input. As a last guard, an unexpected panic
// inside it is turned into an error wrapping the panic value, so that one
// bad message cannot take a batch down; that is a bug to report, not a
// reading.
func Read(r io.Reader, opts Options) (m *Message, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("message: internal error reading message: %v", p)
		}
	}()
	opts = opts.withDefaults()
	src := &sizeReader{r: r, max: opts.MaxSize}
	rd := &reader{opts: opts, src: src}
	if l, ok := r.(lener); ok {
		// Input of known length (bytes.Reader, strings.Reader) bounds
		// every stream read from it, transfer decoding only shrinking.
		rd.known, rd.bound = l, l.Len()
	}
	br := bufio.NewReaderSize(src, rd.bufSize(8<<10))
	rd.top = br
	m, err = rd.message(br, 0)
	if err == nil {
		_, err = io.Copy(io.Discard, br)
	}
	switch {
	case src.over:
		return nil, ErrTooLarge
	case src.err != nil:
		return nil, fmt.Errorf("read message: %w", src.err)
	case err != nil:
		return nil, err
	}
	return m, nil
}

// sizeReader enforces Options.MaxSize and keeps the first error of the
// underlying reader, which the MIME layers above may wrap or drop.
type sizeReader struct {
	r    io.Reader
	n    int64
	max  int64 // negative: no limit
	over bool
	err  error
}

func (s *sizeReader) Read(p []byte) (int, error) {
	if s.over {
		return 0, ErrTooLarge
	}
	if s.max >= 0 && int64(len(p)) > s.max-s.n+1 {
		p = p[:s.max-s.n+1]
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.max >= 0 && s.n > s.max {
		s.over = true
		return n, ErrTooLarge
	}
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}
