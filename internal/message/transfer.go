package message

import (
	"bytes"
	"encoding/base64"
	"io"
	"slices"
	"strings"
)

// decoder is a tolerant Content-Transfer-Encoding decoder: it keeps what
// decodes and records that something did not.
type decoder interface {
	io.Reader
	broken() bool
}

// transferDecoder returns the decoder for Content-Transfer-Encoding cte.
// Unknown encodings pass the bytes through, as most mailers do; known is
// false for them.
func transferDecoder(cte string, r io.Reader) (d decoder, known bool) {
	return transferDecoderSize(cte, r, 8<<10)
}

// transferDecoderSize is transferDecoder reading r size bytes at a time.
func transferDecoderSize(cte string, r io.Reader, size int) (d decoder, known bool) {
	switch strings.ToLower(strings.Trim(cte, " \t\"'")) {
	case "base64", "x-base64":
		return &base64Reader{r: r, size: size}, true
	case "quoted-printable", "x-quoted-printable", "quoted_printable":
		return &qpReader{r: r, size: size}, true
	case "", "7bit", "8bit", "binary", "7-bit", "8-bit", "8bits", "7bits", "none":
		return plainReader{r}, true
	}
	return plainReader{r}, false
}

type plainReader struct{ io.Reader }

func (plainReader) broken() bool { return false }

// base64Alphabet maps a byte to its 6-bit value, or 0xFF. The URL-safe
// characters are accepted too.
var base64Alphabet = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// base64State decodes base64 incrementally: it skips white space, skips
// (and records) bytes outside the alphabet, and treats padding as the end
// of a group, so that concatenated base64 blobs decode too.
type base64State struct {
	quad [4]byte
	n    int
	bad  bool
}

func (s *base64State) feed(out, in []byte) []byte {
	for len(in) > 0 {
		nl := bytes.IndexByte(in, '\n')
		if nl < 0 {
			return s.feedBytes(out, in)
		}
		line := in[:nl]
		in = in[nl+1:]
		// Fast path: a whole well-formed line at a group boundary, which
		// is what encoders write, decodes in bulk.
		if l := bytes.TrimSuffix(line, []byte("\r")); s.n == 0 && len(l)%4 == 0 {
			start := len(out)
			out = slices.Grow(out, len(l)/4*3)
			n, err := base64.StdEncoding.Decode(out[start:start+len(l)/4*3], l)
			if err == nil {
				out = out[:start+n]
				continue
			}
			out = out[:start]
		}
		out = s.feedBytes(out, line)
	}
	return out
}

// feedBytes decodes byte by byte, skipping what is not base64.
func (s *base64State) feedBytes(out, in []byte) []byte {
	for _, c := range in {
		v := base64Alphabet[c]
		if v == 0xFF {
			switch c {
			case ' ', '\t', '\r', '\n', '\f', '\v':
			case '=':
				out = s.flush(out)
			default:
				s.bad = true
			}
			continue
		}
		s.quad[s.n] = v
		s.n++
		if s.n == 4 {
			out = append(out, s.quad[0]<<2|s.quad[1]>>4, s.quad[1]<<4|s.quad[2]>>2, s.quad[2]<<6|s.quad[3])
			s.n = 0
		}
	}
	return out
}

// flush ends a group early, at padding or at the end of input.
func (s *base64State) flush(out []byte) []byte {
	switch s.n {
	case 1:
		s.bad = true
	case 2:
		out = append(out, s.quad[0]<<2|s.quad[1]>>4)
	case 3:
		out = append(out, s.quad[0]<<2|s.quad[1]>>4, s.quad[1]<<4|s.quad[2]>>2)
	}
	s.n = 0
	return out
}

func decodeBase64Lenient(b []byte) []byte {
	var s base64State
	out := s.feed(make([]byte, 0, len(b)*3/4+3), b)
	return s.flush(out)
}

type base64Reader struct {
	r     io.Reader
	size  int // bytes read at a time
	state base64State
	in    []byte
	buf   []byte // backing array of out
	out   []byte // decoded, not yet returned
	err   error
}

func (b *base64Reader) broken() bool { return b.state.bad }

func (b *base64Reader) Read(p []byte) (int, error) {
	for len(b.out) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		if b.in == nil {
			b.in = make([]byte, b.size)
			b.buf = make([]byte, 0, b.size*3/4+3)
		}
		n, err := b.r.Read(b.in)
		b.out = b.state.feed(b.buf[:0], b.in[:n])
		if err != nil {
			b.out = b.state.flush(b.out)
			b.err = err
		}
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	return n, nil
}

// qpReader decodes quoted-printable (RFC 2045 section 6.7) as a byte-wise
// state machine, so escapes split across reads decode. Malformed escapes
// are kept as written; trailing white space on lines is dropped; soft line
// breaks ("=" at the end of a line, possibly followed by white space) join
// lines.
type qpReader struct {
	r     io.Reader
	size  int // bytes read at a time
	in    []byte
	buf   []byte // backing array of out
	out   []byte
	err   error
	state int
	hex1  byte
	ws    []byte // white space that is dropped if the line ends here
	bad   bool
}

const (
	qpNormal = iota
	qpEq     // after "="
	qpEqWS   // after "=" and white space
	qpHex    // after "=" and one hex digit
	qpSoftCR // after "=\r"
)

func (q *qpReader) broken() bool { return q.bad }

func (q *qpReader) Read(p []byte) (int, error) {
	for len(q.out) == 0 {
		if q.err != nil {
			return 0, q.err
		}
		if q.in == nil {
			q.in = make([]byte, q.size)
			q.buf = make([]byte, 0, q.size+64)
		}
		n, err := q.r.Read(q.in)
		q.out = q.buf[:0]
		for _, c := range q.in[:n] {
			q.byte(c)
		}
		if err != nil {
			q.end()
			q.err = err
		}
	}
	n := copy(p, q.out)
	q.out = q.out[n:]
	return n, nil
}

func (q *qpReader) byte(c byte) {
	switch q.state {
	case qpEq:
		switch {
		case isHex(c):
			q.hex1, q.state = c, qpHex
		case c == '\r':
			q.state = qpSoftCR
		case c == '\n':
			q.state = qpNormal
		case c == ' ' || c == '\t':
			q.ws = append(q.ws[:0], c)
			q.state = qpEqWS
		default:
			q.bad = true
			q.out = append(q.out, '=')
			q.state = qpNormal
			q.normal(c)
		}
	case qpEqWS:
		switch c {
		case ' ', '\t':
			q.ws = append(q.ws, c)
		case '\r':
			q.ws, q.state = q.ws[:0], qpSoftCR
		case '\n':
			q.ws, q.state = q.ws[:0], qpNormal
		default:
			q.bad = true
			q.out = append(q.out, '=')
			q.out = append(q.out, q.ws...)
			q.ws, q.state = q.ws[:0], qpNormal
			q.normal(c)
		}
	case qpHex:
		q.state = qpNormal
		if isHex(c) {
			q.out = append(q.out, unhex(q.hex1)<<4|unhex(c))
			return
		}
		q.bad = true
		q.out = append(q.out, '=', q.hex1)
		q.normal(c)
	case qpSoftCR:
		q.state = qpNormal
		if c != '\n' {
			q.normal(c)
		}
	default:
		q.normal(c)
	}
}

func (q *qpReader) normal(c byte) {
	switch c {
	case '=':
		q.out = append(q.out, q.ws...)
		q.ws = q.ws[:0]
		q.state = qpEq
	case ' ', '\t':
		q.ws = append(q.ws, c)
	case '\r', '\n':
		q.ws = q.ws[:0]
		q.out = append(q.out, c)
	default:
		if len(q.ws) > 0 {
			q.out = append(q.out, q.ws...)
			q.ws = q.ws[:0]
		}
		q.out = append(q.out, c)
	}
}

// end finishes the input: a trailing "=" is a soft break; a half escape is
// kept as written.
func (q *qpReader) end() {
	if q.state == qpHex {
		q.bad = true
		q.out = append(q.out, '=', q.hex1)
	}
	q.state = qpNormal
	q.ws = q.ws[:0]
}
