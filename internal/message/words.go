package message

import (
	"bytes"
	"strings"

	"github.com/emersion/go-message/charset"
)

// encodedWord is one RFC 2047 "=?charset?encoding?text?=" word.
type encodedWord struct {
	charset string // normalized
	data    []byte // decoded bytes, still in charset
	raw     string // as written
}

// decodeWords decodes the RFC 2047 encoded words of a header value and
// converts stray 8-bit text to UTF-8. Adjacent encoded words in the same
// charset are joined before conversion, since mailers split multi-byte
// characters across words; white space between encoded words is dropped.
// Words in an unknown charset are kept as written.
func decodeWords(s string, warn func(string, ...any)) string {
	if !strings.Contains(s, "=?") {
		return headerText(s, warn)
	}
	var (
		out     strings.Builder
		run     []byte // bytes of adjacent words in runSet
		runSet  string
		inRun   bool
		pending strings.Builder // literal text since the last word
	)
	flush := func() {
		if inRun {
			out.WriteString(decodeText(run, runSet, "encoded word", warn))
			run, inRun = run[:0], false
		}
	}
	for s != "" {
		i := strings.Index(s, "=?")
		if i < 0 {
			pending.WriteString(s)
			break
		}
		w, n, ok := parseWord(s[i:])
		if !ok {
			pending.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		pending.WriteString(s[:i])
		s = s[i+n:]
		if inRun && strings.TrimSpace(pending.String()) == "" {
			pending.Reset() // white space between adjacent encoded words
		}
		if pending.Len() > 0 {
			flush()
			out.WriteString(headerText(pending.String(), warn))
			pending.Reset()
		}
		switch {
		case !knownCharset(w.charset):
			flush()
			warn("encoded word in unknown charset %q kept as written", w.charset)
			out.WriteString(headerText(w.raw, warn))
		case inRun && w.charset == runSet:
			run = append(run, w.data...)
		default:
			flush()
			run, runSet, inRun = append(run, w.data...), w.charset, true
		}
	}
	flush()
	out.WriteString(headerText(pending.String(), warn))
	return out.String()
}

// parseWord parses the encoded word at the start of s and returns it with
// its length. It accepts lower-case encodings, missing base64 padding and
// spaces inside Q text, which mailers write.
func parseWord(s string) (encodedWord, int, bool) {
	var w encodedWord
	rest := s[2:]
	q := strings.IndexByte(rest, '?')
	if q <= 0 || q > 64 || strings.ContainsAny(rest[:q], " \t\r\n\"()<>") {
		return w, 0, false
	}
	w.charset = normalizeCharset(rest[:q])
	rest = rest[q+1:]
	if len(rest) < 2 || rest[1] != '?' {
		return w, 0, false
	}
	enc := rest[0] | 0x20
	rest = rest[2:]
	end := strings.Index(rest, "?=")
	if end < 0 || strings.Contains(rest[:end], "=?") {
		return w, 0, false
	}
	text := rest[:end]
	n := len(s) - len(rest) + end + 2
	switch enc {
	case 'b':
		w.data = decodeBase64Lenient([]byte(text))
	case 'q':
		w.data = decodeQWord(text)
	default:
		return w, 0, false
	}
	w.raw = s[:n]
	return w, n, true
}

// decodeQWord decodes the Q encoding of RFC 2047 section 4.2, keeping
// malformed escapes as written.
func decodeQWord(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

// knownCharset reports whether a normalized charset label can be decoded.
func knownCharset(label string) bool {
	if isUTF8Label(label) {
		return true
	}
	_, err := charset.Reader(label, bytes.NewReader(nil))
	return err == nil
}

// headerText returns header text that is not encoded words as UTF-8: valid
// UTF-8 (RFC 6532) as it is, other 8-bit bytes read as windows-1252.
func headerText(s string, warn func(string, ...any)) string {
	if isASCII([]byte(s)) {
		return s
	}
	return decodeText([]byte(s), "", "header", warn)
}

// cleanHeaderText turns a decoded header value into one line: controls and
// line breaks as spaces, runs of white space as one, trimmed.
func cleanHeaderText(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r < 0x20 || r == 0x7f
	}), " ")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}
