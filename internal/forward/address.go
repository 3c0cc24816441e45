package forward

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxAddresses bounds the recipients kept from one header value.
const maxAddresses = 200

// parseAddressList reads a printed list of addresses. It is looser than RFC
// 5322 (net/mail rejects most of what clients print): display names may hold
// unquoted commas ("Doe, John <john@example.com>"), entries are separated by
// "," or ";", an entry may be a bare address, "Name <addr>", `"Name" <addr>`,
// "Name [mailto:addr]", "Name (addr)" or a name alone, and text after an
// angle address up to the next separator ("on behalf of ...") is dropped.
// Addresses are lower-cased; a name that only repeats the address is dropped.
func parseAddressList(s string) []mail.Address {
	s = strings.TrimSpace(stripMailto(s))
	if s == "" {
		return nil
	}
	if !strings.Contains(s, "@") {
		return namesOnly(s)
	}
	var out []mail.Address
	pending := "" // text without an address, carried into the next entry
	segStart := 0
	for i := 0; i < len(s) && len(out) < maxAddresses; {
		switch c := s[i]; c {
		case '"':
			j := closingQuote(s, i+1)
			i = j + 1
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				j = len(s)
			} else {
				j += i
			}
			addr := s[i+1 : j]
			name := pending + s[segStart:i]
			pending = ""
			if strings.Contains(addr, "@") {
				out = appendAddress(out, name, addr)
			} else {
				out = appendAddress(out, name+" "+addr, "")
			}
			// Skip what follows the address up to the next separator.
			k := j + 1
			for k < len(s) && s[k] != ',' && s[k] != ';' {
				k++
			}
			i = k + 1
			segStart = i
		case ',', ';':
			seg := s[segStart:i]
			switch {
			case strings.Contains(seg, "@"):
				out = appendBare(out, pending+seg)
				pending = ""
			case strings.TrimSpace(seg) == "":
			case c == ';':
				// Outlook separates with ";" and writes "Last, First"
				// names: text before a ";" is an entry of its own.
				out = appendAddress(out, pending+seg, "")
				pending = ""
			default:
				pending += seg + ","
			}
			i++
			segStart = i
		default:
			i++
		}
	}
	if segStart < len(s) && len(out) < maxAddresses {
		seg := pending + s[segStart:]
		if strings.Contains(seg, "@") {
			out = appendBare(out, seg)
		} else if strings.TrimFunc(seg, isNameJunk) != "" {
			out = appendAddress(out, seg, "")
		}
	} else if pending != "" && len(out) < maxAddresses {
		out = appendAddress(out, pending, "")
	}
	return out
}

// namesOnly splits a list that holds no address at all. ";" always
// separates; "," only when every part has two words or more, since "Doe,
// John" is one person.
func namesOnly(s string) []mail.Address {
	var parts []string
	if strings.Contains(s, ";") {
		parts = strings.Split(s, ";")
	} else {
		parts = strings.Split(s, ",")
		for _, p := range parts {
			if len(strings.Fields(p)) < 2 {
				parts = []string{s}
				break
			}
		}
	}
	var out []mail.Address
	for _, p := range parts {
		if len(out) >= maxAddresses {
			break
		}
		out = appendAddress(out, p, "")
	}
	return out
}

// closingQuote returns the index of the '"' closing a quoted string whose
// content starts at i, or len(s)-1 when there is none.
func closingQuote(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(s) - 1
}

// appendBare adds an entry without angle brackets: "addr", "'addr'",
// "Name (addr)", "addr (Name)".
func appendBare(out []mail.Address, seg string) []mail.Address {
	fields := strings.FieldsFunc(seg, func(r rune) bool { return unicode.IsSpace(r) })
	addrAt := -1
	for i, f := range fields {
		if strings.Contains(f, "@") {
			addrAt = i
			break
		}
	}
	if addrAt < 0 {
		return appendAddress(out, seg, "")
	}
	addr := fields[addrAt]
	name := strings.Join(append(append([]string(nil), fields[:addrAt]...), fields[addrAt+1:]...), " ")
	return appendAddress(out, name, addr)
}

// appendAddress cleans a name and an address and adds them, unless both are
// empty.
func appendAddress(out []mail.Address, name, addr string) []mail.Address {
	addr = cleanAddress(addr)
	name = cleanName(name)
	if addr != "" && strings.EqualFold(name, addr) {
		name = ""
	}
	if name == "" && addr == "" {
		return out
	}
	return append(out, mail.Address{Name: name, Address: addr})
}

func cleanAddress(a string) string {
	a = strings.TrimFunc(a, func(r rune) bool {
		return isSpace(r) || strings.ContainsRune(`"'<>()[],;:`, r) || isQuoteRune(r)
	})
	if len(a) > 7 && strings.EqualFold(a[:7], "mailto:") {
		a = a[7:]
	}
	return strings.ToLower(a)
}

// cleanName removes the quotes and brackets around a display name.
func cleanName(n string) string {
	for {
		m := strings.TrimFunc(n, isNameJunk)
		if len(m) >= 2 {
			first, _ := utf8.DecodeRuneInString(m)
			last, _ := utf8.DecodeLastRuneInString(m)
			switch {
			case isQuoteRune(first) && isQuoteRune(last):
				m = m[utf8.RuneLen(first) : len(m)-utf8.RuneLen(last)]
			case isQuoteRune(first) && strings.Count(m, string(first)) == 1:
				m = m[utf8.RuneLen(first):] // an unclosed quote
			case isQuoteRune(last) && strings.Count(m, string(last)) == 1:
				m = m[:len(m)-utf8.RuneLen(last)]
			}
		}
		if m == n {
			break
		}
		n = m
	}
	if strings.Contains(n, `\`) {
		n = strings.ReplaceAll(n, `\"`, `"`)
		n = strings.ReplaceAll(n, `\\`, `\`)
	}
	return n
}

// isNameJunk reports runes to trim around a display name.
func isNameJunk(r rune) bool {
	return isSpace(r) || r == ',' || r == ';' || r == '(' || r == ')' || r == '[' || r == ']' || r == ':' || r == '*'
}

func isQuoteRune(r rune) bool {
	switch r {
	case '"', '\'', '«', '»', '„', '“', '”', '‘', '’', '‚', '「', '」', '『', '』', '`':
		return true
	}
	return false
}

// stripMailto rewrites the mailto links that clients and HTML-to-text
// conversion leave around addresses: "addr<mailto:addr>" becomes "addr" and
// "Name [mailto:addr]" becomes "Name <addr>".
func stripMailto(s string) string {
	if !containsFold(s, "mailto:") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if (s[i] == '<' || s[i] == '[' || s[i] == '(') && i+8 <= len(s) && strings.EqualFold(s[i+1:i+8], "mailto:") {
			closer := byte('>')
			switch s[i] {
			case '[':
				closer = ']'
			case '(':
				closer = ')'
			}
			j := strings.IndexByte(s[i+8:], closer)
			if j < 0 {
				b.WriteString(s[i:])
				break
			}
			target := s[i+8 : i+8+j]
			glued := i > 0 && !isASCIISpace(s[i-1])
			if !glued || s[i] == '[' {
				b.WriteString("<" + target + ">")
			}
			i = i + 8 + j + 1
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func isASCIISpace(c byte) bool { return c == ' ' || c == '\t' }

func containsFold(s, sub string) bool {
	if len(sub) == 0 {
		return true
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
