package message

import (
	"path"
	"sort"
	"strconv"
	"strings"
)

// parseParams splits a Content-Type or Content-Disposition value into its
// lower-cased value and parameters (RFC 2045 section 5.1, RFC 2183). It is
// lenient where mime.ParseMediaType is strict: unquoted values with spaces,
// unterminated quotes, duplicate parameters (the first wins), stray
// semicolons. RFC 2231 continuations and charsets are joined and decoded,
// and RFC 2047 encoded words in values, which mailers write though RFC 2047
// forbids them there, are decoded too.
func parseParams(v string, warn func(string, ...any)) (string, map[string]string) {
	value, rest, _ := strings.Cut(v, ";")
	value = strings.ToLower(strings.Trim(value, " \t\"'"))
	params := map[string]string{}
	type section struct {
		n        int
		extended bool
		v        string
	}
	var sections map[string][]section
	for rest != "" {
		rest = strings.TrimLeft(rest, " \t;")
		if rest == "" {
			break
		}
		eq := strings.IndexAny(rest, "=;")
		if eq < 0 || rest[eq] == ';' {
			// A parameter without a value: skip it.
			if eq < 0 {
				break
			}
			rest = rest[eq:]
			continue
		}
		key := strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var val string
		val, rest = paramValue(rest)
		if key == "" {
			continue
		}
		name, idx, isSection := strings.Cut(key, "*")
		if !isSection {
			if _, dup := params[key]; !dup {
				params[key] = val
			}
			continue
		}
		if sections == nil {
			sections = map[string][]section{}
		}
		ext := strings.HasSuffix(idx, "*") || idx == ""
		idx = strings.TrimSuffix(idx, "*")
		n := 0
		if idx != "" {
			var err error
			if n, err = strconv.Atoi(idx); err != nil || n < 0 || n > 999 {
				continue
			}
		}
		if len(sections[name]) < 1000 {
			sections[name] = append(sections[name], section{n, ext, val})
		}
	}
	for name, ss := range sections {
		sort.SliceStable(ss, func(i, j int) bool { return ss[i].n < ss[j].n })
		var raw []byte
		cs := ""
		for i, s := range ss {
			v := s.v
			if s.extended {
				if i == 0 {
					// charset'language'value
					if a, b, ok := strings.Cut(v, "'"); ok {
						cs = a
						if _, c, ok := strings.Cut(b, "'"); ok {
							v = c
						} else {
							v = b
						}
					}
				}
				raw = append(raw, percentDecode(v)...)
			} else {
				raw = append(raw, v...)
			}
		}
		// RFC 2231 parameters take precedence over their plain form.
		params[name] = decodeText(raw, cs, "parameter "+name, warn)
	}
	for k, v := range params {
		if strings.Contains(v, "=?") {
			params[k] = decodeWords(v, warn)
		} else if !isASCII([]byte(v)) {
			params[k] = headerText(v, warn)
		}
	}
	return value, params
}

// paramValue reads a quoted string or a token from the start of s and
// returns it with the rest after the next ';'.
func paramValue(s string) (string, string) {
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch c := s[i]; c {
			case '\\':
				// Only an escaped quote or backslash is an escape: mailers
				// write Windows paths unescaped in quoted file names.
				if i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				b.WriteByte(s[i])
			case '"':
				rest := s[i+1:]
				if j := strings.IndexByte(rest, ';'); j >= 0 {
					return b.String(), rest[j+1:]
				}
				return b.String(), ""
			default:
				b.WriteByte(c)
			}
		}
		return b.String(), "" // unterminated quote: the rest is the value
	}
	v, rest, _ := strings.Cut(s, ";")
	return strings.TrimSpace(v), rest
}

func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// baseName returns the last element of a file name that may carry a
// Windows or Unix path, without control characters, at most 255 bytes.
func baseName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if strings.Contains(name, "/") {
		name = path.Base(strings.TrimRight(name, "/"))
		if name == "." || name == "/" {
			name = ""
		}
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if len(name) > 255 {
		name = strings.ToValidUTF8(name[:255], "")
	}
	return name
}
