package htmltext

import (
	"bytes"
	"strings"
)

// writer lays out text: it owes line breaks, spaces, cell separators and
// list markers lazily, so that markup that renders nothing writes nothing.
type writer struct {
	b       []byte
	started bool   // something was written
	pending int    // line breaks owed before the next content, at most 2
	space   bool   // a space owed before the next word on this line
	sep     bool   // a table cell separator owed before the next word
	bullet  string // list marker owed at the start of the next line
	depth   int    // quote depth of the last line written
}

func (w *writer) midLine() bool { return w.started && w.pending == 0 }

// blockBreak ends the current line (n=1) or paragraph (n=2), if any.
func (w *writer) blockBreak(n int) {
	if !w.started {
		return
	}
	w.pending = max(w.pending, n)
	w.space, w.sep = false, false
}

// lineBreak is <br>: it ends the current line, or adds an empty one.
func (w *writer) lineBreak() {
	if !w.started {
		return
	}
	w.pending = min(w.pending+1, 2)
	w.space, w.sep = false, false
}

// flush writes the line breaks, quote prefix and list marker owed before
// content at quote depth depth.
func (w *writer) flush(depth int) {
	if w.midLine() {
		return
	}
	if w.started {
		w.b = append(w.b, '\n')
		if w.pending > 1 {
			w.prefix(min(depth, w.depth))
			w.b = append(w.b, '\n')
		}
	}
	w.prefix(depth)
	w.b = append(w.b, w.bullet...)
	w.bullet = ""
	w.pending, w.started, w.depth = 0, true, depth
	w.space, w.sep = false, false
}

func (w *writer) prefix(depth int) {
	for range min(depth, maxQuoteDepth) {
		w.b = append(w.b, "> "...)
	}
}

// word writes one word of running text.
func (w *writer) word(s string, depth int, spaced bool) {
	switch {
	case !w.midLine():
		w.flush(depth)
	case w.sep:
		w.b = append(w.b, " | "...)
	case w.space || spaced:
		w.b = append(w.b, ' ')
	}
	w.b = append(w.b, s...)
	w.space, w.sep = false, false
}

// text writes running text, collapsing white space.
func (w *writer) text(s string, depth int) {
	for s != "" {
		i := strings.IndexFunc(s, notSpace)
		if i < 0 {
			w.space = w.space || w.midLine()
			return
		}
		if i > 0 && w.midLine() {
			w.space = true
		}
		s = s[i:]
		j := strings.IndexAny(s, " \n\r\f\t")
		if j < 0 {
			j = len(s)
		}
		w.word(s[:j], depth, false)
		s = s[j:]
	}
}

// mark starts a line that holds only white space, as a paragraph holding
// only &nbsp; does in Outlook's HTML.
func (w *writer) mark(depth int) {
	if w.midLine() {
		w.space = true
		return
	}
	w.flush(depth)
}

// pre writes preformatted text: spaces kept, each newline a line break.
func (w *writer) pre(s string, depth int) {
	for {
		line, rest, more := strings.Cut(s, "\n")
		if line != "" {
			if !w.midLine() {
				w.flush(depth)
			} else if w.space {
				w.b = append(w.b, ' ')
			}
			w.b = append(w.b, line...)
			w.space, w.sep = false, false
		}
		if !more {
			return
		}
		if !w.started {
			w.flush(depth)
		}
		w.pending = min(w.pending+1, 2)
		s = rest
	}
}

// trimTrailingSeparator removes trailing blank lines and the separator
// lines (a rule, underscores or dashes) that clients put above the quoted
// header block they start.
func (w *writer) trimTrailingSeparator() {
	for {
		w.b = bytes.TrimRight(w.b, " \n>")
		i := bytes.LastIndexByte(w.b, '\n')
		last := bytes.TrimLeft(w.b[i+1:], "> ")
		if len(last) == 0 || strings.Trim(string(last), "_-─— ") != "" {
			return
		}
		w.b = w.b[:i+1]
	}
}

// finish returns the text with trailing spaces trimmed from each line, runs
// of blank lines (or of lines that are only a quote prefix) written once,
// and no blank lines at either end.
func (w *writer) finish() string {
	var out strings.Builder
	out.Grow(len(w.b))
	blank, seen := "", false
	for line := range strings.SplitSeq(string(w.b), "\n") {
		line = strings.TrimRight(line, " ")
		if strings.Trim(line, "> ") == "" {
			line = strings.ReplaceAll(line, " ", "")
			if !seen || len(line) < len(blank) {
				blank, seen = line, true
			}
			continue
		}
		if out.Len() > 0 {
			out.WriteByte('\n')
			if seen {
				out.WriteString(blank)
				out.WriteByte('\n')
			}
		}
		blank, seen = "", false
		out.WriteString(line)
	}
	return out.String()
}

func notSpace(r rune) bool {
	return r != ' ' && r != '\n' && r != '\r' && r != '\t' && r != '\f'
}
