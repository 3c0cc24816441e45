// Package compose builds the raw MIME of one outbound coachmail email, ready
// for SES's raw sending.
//
// The message is RFC 5322 with MIME (RFC 2045-2049): a multipart/alternative
// body (RFC 2046 section 5.1.4) holding a text/plain and a text/html part,
// both UTF-8 in quoted-printable, written with go-message's mail writer.
// Headers: From (the practice's display name and a verified address), To,
// Reply-To (reply+TOKEN@intake-domain), Subject (RFC 2047 encoded-words when
// not ASCII), Date, Message-ID, In-Reply-To and References (RFC 5322 section
// 3.6.4) threading a session's emails, Auto-Submitted: auto-generated
// (RFC 3834) so that auto-responders stay quiet,
// X-Auto-Response-Suppress: All (Microsoft's equivalent), and, for mail to a
// leader, List-Unsubscribe (RFC 2369) with List-Unsubscribe-Post (RFC 8058)
// for one-click unsubscription.
//
// Header injection is impossible by construction: display names and the
// subject are folded to one line with control characters removed before
// they reach the writer, and addresses, message ids, tokens and URLs are
// validated and refused when they hold anything outside their grammar.
//
// Departures: addresses must be ASCII (no RFC 6531 SMTPUTF8), since SES
// refuses non-ASCII local parts; message ids must be dot-atom-text on both
// sides of the "@" (RFC 5322's no-fold-literal right side is not accepted).
package compose

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	gomail "github.com/emersion/go-message/mail"

	"github.com/coachmail/coachmail/internal/token"
)

// ErrInvalid is wrapped by every error that Build returns for a message
// that breaks a rule (an address, a message id, a token, a URL).
var ErrInvalid = errors.New("compose: invalid message")

// Limits.
const (
	// MaxReferences is the most message ids References may hold.
	MaxReferences = 50
	// MaxNameLen is the longest display name kept, in bytes; longer names
	// are cut at a character boundary.
	MaxNameLen = 200
	// MaxSubjectLen is the longest subject kept, in bytes.
	MaxSubjectLen = 900
)

// Message is one outbound email.
type Message struct {
	// From is the sender: Name is the practice's display name, Address a
	// verified SES identity (bare address).
	From mail.Address
	// To are the recipients (at least one); names are optional.
	To []mail.Address
	// IntakeDomain is the domain of the reply+TOKEN@ addresses.
	IntakeDomain string
	// ReplyToken, when set, makes Reply-To reply+ReplyToken@IntakeDomain.
	ReplyToken string
	// UnsubscribeToken, when set, adds List-Unsubscribe with the one-click
	// URL UnsubscribeURL?t=UnsubscribeToken and the mailto
	// reply+UnsubscribeToken@IntakeDomain?subject=unsubscribe, and
	// List-Unsubscribe-Post. Leave it empty for mail to a coach.
	UnsubscribeToken string
	// UnsubscribeURL is the one-click endpoint: https, or http on a
	// loopback host (local mode). Required with UnsubscribeToken.
	UnsubscribeURL string
	Subject        string
	// Date is when the message is sent.
	Date time.Time
	// MessageID is the Message-ID without angle brackets ("id@domain").
	MessageID string
	// References are the earlier messages of the thread, oldest first,
	// without angle brackets. In-Reply-To is the last of them.
	References []string
	Text       string // the text/plain body
	HTML       string // the text/html body
}

// Build returns the raw MIME of m. Errors wrap ErrInvalid when m breaks a
// rule.
func Build(m Message) ([]byte, error) {
	from, err := address(m.From)
	if err != nil {
		return nil, fmt.Errorf("%w: from: %v", ErrInvalid, err)
	}
	if len(m.To) == 0 {
		return nil, fmt.Errorf("%w: no recipients", ErrInvalid)
	}
	to := make([]*mail.Address, 0, len(m.To))
	for _, a := range m.To {
		addr, err := address(a)
		if err != nil {
			return nil, fmt.Errorf("%w: to: %v", ErrInvalid, err)
		}
		to = append(to, addr)
	}
	if m.Date.IsZero() {
		return nil, fmt.Errorf("%w: no date", ErrInvalid)
	}
	if err := checkMessageID(m.MessageID); err != nil {
		return nil, fmt.Errorf("%w: message id: %v", ErrInvalid, err)
	}
	if len(m.References) > MaxReferences {
		return nil, fmt.Errorf("%w: %d references, at most %d", ErrInvalid, len(m.References), MaxReferences)
	}
	for _, id := range m.References {
		if err := checkMessageID(id); err != nil {
			return nil, fmt.Errorf("%w: references: %v", ErrInvalid, err)
		}
	}
	subject := cut(oneLine(m.Subject), MaxSubjectLen)
	if subject == "" {
		return nil, fmt.Errorf("%w: no subject", ErrInvalid)
	}
	if (m.ReplyToken != "" || m.UnsubscribeToken != "") && !validDomain(m.IntakeDomain) {
		return nil, fmt.Errorf("%w: intake domain %q", ErrInvalid, m.IntakeDomain)
	}

	// Fields in the order they are written. go-message writes the field
	// added last at the top, so they are added in reverse below.
	var fields [][2]string
	add := func(k, v string) { fields = append(fields, [2]string{k, v}) }
	add("From", addressList([]*mail.Address{from}))
	add("To", addressList(to))
	if m.ReplyToken != "" {
		if !validToken(m.ReplyToken) {
			return nil, fmt.Errorf("%w: reply token %q", ErrInvalid, m.ReplyToken)
		}
		add("Reply-To", addressList([]*mail.Address{{Address: token.ReplyAddress(m.ReplyToken, m.IntakeDomain)}}))
	}
	if strings.Contains(subject, "=?") {
		// ASCII that looks like an encoded-word would be decoded by the
		// reader into something else: encode it, so it reads as written.
		add("Subject", encodeWords(subject))
	} else {
		add("Subject", mime.QEncoding.Encode("utf-8", subject)) // unchanged when ASCII
	}
	add("Date", m.Date.Format(time.RFC1123Z))
	add("Message-ID", "<"+m.MessageID+">")
	if n := len(m.References); n > 0 {
		add("In-Reply-To", "<"+m.References[n-1]+">")
		add("References", "<"+strings.Join(m.References, "> <")+">")
	}
	add("Auto-Submitted", "auto-generated")
	add("X-Auto-Response-Suppress", "All")
	if m.UnsubscribeToken != "" {
		v, err := listUnsubscribe(m.UnsubscribeURL, m.UnsubscribeToken, m.IntakeDomain)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		add("List-Unsubscribe", v)
		add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	var h gomail.Header
	for i := len(fields) - 1; i >= 0; i-- {
		h.Add(fields[i][0], fields[i][1])
	}

	var buf bytes.Buffer
	w, err := gomail.CreateInlineWriter(&buf, h)
	if err != nil {
		return nil, fmt.Errorf("compose: write header: %w", err)
	}
	if err := part(w, "text/plain", m.Text); err != nil {
		return nil, err
	}
	if err := part(w, "text/html", m.HTML); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compose: close multipart: %w", err)
	}
	return buf.Bytes(), nil
}

func part(w *gomail.InlineWriter, contentType, body string) error {
	var h gomail.InlineHeader
	h.SetContentType(contentType, map[string]string{"charset": "utf-8"})
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	pw, err := w.CreatePart(h)
	if err != nil {
		return fmt.Errorf("compose: create %s part: %w", contentType, err)
	}
	if _, err := io.WriteString(pw, lineEnds.Replace(body)); err != nil {
		return fmt.Errorf("compose: write %s part: %w", contentType, err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("compose: close %s part: %w", contentType, err)
	}
	return nil
}

// addressList formats addresses for a header field. An ASCII name is
// quoted as net/mail does; any other name, or one holding "=?", is written
// as "B" encoded-words by encodeWords. net/mail's own "Q" encoding leaves
// specials such as a backslash unencoded, which readers then refuse, and
// ASCII that looks like an encoded-word would be decoded into other text.
func addressList(l []*mail.Address) string {
	s := make([]string, len(l))
	for i, a := range l {
		if !printableASCIIText(a.Name) || strings.Contains(a.Name, "=?") {
			s[i] = encodeWords(a.Name) + " <" + a.Address + ">"
		} else {
			s[i] = a.String()
		}
	}
	return strings.Join(s, ", ")
}

// printableASCIIText reports whether s is printable ASCII, spaces allowed.
func printableASCIIText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// encodeWords encodes s as RFC 2047 "B" encoded-words of UTF-8, each within
// the 75 characters section 2 allows, split at character boundaries.
func encodeWords(s string) string {
	const chunk = 45 // 60 characters of base64, 72 with "=?utf-8?b?" and "?="
	var words []string
	for len(s) > 0 {
		n := min(len(s), chunk)
		for n < len(s) && n > 1 && !utf8.RuneStart(s[n]) {
			n--
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// lineEnds turns CRLF and a lone CR into LF, which the quoted-printable
// writer then sends as CRLF. Left alone, a lone CR would end a line and make
// the writer drop the next LF, however far away.
var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// address validates a.Address as a bare ASCII addr-spec and returns it with
// a.Name folded to one line.
func address(a mail.Address) (*mail.Address, error) {
	if a.Address == "" {
		return nil, errors.New("empty address")
	}
	if !printableASCII(a.Address) {
		return nil, fmt.Errorf("address %q: not printable ASCII", a.Address)
	}
	p, err := mail.ParseAddress(a.Address)
	if err != nil || p.Name != "" || p.Address != a.Address {
		return nil, fmt.Errorf("address %q: not a bare addr-spec", a.Address)
	}
	domain := a.Address[strings.LastIndexByte(a.Address, '@')+1:]
	if !validDomain(domain) {
		return nil, fmt.Errorf("address %q: domain is not a host name", a.Address)
	}
	return &mail.Address{Name: cut(oneLine(a.Name), MaxNameLen), Address: a.Address}, nil
}

// checkMessageID accepts dot-atom-text "@" dot-atom-text (RFC 5322 section
// 3.6.4), in ASCII.
func checkMessageID(id string) error {
	left, right, ok := strings.Cut(id, "@")
	if !ok || !dotAtom(left) || !dotAtom(right) || len(id) > 250 {
		return fmt.Errorf("%q: want id-left@id-right without angle brackets", id)
	}
	return nil
}

// dotAtom reports whether s is RFC 5322 dot-atom-text.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !atext(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

func atext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// validDomain accepts an ASCII host name of letters, digits and hyphens.
func validDomain(d string) bool {
	if d == "" || len(d) > 253 {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// validToken accepts what token.Keyring.Sign makes: lower-case base32.
func validToken(t string) bool {
	if t == "" || len(t) > token.MaxLen {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('a' <= c && c <= 'z' || '2' <= c && c <= '7') {
			return false
		}
	}
	return true
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// listUnsubscribe formats the List-Unsubscribe value: the one-click HTTPS
// URL first (RFC 8058 section 3.1 needs one), then the mailto.
func listUnsubscribe(endpoint, tok, domain string) (string, error) {
	if !validToken(tok) {
		return "", fmt.Errorf("unsubscribe token %q", tok)
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return "", fmt.Errorf("unsubscribe URL %q: want an absolute URL without user or fragment", endpoint)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		return "", fmt.Errorf("unsubscribe URL %q: want https (RFC 8058), or http on a loopback host", endpoint)
	}
	q := u.Query()
	q.Set("t", tok)
	u.RawQuery = q.Encode()
	mailto := "mailto:" + token.ReplyAddress(tok, domain) + "?subject=unsubscribe"
	return "<" + u.String() + ">, <" + mailto + ">", nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// cut shortens s to at most n bytes at a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// oneLine folds header text to one line: every run of white space and
// control characters (CR and LF included, and the Unicode line and
// paragraph separators) becomes one space, the ends are trimmed, bytes that
// are not UTF-8 become U+FFFD, and the bidirectional embedding, override
// and isolate controls are removed.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case '\u202a' <= r && r <= '\u202e' || '\u2066' <= r && r <= '\u2069':
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
