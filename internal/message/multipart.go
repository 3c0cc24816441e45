package message

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// errUnclosed reports a multipart whose input ended before its closing
// boundary; errNoBoundary one in which no boundary line was found.
var (
	errUnclosed   = errors.New("multipart ends without its closing boundary")
	errNoBoundary = errors.New("no boundary line")
)

// splitter splits a multipart body at its boundary lines (RFC 2046 section
// 5.1.1). It departs from the RFC as mail in the wild requires: each
// boundary line may end in CRLF or LF on its own (go-message's reader, like
// mime/multipart, fixes the line ending at the first boundary and merges
// later parts written with the other), white space may follow a boundary,
// and input that ends before the closing boundary ends the last part. The
// preamble and epilogue are skipped. Parts are streamed: a line is held
// back only until the next line is known not to be a boundary.
type splitter struct {
	br      *bufio.Reader
	dash    []byte // "--" + boundary
	cur     *partBody
	state   int
	midLine bool // the last read ended inside a line longer than the buffer
}

const (
	inPreamble = iota
	inParts
	closed   // the closing boundary was read
	unclosed // the input ended first
)

// newSplitter returns a splitter reading r with a buffer of size bytes;
// lines longer than the buffer are returned in pieces.
func newSplitter(r io.Reader, boundary string, size int) *splitter {
	return &splitter{br: bufio.NewReaderSize(r, size), dash: []byte("--" + boundary)}
}

// readLine returns the next line, or the next piece of a line longer than
// the buffer, and whether it starts a line.
func (s *splitter) readLine() (line []byte, start bool, err error) {
	start = !s.midLine
	line, err = s.br.ReadSlice('\n')
	s.midLine = err == bufio.ErrBufferFull
	if s.midLine {
		err = nil
	}
	return line, start, err
}

// boundary tells whether line is a delimiter (1), a closing delimiter (2)
// or not a boundary line (0).
func (s *splitter) boundary(line []byte, start bool) int {
	if !start || s.midLine || !bytes.HasPrefix(line, s.dash) {
		return 0
	}
	rest := line[len(s.dash):]
	kind := 1
	if bytes.HasPrefix(rest, []byte("--")) {
		rest, kind = rest[2:], 2
	}
	if len(bytes.Trim(rest, " \t\r\n")) != 0 {
		return 0
	}
	return kind
}

// next returns the next part, header included, or io.EOF after the last.
// It fails with errUnclosed when the input ended inside the previous part
// and errNoBoundary when no boundary line opened the first.
func (s *splitter) next() (*partBody, error) {
	if s.cur != nil {
		if _, err := io.Copy(io.Discard, s.cur); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		s.cur = nil
	}
	switch s.state {
	case closed:
		return nil, io.EOF
	case unclosed:
		return nil, errUnclosed
	case inPreamble:
		for {
			line, start, err := s.readLine()
			switch s.boundary(line, start) {
			case 1:
				s.state = inParts
			case 2:
				s.state = closed
				return nil, io.EOF
			}
			if s.state == inParts {
				break
			}
			if err != nil {
				if err == io.EOF {
					return nil, errNoBoundary
				}
				return nil, err
			}
		}
	}
	s.cur = &partBody{s: s}
	return s.cur, nil
}

// partBody reads one part up to its boundary line.
type partBody struct {
	s       *splitter
	held    [2]byte // line ending of the last line, owed if no boundary follows
	nheld   int
	emit    [2]byte
	hold    []byte // owed line ending being returned
	pending []byte // rest of the current line, in the splitter's buffer
	done    bool
	err     error
}

func (p *partBody) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		switch {
		case len(p.hold) > 0:
			c := copy(b[n:], p.hold)
			p.hold = p.hold[c:]
			n += c
		case len(p.pending) > 0:
			c := copy(b[n:], p.pending)
			p.pending = p.pending[c:]
			n += c
		case p.done:
			if n == 0 {
				return 0, p.err
			}
			return n, nil
		default:
			p.fill()
		}
	}
	return n, nil
}

// fill reads the next line: the end of the part, or data to return.
func (p *partBody) fill() {
	line, start, err := p.s.readLine()
	if kind := p.s.boundary(line, start); kind != 0 {
		// The line break before a boundary belongs to the boundary.
		p.done, p.err = true, io.EOF
		if kind == 2 {
			p.s.state = closed
		}
		return
	}
	p.emit = p.held
	p.hold = p.emit[:p.nheld]
	p.nheld = 0
	if err != nil {
		p.pending = line
		p.done, p.s.state = true, unclosed
		p.err = io.ErrUnexpectedEOF
		if err != io.EOF {
			p.err = err
		}
		return
	}
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		p.held, p.nheld = [2]byte{'\r', '\n'}, 2
		line = line[:len(line)-2]
	case bytes.HasSuffix(line, []byte("\n")):
		p.held, p.nheld = [2]byte{'\n'}, 1
		line = line[:len(line)-1]
	}
	p.pending = line
}
