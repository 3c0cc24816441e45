package message

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// charsetAliases maps labels that mailers write but the charset package does
// not know, or knows as a narrower charset than the one mailers mean, to the
// label of the charset to decode with. ISO-8859-1 and US-ASCII text is
// decoded as windows-1252, which only adds printable characters where the
// former have C1 controls that never occur in text (as the WHATWG Encoding
// standard does).
var charsetAliases = map[string]string{
	"utf8":              "utf-8",
	"unicode-1-1-utf-8": "utf-8",
	"x-unicode20utf8":   "utf-8",
	"iso-8859-1":        "windows-1252",
	"iso8859-1":         "windows-1252",
	"iso_8859-1":        "windows-1252",
	"iso_8859-1:1987":   "windows-1252",
	"latin1":            "windows-1252",
	"l1":                "windows-1252",
	"cp819":             "windows-1252",
	"ibm819":            "windows-1252",
	"us-ascii":          "windows-1252",
	"ascii":             "windows-1252",
	"ansi_x3.4-1968":    "windows-1252",
	"iso646-us":         "windows-1252",
	"cp1252":            "windows-1252",
	"x-cp1252":          "windows-1252",
	"cp932":             "shift_jis",
	"ms932":             "shift_jis",
	"ms_kanji":          "shift_jis",
	"sjis":              "shift_jis",
	"x-sjis":            "shift_jis",
	"shift-jis":         "shift_jis",
	"cp936":             "gbk",
	"ms936":             "gbk",
	"x-gbk":             "gbk",
	"cp949":             "euc-kr",
	"uhc":               "euc-kr",
	"ks_c_5601-1987":    "euc-kr",
	"ks_c_5601":         "euc-kr",
	"x-euc-jp":          "euc-jp",
	"cp950":             "big5",
	"x-big5":            "big5",
}

// normalizeCharset lower-cases a charset label and strips the quotes,
// spaces and RFC 2231 language suffix that mailers leave on it.
func normalizeCharset(label string) string {
	label = strings.ToLower(strings.Trim(label, " \t\"'"))
	if i := strings.IndexByte(label, '*'); i >= 0 {
		label = label[:i]
	}
	if a, ok := charsetAliases[label]; ok {
		return a
	}
	return label
}

func isUTF8Label(label string) bool {
	return label == "utf-8" || label == ""
}

// singleByte reports whether a charset maps each byte to one character, so
// that text in it which happens to be valid UTF-8 with multi-byte sequences
// is far more likely UTF-8 under a wrong label.
func singleByte(label string) bool {
	switch {
	case strings.HasPrefix(label, "windows-125"), strings.HasPrefix(label, "iso-8859-"),
		strings.HasPrefix(label, "koi8"), strings.HasPrefix(label, "cp125"),
		strings.HasPrefix(label, "iso8859-"), label == "macintosh", label == "x-mac-roman",
		label == "cp850", label == "cp866", label == "ibm866", label == "windows-874", label == "tis-620":
		return true
	}
	return false
}

// charmaps are the single-byte charsets, by normalized label, that convert
// decodes byte by byte rather than through the reader charset.Reader
// builds, whose buffers cost more than the decoding of a short text. A
// test checks that both decode every byte alike.
var charmaps = map[string]*charmap.Charmap{
	"windows-1250": charmap.Windows1250,
	"windows-1251": charmap.Windows1251,
	"windows-1252": charmap.Windows1252,
	"windows-1253": charmap.Windows1253,
	"windows-1254": charmap.Windows1254,
	"windows-1255": charmap.Windows1255,
	"windows-1256": charmap.Windows1256,
	"windows-1257": charmap.Windows1257,
	"windows-1258": charmap.Windows1258,
	"iso-8859-2":   charmap.ISO8859_2,
	"iso-8859-3":   charmap.ISO8859_3,
	"iso-8859-4":   charmap.ISO8859_4,
	"iso-8859-5":   charmap.ISO8859_5,
	"iso-8859-6":   charmap.ISO8859_6,
	"iso-8859-7":   charmap.ISO8859_7,
	"iso-8859-8":   charmap.ISO8859_8,
	"iso-8859-9":   charmap.ISO8859_9,
	"iso-8859-10":  charmap.ISO8859_10,
	"iso-8859-13":  charmap.ISO8859_13,
	"iso-8859-14":  charmap.ISO8859_14,
	"iso-8859-15":  charmap.ISO8859_15,
	"iso-8859-16":  charmap.ISO8859_16,
	"koi8-r":       charmap.KOI8R,
	"koi8-u":       charmap.KOI8U,
}

// convert decodes b from charset label (normalized) to UTF-8. It reports
// false when the charset is unknown.
func convert(label string, b []byte) (string, bool) {
	if isUTF8Label(label) {
		return repairUTF8(b), true
	}
	if label == "windows-1252" && isASCII(b) {
		return string(b), true
	}
	if cm := charmaps[label]; cm != nil {
		var sb strings.Builder
		sb.Grow(len(b) + len(b)/2)
		for _, c := range b {
			sb.WriteRune(cm.DecodeByte(c))
		}
		return sb.String(), true
	}
	r, err := charset.Reader(label, bytes.NewReader(b))
	if err != nil {
		return "", false
	}
	out, _ := io.ReadAll(r) // decoders replace what they cannot map; keep what was decoded
	return strings.ToValidUTF8(string(out), "\uFFFD"), true
}

// decodeText converts the bytes of a text part (or header) declared in
// charset label to UTF-8, repairing charset lies; what names the text in
// warnings.
func decodeText(b []byte, label, what string, warn func(string, ...any)) string {
	declared := strings.Trim(label, " \t\"'")
	label = normalizeCharset(label)
	switch {
	case isASCII(b) && !notASCIICompatible(label):
		return string(b)
	case isUTF8Label(label) || declared != "" && isASCIILabel(declared):
		if utf8.Valid(b) {
			return string(b)
		}
		if declared == "" {
			warn("%s has 8-bit bytes and no charset: read as UTF-8, other bytes as windows-1252", what)
		} else {
			warn("%s declared %s is not valid UTF-8: invalid bytes read as windows-1252", what, declared)
		}
		return repairUTF8(b)
	case singleByte(label) && utf8.Valid(b):
		warn("%s declared %s is UTF-8: read as UTF-8", what, declared)
		return string(b)
	}
	s, ok := convert(label, b)
	if !ok {
		warn("%s has unknown charset %q: read as UTF-8, other bytes as windows-1252", what, declared)
		return repairUTF8(b)
	}
	return s
}

// notASCIICompatible reports whether a charset encodes text that is not
// ASCII in ASCII bytes (ISO-2022, HZ, UTF-7) or ASCII text in other bytes
// (UTF-16, UTF-32), so that ASCII input still needs decoding.
func notASCIICompatible(label string) bool {
	for _, p := range []string{"iso-2022", "csiso2022", "hz-gb", "utf-7", "unicode-1-1-utf-7", "utf-16", "utf-32", "ucs-2"} {
		if strings.HasPrefix(label, p) {
			return true
		}
	}
	return false
}

func isASCIILabel(label string) bool {
	switch strings.ToLower(label) {
	case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us":
		return true
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// repairUTF8 keeps the valid UTF-8 sequences of b and reads every other
// byte as windows-1252, the usual origin of stray 8-bit bytes.
func repairUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			sb.WriteRune(charmap.Windows1252.DecodeByte(b[0]))
			b = b[1:]
			continue
		}
		sb.Write(b[:size])
		b = b[size:]
	}
	return sb.String()
}

// normalizeNewlines returns text with LF line endings, without NUL and other
// control characters (tab and form feed aside) and without a leading byte
// order mark.
func normalizeNewlines(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\r':
			sb.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case c == '\n' || c == '\t' || c == '\f':
			sb.WriteByte(c)
		case c < 0x20 || c == 0x7f:
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
