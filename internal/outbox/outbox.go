// Package outbox is where local mode's outgoing mail ends up instead of the
// world: an SES v2-compatible endpoint that captures every message, keeps it
// as an .eml file that any mail client opens, and shows it on a small web
// page with a JSON API beside it.
//
// The endpoint speaks the part of the SES v2 API that coachmail uses:
// SendEmail (POST /v2/email/outbound-emails) with Content.Raw, in the
// restJson1 protocol of the AWS SDK, so that the dispatcher runs the real
// internal/ses adapter and SDK client against it, exactly as in AWS. It
// departs from SES in what it does not check: signatures, verified
// identities, sending quotas and configuration sets are accepted as given,
// and Simple and Template content are refused (BadRequestException) rather
// than rendered.
//
// Messages are RFC 5322 as the dispatcher wrote them, stored unchanged under
// the outbox folder as <id>.eml (mode 0600: coaching mail is confidential),
// read back on start so that the outbox survives restarts. They are read
// with internal/message for display; threads follow References and
// In-Reply-To (RFC 5322 section 3.6.4).
//
// The web page treats every message as untrusted, although coachmail wrote
// it: all text goes through html/template, and a message's HTML is served
// apart, into an iframe with an empty sandbox attribute and a
// Content-Security-Policy whose sandbox directive keeps scripts, forms and
// the page's origin away from it even when it is opened on its own.
package outbox

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coachmail/coachmail/internal/message"
)

// Errors of the package.
var (
	// ErrNotFound: no message has that id.
	ErrNotFound = errors.New("outbox: no such message")
	// ErrInvalid: what was handed in is not a message the outbox keeps
	// (empty, unreadable, or over MaxSize).
	ErrInvalid = errors.New("outbox: invalid message")
)

// MaxSize is the largest raw message kept, SES v2's own limit.
const MaxSize = 40 << 20

// idPattern is the form of a message id: the capture time in nanoseconds
// since 1970, 16 hex digits, so that ids sort in capture order, and 8
// random hex digits.
var idPattern = regexp.MustCompile(`^[0-9a-f]{16}-[0-9a-f]{8}$`)

// Message is what the outbox knows of one captured message, without its
// bodies (Detail has them).
type Message struct {
	// ID is the outbox's id, which SendEmail answers as the SES message id.
	ID string `json:"id"`
	// Captured is when the outbox received the message.
	Captured time.Time `json:"captured"`
	// Envelope is the sender and recipients of the SendEmail call; after a
	// restart, the From and To (and Cc) headers stand in for it.
	Envelope Envelope `json:"envelope"`
	// Date is the Date header, zero when absent.
	Date      time.Time `json:"date"`
	From      string    `json:"from"`    // the From header, decoded
	To        []string  `json:"to"`      // the To header, decoded, one entry per address
	ReplyTo   []string  `json:"replyTo"` // bare addresses
	Subject   string    `json:"subject"` // decoded
	MessageID string    `json:"messageId"`
	InReplyTo string    `json:"inReplyTo,omitempty"`
	// References are the thread's earlier message ids, oldest first.
	References []string `json:"references,omitempty"`
	// Thread is the id of the message that started the thread: the first
	// of References, else In-Reply-To, else the message's own id.
	Thread string `json:"thread"`
	Size   int    `json:"size"`
}

// Envelope is the SMTP-level sender and recipients of a message.
type Envelope struct {
	From string   `json:"from"`
	To   []string `json:"to"`
}

// Field is one header field.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"` // decoded when it held RFC 2047 encoded words
}

// Detail is a whole message: its summary, every header field in order,
// and the text and HTML bodies.
type Detail struct {
	Message
	Header []Field `json:"header"`
	Text   string  `json:"text"`
	HTML   string  `json:"html"`
	// Warnings say what was odd about the MIME structure.
	Warnings []string `json:"warnings,omitempty"`
}

// Outbox keeps captured messages in a folder. It is safe for concurrent
// use.
type Outbox struct {
	dir string
	log *slog.Logger
	now func() time.Time

	mu       sync.Mutex
	messages []Message // capture order, oldest first
	byID     map[string]int
	last     int64 // nanoseconds of the last id, so ids increase
}

// New opens the outbox kept in dir, creating the folder (mode 0700) when
// it does not exist, and reads the messages already there. Files that are
// not <id>.eml, or that cannot be read, are left alone and logged.
func New(dir string, log *slog.Logger) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: create folder: %w", err)
	}
	o := &Outbox{dir: dir, log: log, now: time.Now, byID: map[string]int{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("outbox: read folder: %w", err)
	}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".eml")
		if !ok || !idPattern.MatchString(id) || !e.Type().IsRegular() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			log.Warn("outbox: message file unreadable, skipped", "file", e.Name(), "err", err)
			continue
		}
		m, _, err := summarize(id, raw)
		if err != nil {
			log.Warn("outbox: message file not a message, skipped", "file", e.Name(), "err", err)
			continue
		}
		m.Envelope = headerEnvelope(m)
		o.append(m)
	}
	// ReadDir sorts by name, which is capture order.
	return o, nil
}

// Dir returns the folder the outbox keeps its files in.
func (o *Outbox) Dir() string { return o.dir }

// Add captures one raw message sent from the envelope sender to the
// envelope recipients, writes it to <id>.eml, and returns its summary.
// ErrInvalid when raw is empty, too large or not a message.
func (o *Outbox) Add(from string, to []string, raw []byte) (Message, error) {
	if len(raw) == 0 {
		return Message{}, fmt.Errorf("%w: empty", ErrInvalid)
	}
	if len(raw) > MaxSize {
		return Message{}, fmt.Errorf("%w: %d bytes is over the %d-byte limit", ErrInvalid, len(raw), MaxSize)
	}
	id, captured := o.newID()
	m, _, err := summarize(id, raw)
	if err != nil {
		return Message{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	m.Captured = captured
	m.Envelope = Envelope{From: from, To: append([]string(nil), to...)}
	if err := writeFile(filepath.Join(o.dir, id+".eml"), raw); err != nil {
		return Message{}, fmt.Errorf("outbox: keep message: %w", err)
	}
	o.mu.Lock()
	o.append(m)
	o.mu.Unlock()
	return m, nil
}

// append adds m; the caller holds mu (or owns o alone).
func (o *Outbox) append(m Message) {
	o.byID[m.ID] = len(o.messages)
	o.messages = append(o.messages, m)
}

// Messages returns the summaries of every message, newest first.
func (o *Outbox) Messages() []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Message, len(o.messages))
	for i, m := range o.messages {
		out[len(out)-1-i] = m
	}
	return out
}

// Message returns the summary of one message.
func (o *Outbox) Message(id string) (Message, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	i, ok := o.byID[id]
	if !ok {
		return Message{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return o.messages[i], nil
}

// Thread returns the messages of the thread that the message id belongs
// to, oldest first.
func (o *Outbox) Thread(id string) ([]Message, error) {
	m, err := o.Message(id)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []Message
	for _, x := range o.messages {
		if x.Thread == m.Thread {
			out = append(out, x)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return when(out[i]).Before(when(out[j])) })
	return out, nil
}

// when is the time a message is shown at: its Date, or its capture.
func when(m Message) time.Time {
	if !m.Date.IsZero() {
		return m.Date
	}
	return m.Captured
}

// Raw returns the message as it was sent.
func (o *Outbox) Raw(id string) ([]byte, error) {
	if _, err := o.Message(id); err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(o.dir, id+".eml"))
	if err != nil {
		return nil, fmt.Errorf("outbox: read message %s: %w", id, err)
	}
	return raw, nil
}

// Detail returns a whole message, read from its file.
func (o *Outbox) Detail(id string) (Detail, error) {
	m, err := o.Message(id)
	if err != nil {
		return Detail{}, err
	}
	raw, err := o.Raw(id)
	if err != nil {
		return Detail{}, err
	}
	_, msg, err := summarize(id, raw)
	if err != nil {
		return Detail{}, fmt.Errorf("outbox: read message %s: %w", id, err)
	}
	d := Detail{Message: m, Text: msg.Text, HTML: msg.HTML, Warnings: msg.Warnings}
	fields := msg.Header.Fields()
	for fields.Next() {
		d.Header = append(d.Header, Field{Name: fields.Key(), Value: decodeHeader(fields.Value())})
	}
	// The iterator goes from the last field to the first.
	slices.Reverse(d.Header)
	return d, nil
}

// newID returns a fresh id and the capture time it encodes.
func (o *Outbox) newID() (string, time.Time) {
	now := o.now()
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail on supported platforms
	o.mu.Lock()
	n := now.UnixNano()
	if n <= o.last {
		n = o.last + 1
	}
	o.last = n
	o.mu.Unlock()
	return fmt.Sprintf("%016x-%08x", uint64(n), binary.BigEndian.Uint32(b[:])), time.Unix(0, n).UTC()
}

// summarize reads raw into the summary of message id.
func summarize(id string, raw []byte) (Message, *message.Message, error) {
	msg, err := message.Read(bytes.NewReader(raw), message.Options{MaxSize: MaxSize})
	if err != nil {
		return Message{}, nil, err
	}
	var nanos uint64
	if _, err := fmt.Sscanf(id[:16], "%x", &nanos); err != nil {
		return Message{}, nil, fmt.Errorf("id %q: %w", id, err)
	}
	m := Message{
		ID:         id,
		Captured:   time.Unix(0, int64(nanos)).UTC(),
		Date:       msg.Date,
		From:       display(msg.From),
		Subject:    msg.Subject,
		MessageID:  msg.MessageID,
		InReplyTo:  msg.InReplyTo,
		References: msg.References,
		Size:       len(raw),
	}
	for _, a := range msg.To {
		m.To = append(m.To, display(a))
	}
	for _, a := range msg.ReplyTo {
		m.ReplyTo = append(m.ReplyTo, a.Address)
	}
	switch {
	case len(m.References) > 0:
		m.Thread = m.References[0]
	case m.InReplyTo != "":
		m.Thread = m.InReplyTo
	case m.MessageID != "":
		m.Thread = m.MessageID
	default:
		m.Thread = id
	}
	return m, msg, nil
}

// display writes an address for people: the name as it reads, not
// encoded, then the address in angle brackets.
func display(a mail.Address) string {
	switch {
	case a.Name == "":
		return a.Address
	case a.Address == "":
		return a.Name
	}
	return a.Name + " <" + a.Address + ">"
}

// parseAddress returns the bare address of a display form.
func parseAddress(s string) (string, error) {
	if i := strings.LastIndexByte(s, '<'); i >= 0 && strings.HasSuffix(s, ">") {
		s = s[i+1 : len(s)-1]
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", err
	}
	return a.Address, nil
}

// headerEnvelope stands in for the envelope of a message read back from
// its file: the From address and the To and Cc addresses.
func headerEnvelope(m Message) Envelope {
	var e Envelope
	if a, err := parseAddress(m.From); err == nil {
		e.From = a
	}
	for _, t := range m.To {
		if a, err := parseAddress(t); err == nil {
			e.To = append(e.To, a)
		}
	}
	return e
}

// decodeHeader decodes RFC 2047 encoded words for display, keeping the
// value as written when they do not decode.
func decodeHeader(v string) string {
	d, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

// writeFile writes data to name through a temporary file in the same
// folder, so that a reader never sees half a message.
func writeFile(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
