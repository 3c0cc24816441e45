package message

import (
	"net/mail"
	"strings"
)

// parseAddressList reads an address list header value (RFC 5322 section
// 3.4) leniently: display names may hold unquoted commas and dots, entries
// may be separated by semicolons, groups are flattened, comments become
// names when there is no other, and encoded words are decoded wherever they
// appear in a name. Addresses are lower-cased. Entries without an address
// are dropped with a warning.
func parseAddressList(v, field string, warn func(string, ...any)) []mail.Address {
	var (
		out     []mail.Address
		pending string // name fragments of an entry split at an unquoted comma
	)
	for _, item := range splitAddresses(v) {
		a, ok := parseAddress(item, warn)
		if !ok {
			if strings.TrimSpace(item) != "" {
				pending = strings.TrimSpace(pending + ", " + strings.TrimSpace(item))
				pending = strings.TrimPrefix(pending, ", ")
			}
			continue
		}
		if pending != "" {
			if a.Name != "" && strings.Contains(item, "<") {
				a.Name = cleanName(pending, warn) + ", " + a.Name
			} else {
				warn("%s: no address in %q", field, pending)
			}
			pending = ""
		}
		out = append(out, a)
	}
	if pending != "" {
		warn("%s: no address in %q", field, pending)
	}
	return out
}

// splitAddresses splits a list at commas and semicolons outside quotes,
// comments and angle brackets, and drops group names ("team:").
func splitAddresses(v string) []string {
	var (
		items   []string
		cur     strings.Builder
		quoted  bool
		comment int
		angle   bool
		at      bool // cur holds an "@"
	)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case quoted:
			cur.WriteByte(c)
			if c == '\\' && i+1 < len(v) {
				i++
				cur.WriteByte(v[i])
			} else if c == '"' {
				quoted = false
			}
			continue
		case comment > 0:
			cur.WriteByte(c)
			if c == '\\' && i+1 < len(v) {
				i++
				cur.WriteByte(v[i])
			} else if c == '(' {
				comment++
			} else if c == ')' {
				comment--
			}
			continue
		}
		switch c {
		case '"':
			quoted = true
		case '(':
			comment = 1
		case '<':
			angle = true
		case '>':
			angle = false
		case ',', ';':
			if !angle {
				items = append(items, cur.String())
				cur.Reset()
				at = false
				continue
			}
		case ':':
			if !angle && !at {
				cur.Reset() // group name
				continue
			}
		case '@':
			at = true
		}
		cur.WriteByte(c)
	}
	return append(items, cur.String())
}

// parseAddress reads one entry: "Name <addr>", "addr (Name)" or "addr".
func parseAddress(item string, warn func(string, ...any)) (mail.Address, bool) {
	item = strings.TrimSpace(item)
	if item == "" {
		return mail.Address{}, false
	}
	name, addr := "", ""
	if lt := lastOutsideQuotes(item, '<'); lt >= 0 {
		rest := item[lt+1:]
		gt := strings.IndexByte(rest, '>')
		if gt < 0 {
			gt = len(rest)
		}
		addr = rest[:gt]
		name = item[:lt]
		if name == "" && gt < len(rest) {
			name = rest[gt+1:] // "<addr> Name"
		}
	} else {
		var comments []string
		addr, comments = stripComments(item)
		name = strings.Join(comments, " ")
		if fields := strings.Fields(addr); len(fields) > 1 {
			// "Name addr@host": take the field with the "@".
			for i, f := range fields {
				if strings.Contains(f, "@") {
					addr = f
					name = strings.Join(append(fields[:i:i], fields[i+1:]...), " ")
					break
				}
			}
		}
	}
	addr = cleanAddr(addr)
	if !plausibleAddr(addr) {
		return mail.Address{}, false
	}
	name, comments := stripComments(name)
	if strings.TrimSpace(name) == "" && len(comments) > 0 {
		name = strings.Join(comments, " ")
	}
	name = cleanName(name, warn)
	if strings.EqualFold(name, addr) || strings.EqualFold(strings.Trim(name, "'\""), addr) {
		name = ""
	}
	return mail.Address{Name: name, Address: addr}, true
}

// lastOutsideQuotes returns the index of the last c outside quoted strings
// and comments, or -1.
func lastOutsideQuotes(s string, c byte) int {
	idx, quoted, comment := -1, false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case quoted:
			quoted = s[i] != '"'
		case comment > 0:
			if s[i] == '(' {
				comment++
			} else if s[i] == ')' {
				comment--
			}
		case s[i] == '"':
			quoted = true
		case s[i] == '(':
			comment = 1
		case s[i] == c:
			idx = i
		}
	}
	return idx
}

// stripComments removes (comments) outside quoted strings and returns them.
func stripComments(s string) (string, []string) {
	if !strings.Contains(s, "(") {
		return s, nil
	}
	var (
		out      strings.Builder
		cur      strings.Builder
		comments []string
		depth    int
		quoted   bool
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case depth > 0:
			switch c {
			case '(':
				depth++
				cur.WriteByte(c)
			case ')':
				depth--
				if depth == 0 {
					comments = append(comments, cur.String())
					cur.Reset()
				} else {
					cur.WriteByte(c)
				}
			default:
				cur.WriteByte(c)
			}
		case quoted:
			out.WriteByte(c)
			if c == '"' {
				quoted = false
			}
		case c == '"':
			quoted = true
			out.WriteByte(c)
		case c == '(':
			depth = 1
		default:
			out.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		comments = append(comments, cur.String())
	}
	return out.String(), comments
}

func cleanAddr(a string) string {
	a = strings.TrimSpace(a)
	a = strings.Trim(a, "<>\"' \t")
	if len(a) > 7 && strings.EqualFold(a[:7], "mailto:") {
		a = a[7:]
	}
	return strings.ToLower(strings.Join(strings.Fields(a), ""))
}

// plausibleAddr reports whether a looks like local@domain. It does not
// validate further: odd but deliverable addresses must survive.
func plausibleAddr(a string) bool {
	at := strings.LastIndexByte(a, '@')
	return at > 0 && at < len(a)-1 && len(a) <= 320 && !strings.ContainsAny(a, "<>(),;\\")
}

// cleanName unquotes a display name, decodes its encoded words and trims it.
func cleanName(name string, warn func(string, ...any)) string {
	name = strings.TrimSpace(name)
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case '\\':
			if i+1 < len(name) {
				i++
				b.WriteByte(name[i])
			}
		case '"':
		default:
			b.WriteByte(c)
		}
	}
	name = cleanHeaderText(decodeWords(b.String(), warn))
	return strings.Trim(name, " '")
}
