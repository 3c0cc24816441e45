package message

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// reader holds what is shared while one message and its attached messages
// are read.
type reader struct {
	opts        Options
	src         *sizeReader
	parts       int
	partsWarned bool

	// known is the input when its length is known; bound is that length,
	// which no stream read from it can exceed. top is the reader of the
	// input. They size buffers: a buffer larger than its whole stream is
	// never filled, so a smaller one reads the same.
	known lener
	bound int
	top   *bufio.Reader
}

// lener is an input that tells how many bytes are left to read.
type lener interface{ Len() int }

// bufSize returns the size for a buffer of def bytes over a stream of the
// input: def, or less when the input is shorter.
func (rd *reader) bufSize(def int) int {
	if rd.known == nil || rd.bound+1 >= def {
		return def
	}
	return max(rd.bound+1, 16)
}

// remaining returns how many bytes of the input are left to read, or -1 if
// that is not known.
func (rd *reader) remaining() int {
	if rd.known == nil || rd.top == nil {
		return -1
	}
	return rd.known.Len() + rd.top.Buffered()
}

// state is what is being filled for one message.
type state struct {
	m         *Message
	seen      map[string]bool // warnings and calendars already recorded
	dsn       bool            // a delivery-status part was read
	recipient []dsnRecipient
}

const maxWarnings = 50

func (st *state) warn(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	if st.seen == nil {
		st.seen = map[string]bool{}
	}
	if st.seen["w:"+w] {
		return
	}
	st.seen["w:"+w] = true
	switch n := len(st.m.Warnings); {
	case n < maxWarnings:
		st.m.Warnings = append(st.m.Warnings, w)
	case n == maxWarnings:
		st.m.Warnings = append(st.m.Warnings, "further warnings omitted")
	}
}

func (st *state) autoReply(reason string) {
	if !st.m.AutoReply {
		st.m.AutoReply, st.m.AutoReplyReason = true, reason
	}
}

// message reads a message (header and body) from br.
func (rd *reader) message(br *bufio.Reader, depth int) (*Message, error) {
	m := &Message{}
	st := &state{m: m}
	h, body, err := readHeader(br, rd.opts.MaxHeaderBytes, false, st.warn)
	if err != nil {
		return nil, err
	}
	m.Header = h
	readFields(st, h)
	p := partInfo(st, h, "text/plain")
	t := rd.entity(st, p, body, depth, roleTop)
	m.Text, m.HTML = t.plain, t.html
	finish(st)
	return m, nil
}

// part is what the header of a MIME entity says about its body.
type part struct {
	mediaType   string
	params      map[string]string
	disposition string
	filename    string
	cte         string
}

func partInfo(st *state, h textproto.Header, defaultType string) *part {
	p := &part{cte: h.Get("Content-Transfer-Encoding")}
	ct := h.Get("Content-Type")
	p.mediaType, p.params = parseParams(ct, st.warn)
	switch {
	case strings.TrimSpace(ct) == "" || p.mediaType == "":
		p.mediaType = defaultType
	case p.mediaType == "text":
		p.mediaType = "text/plain"
	case !strings.Contains(p.mediaType, "/"):
		st.warn("Content-Type %q is not a media type: read as %s", p.mediaType, defaultType)
		p.mediaType = defaultType
	}
	var dparams map[string]string
	p.disposition, dparams = parseParams(h.Get("Content-Disposition"), st.warn)
	name := dparams["filename"]
	if name == "" {
		name = p.params["name"]
	}
	p.filename = baseName(name)
	return p
}

// role is the place of an entity in its message.
type role int

const (
	roleBody    role = iota // may hold the body text
	roleTop                 // the root of a message: body text even with a file name
	roleRelated             // a resource of multipart/related (inline image, style sheet)
	roleAside               // a signature, or the machine parts of a report
)

// texts are the body candidates an entity holds.
type texts struct {
	plain, html       string
	hasPlain, hasHTML bool
}

func (rd *reader) entity(st *state, p *part, body io.Reader, depth int, r role) texts {
	if rd.src.over || body == nil {
		return texts{}
	}
	mt := p.mediaType
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= rd.opts.MaxDepth {
			st.warn("parts nested deeper than %d levels skipped", rd.opts.MaxDepth)
			return texts{}
		}
		return rd.multipart(st, p, body, depth+1)
	}
	dec, known := transferDecoderSize(p.cte, body, rd.bufSize(8<<10))
	if !known {
		st.warn("unknown Content-Transfer-Encoding %q read as is", p.cte)
	}
	defer func() {
		if dec.broken() {
			st.warn("%s part has broken %s: kept what decodes", mt, strings.ToLower(strings.TrimSpace(p.cte)))
		}
	}()
	switch {
	case mt == "message/rfc822" || mt == "message/global" || mt == "message/rfc2822":
		rd.attached(st, p, dec, depth, r)
	case mt == "text/rfc822-headers" || mt == "message/global-headers":
		rd.headersOnly(st, dec)
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		rd.deliveryStatus(st, dec)
	case mt == "message/disposition-notification" || mt == "message/global-disposition-notification":
		st.autoReply("disposition notification")
		rd.drain(st, mt, dec)
	case isCalendar(p):
		rd.calendar(st, p, dec, r)
	case isTNEF(p):
		st.warn("TNEF part %q (Outlook's winmail.dat) listed, not decoded", p.filename)
		rd.attachment(st, p, dec, r)
	case (mt == "text/plain" || mt == "text/html") && isBody(p, r):
		// The body of a message that is not multipart is the rest of
		// the input: read it in one buffer of that size.
		hint := 4096
		if n := rd.remaining(); depth == 0 && r == roleTop && n >= 0 {
			hint = n + 1
		} else if n >= 0 {
			hint = min(hint, n+1)
		}
		return rd.text(st, p, dec, hint)
	default:
		if mt == "application/pkcs7-mime" || mt == "application/x-pkcs7-mime" {
			st.warn("S/MIME %s part: its content is not read", p.params["smime-type"])
		}
		rd.attachment(st, p, dec, r)
	}
	return texts{}
}

func isBody(p *part, r role) bool {
	switch {
	case r == roleRelated || r == roleAside:
		return false
	case p.disposition == "attachment":
		return false
	case p.filename != "" && r != roleTop:
		return false
	}
	return true
}

func isCalendar(p *part) bool {
	switch p.mediaType {
	case "text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics":
		return true
	case "application/octet-stream":
		return strings.HasSuffix(strings.ToLower(p.filename), ".ics")
	}
	return false
}

func isTNEF(p *part) bool {
	return p.mediaType == "application/ms-tnef" || p.mediaType == "application/vnd.ms-tnef" ||
		strings.EqualFold(p.filename, "winmail.dat")
}

// readText reads a part to keep in memory, up to Options.MaxTextBytes,
// into a buffer of hint bytes at first.
func (rd *reader) readText(st *state, p *part, r io.Reader, hint int) []byte {
	data, err := readAll(r, rd.opts.MaxTextBytes+1, hint)
	if err != nil && !rd.src.over {
		st.warn("%s part truncated: %v", p.mediaType, err)
	}
	if len(data) > rd.opts.MaxTextBytes {
		st.warn("%s part longer than %d bytes: cut", p.mediaType, rd.opts.MaxTextBytes)
		data = data[:rd.opts.MaxTextBytes]
		rd.drain(st, p.mediaType, r)
	}
	return data
}

func (rd *reader) text(st *state, p *part, r io.Reader, hint int) texts {
	data := rd.readText(st, p, r, hint)
	label := p.params["charset"]
	if p.mediaType == "text/html" && strings.TrimSpace(label) == "" {
		label = metaCharset(data)
	}
	s := normalizeNewlines(decodeText(data, label, p.mediaType+" part", st.warn))
	if p.mediaType == "text/html" {
		return texts{html: s, hasHTML: true}
	}
	if strings.EqualFold(p.params["format"], "flowed") {
		s = decodeFlowed(s, strings.EqualFold(p.params["delsp"], "yes"))
	}
	return texts{plain: s, hasPlain: true}
}

// metaCharset finds the charset an HTML document declares in a <meta>
// element near its start, for HTML parts sent without a MIME charset.
func metaCharset(b []byte) string {
	head := strings.ToLower(string(b[:min(len(b), 2048)]))
	i := strings.Index(head, "charset=")
	if i < 0 || !strings.Contains(head[:i], "<meta") {
		return ""
	}
	v := strings.TrimLeft(head[i+len("charset="):], "\"' ")
	end := strings.IndexAny(v, "\"'; />")
	if end < 0 {
		return ""
	}
	return v[:end]
}

func (rd *reader) multipart(st *state, p *part, body io.Reader, depth int) texts {
	sub := strings.TrimPrefix(p.mediaType, "multipart/")
	boundary := p.params["boundary"]
	if boundary == "" {
		st.warn("%s without boundary read as text/plain", p.mediaType)
		q := *p
		q.mediaType = "text/plain"
		return rd.entity(st, &q, body, depth, roleBody)
	}
	switch sub {
	case "report":
		rt := strings.ToLower(p.params["report-type"])
		st.autoReply("multipart/report; report-type=" + rt)
		if rt == "delivery-status" || rt == "global-delivery-status" {
			st.dsn = true
		}
	case "encrypted":
		st.warn("encrypted message (%s): its content is not read", p.params["protocol"])
	}
	defaultType := "text/plain"
	if sub == "digest" {
		defaultType = "message/rfc822"
	}
	capture := &prefixReader{r: body, max: 64 << 10}
	sp := newSplitter(capture, boundary, rd.bufSize(4096))
	var kids []texts
	var pbr *bufio.Reader // reused for the parts, each read to its end before the next
	for i := 0; ; i++ {
		pb, err := sp.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			switch {
			case rd.src.over:
				return texts{}
			case i == 0 && errors.Is(err, errNoBoundary):
				st.warn("%s: boundary %q not found: body read as text/plain", p.mediaType, boundary)
				s := normalizeNewlines(decodeText(capture.buf, "", "body", st.warn))
				return texts{plain: s, hasPlain: true}
			case errors.Is(err, errUnclosed):
				st.warn("%s ends without its closing boundary", p.mediaType)
			default:
				st.warn("%s: %v: the parts after it are skipped", p.mediaType, err)
			}
			break
		}
		capture.stop()
		if rd.parts >= rd.opts.MaxParts {
			if !rd.partsWarned {
				st.warn("more than %d parts: the rest skipped", rd.opts.MaxParts)
				rd.partsWarned = true
			}
			break
		}
		rd.parts++
		if pbr == nil {
			pbr = bufio.NewReaderSize(pb, rd.bufSize(4096))
		} else {
			pbr.Reset(pb)
		}
		h, partBody, err := readHeader(pbr, rd.opts.MaxHeaderBytes, true, st.warn)
		if err != nil {
			if !rd.src.over {
				st.warn("%s: part header: %v", p.mediaType, err)
			}
			continue
		}
		cp := partInfo(st, h, defaultType)
		r := roleBody
		switch {
		case sub == "encrypted", i > 0 && (sub == "signed" || sub == "report"):
			r = roleAside
		case i > 0 && sub == "related":
			r = roleRelated
		}
		kids = append(kids, rd.entity(st, cp, partBody, depth, r))
	}
	return combine(sub, kids)
}

// combine picks the body candidates of a multipart from its parts'.
func combine(sub string, kids []texts) texts {
	var out texts
	switch sub {
	case "alternative":
		// RFC 2046 section 5.1.4: the last alternative is the preferred
		// one. An empty alternative does not replace a non-empty one.
		for _, k := range kids {
			if k.hasPlain && (!blank(k.plain) || blank(out.plain)) {
				out.plain, out.hasPlain = k.plain, true
			}
			if k.hasHTML && (!blank(k.html) || blank(out.html)) {
				out.html, out.hasHTML = k.html, true
			}
		}
	case "related", "signed", "report":
		if len(kids) > 0 {
			out = kids[0]
		}
	default:
		for _, k := range kids {
			if k.hasPlain && !blank(k.plain) {
				// Parts shown one after the other (Apple Mail splits text
				// around inline images) are separated by a blank line.
				if out.plain != "" {
					out.plain = strings.TrimRight(out.plain, "\n") + "\n\n"
				}
				out.plain += k.plain
			}
			if k.hasHTML && !blank(k.html) {
				out.html += k.html
			}
			out.hasPlain = out.hasPlain || k.hasPlain
			out.hasHTML = out.hasHTML || k.hasHTML
		}
	}
	return out
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func (rd *reader) attached(st *state, p *part, r io.Reader, depth int, ro role) {
	cr := &countReader{r: r}
	if depth+1 > rd.opts.MaxDepth {
		st.warn("attached message nested deeper than %d levels not read", rd.opts.MaxDepth)
	} else {
		br := bufio.NewReaderSize(cr, rd.bufSize(4096))
		sub, err := rd.message(br, depth+1)
		switch {
		case rd.src.over:
			return
		case err != nil:
			st.warn("attached message not read: %v", err)
		default:
			st.m.Attached = append(st.m.Attached, sub)
		}
	}
	rd.drain(st, p.mediaType, cr)
	st.m.Attachments = append(st.m.Attachments, Attachment{
		Filename:    p.filename,
		ContentType: p.mediaType,
		Size:        cr.n,
		Inline:      isInline(p, ro),
	})
}

// headersOnly reads a text/rfc822-headers part, which bounces carry in
// place of the returned message, as a message without body.
func (rd *reader) headersOnly(st *state, r io.Reader) {
	br := bufio.NewReaderSize(r, rd.bufSize(4096))
	m := &Message{}
	sub := &state{m: m}
	h, _, err := readHeader(br, rd.opts.MaxHeaderBytes, false, sub.warn)
	if err == nil {
		m.Header = h
		readFields(sub, h)
		st.m.Attached = append(st.m.Attached, m)
	} else if !rd.src.over {
		st.warn("returned headers not read: %v", err)
	}
	rd.drain(st, "text/rfc822-headers", br)
}

func (rd *reader) calendar(st *state, p *part, r io.Reader, ro role) {
	data := rd.readText(st, p, r, 512)
	size := int64(len(data))
	if label := normalizeCharset(p.params["charset"]); label != "" && label != "utf-8" && !isASCII(data) {
		data = []byte(decodeText(data, label, "calendar", st.warn))
	}
	if p.disposition == "attachment" || p.filename != "" {
		st.m.Attachments = append(st.m.Attachments, Attachment{
			Filename: p.filename, ContentType: p.mediaType, Size: size, Inline: isInline(p, ro),
		})
	}
	if len(data) == 0 {
		return
	}
	key := "c:" + string(data)
	if st.seen == nil {
		st.seen = map[string]bool{}
	}
	if !st.seen[key] {
		st.seen[key] = true
		st.m.Calendars = append(st.m.Calendars, data)
	}
}

func (rd *reader) attachment(st *state, p *part, r io.Reader, ro role) {
	cr := &countReader{r: r}
	rd.drain(st, p.mediaType, cr)
	st.m.Attachments = append(st.m.Attachments, Attachment{
		Filename:    p.filename,
		ContentType: p.mediaType,
		Size:        cr.n,
		Inline:      isInline(p, ro),
	})
}

func isInline(p *part, r role) bool {
	return p.disposition == "inline" || p.disposition == "" && r == roleRelated
}

// drain reads r to its end without keeping it.
func (rd *reader) drain(st *state, what string, r io.Reader) {
	if _, err := io.Copy(io.Discard, r); err != nil && !rd.src.over && !errors.Is(err, ErrTooLarge) {
		st.warn("%s part truncated: %v", what, err)
	}
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// prefixReader keeps the first max bytes read through it, so that a
// multipart whose boundary never appears can still be read as text.
type prefixReader struct {
	r   io.Reader
	buf []byte
	max int
}

// stop ends capturing, once a boundary was found.
func (p *prefixReader) stop() { p.max, p.buf = 0, nil }

func (p *prefixReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if room := p.max - len(p.buf); room > 0 {
		p.buf = append(p.buf, b[:min(n, room)]...)
	}
	return n, err
}

// readAll reads r to its end, or to limit bytes, into a buffer of hint
// bytes at first, growing it as io.ReadAll does.
func readAll(r io.Reader, limit, hint int) ([]byte, error) {
	buf := make([]byte, 0, max(min(hint, limit), 512))
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}
