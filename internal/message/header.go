package message

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// readHeader reads a header section from br and returns it with the reader
// of the body that follows. It departs from RFC 5322 where mail in the wild
// does: a first line "From ..." of an mbox is skipped; blank lines before
// the first field are skipped; a line that is not a field ends the header
// and starts the body; continuation lines before any field are dropped;
// fields beyond maxBytes are dropped. It fails with ErrNotMessage when no
// field starts the input.
//
// The header of a MIME part (part is true) may be empty: an empty first
// line ends it, and a first line that is not a field starts the body.
func readHeader(br *bufio.Reader, maxBytes int, part bool, warn func(string, ...any)) (textproto.Header, io.Reader, error) {
	var (
		h       textproto.Header
		field   []byte // the field being read, unfolded so far; nil between fields
		buf     []byte // backing array of field, reused from field to field
		total   int
		fields  int
		skipped bool
	)
	flush := func() {
		if field == nil {
			return
		}
		// One string holds both name and value.
		name, value, _ := strings.Cut(string(field), ":")
		h.Add(strings.TrimRight(name, " \t"), strings.TrimSpace(value))
		buf, field = field[:0], nil
		fields++
	}
	for first := true; ; first = false {
		line, err := readLine(br, maxBytes)
		if len(line) == 0 && err != nil {
			flush()
			if fields == 0 && !part {
				return h, nil, fmt.Errorf("%w: no header field", ErrNotMessage)
			}
			if !errors.Is(err, io.EOF) && !(part && errors.Is(err, io.ErrUnexpectedEOF)) {
				return h, nil, err
			}
			return h, br, nil
		}
		content := trimEOL(line)
		total += len(line)
		switch {
		case first && !part && isMboxFrom(content):
			first = true
			continue
		case len(content) == 0 && fields == 0 && field == nil && !part:
			skipped = true
			continue
		case len(content) == 0:
			flush()
			return h, br, nil
		case total > maxBytes:
			flush()
			warn("header larger than %d bytes: the fields beyond were dropped", maxBytes)
			if err := skipHeader(br); err != nil && !errors.Is(err, io.EOF) {
				return h, nil, err
			}
			return h, br, nil
		case content[0] == ' ' || content[0] == '\t':
			if field == nil {
				warn("header continuation line without a field dropped")
				continue
			}
			field = append(bytes.TrimRight(field, " \t"), ' ')
			field = append(field, bytes.TrimLeft(content, " \t")...)
		case isField(content):
			flush()
			field = append(buf[:0], content...)
		case fields == 0 && field == nil && part:
			warn("part without header: its first line read as body")
			return h, io.MultiReader(bytes.NewReader(bytes.Clone(line)), br), nil
		case fields == 0 && field == nil:
			return h, nil, fmt.Errorf("%w: first line is not a header field", ErrNotMessage)
		default:
			flush()
			warn("header not ended by an empty line: the body starts at the first line that is not a field")
			return h, io.MultiReader(bytes.NewReader(bytes.Clone(line)), br), nil
		}
		if skipped {
			warn("empty lines before the header skipped")
			skipped = false
		}
	}
}

// readLine returns the next line of br with its line ending, keeping at
// most max bytes of it: the rest of a longer line is read and dropped. The
// line may be in the buffer of br, valid until the next read only.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	out := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = br.ReadSlice('\n')
		if len(out) < max {
			out = append(out, line[:min(len(line), max-len(out))]...)
		}
	}
	return out, err
}

// skipHeader reads and drops lines up to and including an empty line.
func skipHeader(br *bufio.Reader) error {
	for {
		line, err := readLine(br, 1)
		if len(trimEOL(line)) == 0 && (err == nil || len(line) == 0) {
			return err
		}
		if err != nil {
			return err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// isField reports whether a line starts a header field: a name of printable
// ASCII without colon, optionally followed by spaces, then a colon.
func isField(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	name := bytes.TrimRight(line[:i], " \t")
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// isMboxFrom reports whether a line is the "From sender date" separator
// that starts a message in an mbox file.
func isMboxFrom(line []byte) bool {
	return bytes.HasPrefix(line, []byte("From ")) && !isField(line)
}
