// Package reply extracts the text a person newly wrote in an email reply from
// the plain-text body of that reply.
//
// It removes what mail clients add around the new text: quoted history
// ("> " lines, RFC 3676 section 4.5), the attribution line above a quote
// ("On <date>, <name> wrote:" and its translations, wrapped over up to three
// lines), Outlook header blocks ("From:/Sent:/To:/Subject:" and their
// translations), "-----Original Message-----" and forward separators, the
// signature after a "-- " delimiter (RFC 3676 section 4.3), mobile client
// lines ("Sent from my iPhone" and translations), legal disclaimers, and a
// closing sign-off ("Best regards,\nDana").
//
// Where it departs from RFC 3676:
//   - "--" without the trailing space, and an em dash or en dash alone on a
//     line, are taken as signature delimiters too, because clients and
//     people write them that way.
//   - format=flowed soft line breaks are not joined; the text keeps the line
//     breaks it arrived with.
//   - A quoted paragraph that a client rewrapped without re-quoting the
//     continuation ("> ... long line\nwrapped words\n>") is treated as part
//     of the quote only when the continuation begins in lower case after a
//     long quoted line; anything else between quotes is kept as an answer.
//
// Layout: text above the first quote (top-posting), text between quotes
// (interleaved answers) and text below the quote (bottom-posting) are all
// kept, in order, each run separated by one blank line. An attribution line
// or header block that is not followed by "> " quoting ends the reply there,
// because clients such as Outlook quote history without any prefix; a weak
// attribution (no date, time or address, such as "On Monday I wrote:") ends
// it only when quoted lines follow.
//
// Mobile client lines and disclaimers: "Sent from my <device>" and client
// lines that name a device or mail app end the reply; a loose "Sent from
// <words>" ends it only when the text ends or history follows. A notice that
// names itself ("CONFIDENTIALITY NOTICE", "Please consider the environment
// ...") ends the reply; one that opens like a sentence ("This email and any
// attachments ...") must use two legal words, and never counts as the first
// text of the reply.
//
// Separators that QQ Mail and Foxmail write with a literal "&nbsp;" or a
// no-break space ("------------------&nbsp;原始邮件&nbsp;------------------")
// are read as their plain-space forms.
//
// Sign-offs: a closing ("Regards", "Cheers", "Thanks", "Cordialement",
// "Mit freundlichen Grüßen", and short forms such as "Abs", "Att", "LG",
// "Cdlt", "Mvg", "Pozdr.") followed by a name and a signature block at the
// very end is removed; a closing alone that ends with "!" or "." ("Thanks!")
// is kept, since it may be all the sender wrote, except the formulas that
// close Japanese and Chinese letters ("よろしくお願いします。"). A signature
// block is short lines that are not sentences, at most eight, or sixteen
// when two of them carry an address, a link, a phone number or registration
// details. A line ending in a company form ("Rossi & Bianchi S.p.A.", "Sp.
// z o.o.") is not a sentence, and a company's registration line, however
// long ("Sitz der Gesellschaft: ... | Registergericht: ... HRB 123456"), is
// a signature line; a postscript ("P.S. ...") never is.
//
// A name alone under the text ("Sam") is kept by Extract, which cannot tell
// it from a last word of text, unless the signature block under it repeats
// it as a full name ("Sam\n\nSam Rivera\nVP Engineering\nexample.com").
// ExtractWith, told the sender's name, removes it, and a name-only sign-off
// above a signature block.
package reply

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPatternLine is the longest line, in bytes, that is ever tested against a
// pattern. Attribution lines, header fields and signatures are short; a
// longer line is always content, which bounds the work done per line.
const maxPatternLine = 1024

// Extract returns the text the sender of a reply newly wrote, given the
// plain-text body of the reply (UTF-8, CRLF or LF line endings). The result
// uses LF line endings, has trailing spaces removed from each line and is
// trimmed of leading and trailing white space. Invalid UTF-8 is replaced by
// U+FFFD. Extract never panics and runs in time linear in the input size.
//
// Extract cannot tell a sign-off that is only the sender's name ("Sam" under
// the text) from a last line of text, and keeps it; ExtractWith, told the
// sender's name, removes it.
func Extract(text string) string {
	return ExtractWith(text, Options{})
}

// Options tell ExtractWith what the body alone does not. The zero value
// makes ExtractWith behave as Extract.
type Options struct {
	// From is the reply's From header field ("Sam Rivera
	// <sam.rivera@example.com>"), or the sender's name alone ("Sam
	// Rivera"). The words of its display name, or of its address's local
	// part when it has none, are taken as the sender's name.
	From string
	// Names are further names the sender goes by, such as the name the
	// coach has on record ("Samuel Rivera").
	Names []string
}

// ExtractWith is Extract with the sender's name known: a sign-off that is
// only that name ("Sam", "- Sam R.", "Thanks, Sam"), alone at the end or
// above a signature block ("Sam Rivera\nVP Engineering\nexample.com"), is
// removed as well. A line that names the sender is kept when it is the
// first line of text, or may continue a wrapped sentence above it.
func ExtractWith(text string, opts Options) string {
	s := newScanner(text)
	segments := s.scan()
	out := flatten(segments)
	out = cleanTail(out, newSender(opts))
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// line is one line of the body with what the scanner needs to know about it.
type line struct {
	raw    string // the line as written, without its line ending
	trim   string // raw without surrounding white space
	blank  bool
	quoted bool // begins with '>' after optional indentation

	// What scanner.field and scanner.legal computed, once.
	fieldDone, fieldOK bool
	fieldKind          field
	fieldInline        fieldSet
	legalDone          bool
	legalWords         uint64
}

type scanner struct {
	lines []line
}

func newScanner(text string) *scanner {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.TrimPrefix(text, "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	raws := strings.Split(text, "\n")
	lines := make([]line, len(raws))
	for i, r := range raws {
		t := strings.TrimSpace(r)
		lines[i] = line{
			raw:    r,
			trim:   t,
			blank:  t == "",
			quoted: strings.HasPrefix(strings.TrimLeft(r, " \t"), ">"),
		}
	}
	return &scanner{lines: lines}
}

// scan walks the lines once and returns the runs of new text, in order.
// It stops at the first line that starts history or a signature.
func (s *scanner) scan() [][]string {
	var segments [][]string
	var cur []string
	content := false // whether any non-blank new text was kept so far
	flush := func() {
		if len(cur) > 0 {
			segments = append(segments, cur)
			cur = nil
		}
	}
	n := len(s.lines)
	for i := 0; i < n; {
		ln := s.lines[i]
		if isFence(ln.trim) {
			if end := s.fenceEnd(i); end > i {
				for j := i; j <= end; j++ {
					cur = append(cur, s.lines[j].raw)
				}
				content = true
				i = end + 1
				continue
			}
		}
		if ln.blank {
			cur = append(cur, "")
			i++
			continue
		}
		if ln.quoted {
			flush()
			i = s.skipQuote(i)
			continue
		}
		sig := sigNone
		if len(ln.trim) <= maxPatternLine {
			sig = mobileSignature(ln.trim)
		}
		if sig == sigStrong || s.hardStop(i, content) {
			break
		}
		if k, strong := s.attribution(i); k > 0 {
			j := s.nextNonBlank(i + k)
			if j < n && s.lines[j].quoted {
				flush()
				i = s.skipQuote(j)
				continue
			}
			if strong {
				break
			}
		}
		if sig == sigWeak && s.boundaryAfter(i) {
			break
		}
		cur = append(cur, ln.raw)
		content = true
		i++
	}
	flush()
	return segments
}

// hardStop reports whether line i starts history or a signature whatever
// follows it (mobile client lines are tested by the caller). content tells whether new text was already kept, which a
// disclaimer needs before it can be told from a message about confidentiality.
func (s *scanner) hardStop(i int, content bool) bool {
	t := s.lines[i].trim
	if len(t) > maxPatternLine {
		return false
	}
	if isSignatureDelimiter(t) || isHistorySeparator(t) {
		return true
	}
	if s.headerBlock(i) {
		return true
	}
	return content && s.disclaimer(i)
}

// boundaryAfter reports whether the next non-blank line after i is the end
// of the text or the start of history, which is what makes a loose
// "Sent from ..." line a signature rather than a sentence.
func (s *scanner) boundaryAfter(i int) bool {
	j := s.nextNonBlank(i + 1)
	if j >= len(s.lines) {
		return true
	}
	ln := s.lines[j]
	if ln.quoted || isSeparatorLine(ln.trim) || isHistorySeparator(ln.trim) || s.headerBlock(j) {
		return true
	}
	k, _ := s.attribution(j)
	return k > 0
}

func (s *scanner) nextNonBlank(i int) int {
	for i < len(s.lines) && s.lines[i].blank {
		i++
	}
	return i
}

// skipQuote returns the index of the first line after the quote block that
// starts at i. Blank lines inside the block and continuation lines that a
// client wrapped without quoting belong to it.
func (s *scanner) skipQuote(i int) int {
	n := len(s.lines)
	for i < n {
		ln := s.lines[i]
		switch {
		case ln.quoted:
			i++
		case ln.blank:
			j := s.nextNonBlank(i)
			if j < n && s.lines[j].quoted {
				i = j
				continue
			}
			return i
		default:
			c := s.lazyContinuation(i)
			if c == 0 {
				return i
			}
			i += c
		}
	}
	return i
}

// lazyContinuation returns how many lines from i continue the quoted line
// before them: one or two unquoted lines squeezed between quoted lines, that
// begin in lower case right after a long quoted line which is not a list
// item. Inline answers ("done", "Not yet") after short quoted lines such as
// a numbered commitment are never taken.
func (s *scanner) lazyContinuation(i int) int {
	if i == 0 || !s.lines[i-1].quoted {
		return 0
	}
	prev := strings.TrimLeft(s.lines[i-1].trim, "> \t")
	if utf8.RuneCountInString(prev) < 60 || isListItem(prev) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s.lines[i].trim)
	if !unicode.IsLower(r) {
		return 0
	}
	for c := 1; c <= 2 && i+c <= len(s.lines); c++ {
		if i+c == len(s.lines) {
			return 0
		}
		next := s.lines[i+c]
		if next.quoted {
			return c
		}
		if next.blank {
			return 0
		}
	}
	return 0
}

// fenceEnd returns the index of the line closing the code fence opened at i,
// or -1 when it is never closed (then the opener is ordinary text).
func (s *scanner) fenceEnd(i int) int {
	for j := i + 1; j < len(s.lines); j++ {
		if isFence(s.lines[j].trim) {
			return j
		}
	}
	return -1
}

func isFence(t string) bool { return strings.HasPrefix(t, "```") }

// flatten joins the runs of new text with one blank line between them,
// dropping blank lines at their edges and trailing spaces on every line.
func flatten(segments [][]string) []string {
	var out []string
	for _, seg := range segments {
		start, end := 0, len(seg)
		for start < end && strings.TrimSpace(seg[start]) == "" {
			start++
		}
		for end > start && strings.TrimSpace(seg[end-1]) == "" {
			end--
		}
		if start == end {
			continue
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		for _, l := range seg[start:end] {
			out = append(out, strings.TrimRight(l, " \t"))
		}
	}
	return out
}
