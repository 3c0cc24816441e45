// Package htmltext turns the HTML body of an email into readable plain text.
//
// It reads HTML with the tokenizer of golang.org/x/net/html, which follows the
// HTML5 tokenization rules (entities, raw-text elements, broken markup), and
// renders it the way a person would read the mail: paragraphs and <br> as line
// breaks, list items prefixed with "- " (or "1. " in ordered lists), links as
// their text, table rows one per line with cells separated by " | ",
// blockquotes prefixed with "> ", and no script, style, head or hidden content
// (display:none, visibility:hidden, opacity:0 and collapsed max-height boxes,
// which is how mailers hide their preview text).
//
// Where it departs from a browser: it does not build the HTML5 tree. It keeps
// a small stack of open elements and closes elements the way the tree builder
// would in the common cases (p, li, td, tr and unclosed inline elements), so
// deeply nested or adversarial markup costs time and memory linear in its
// size. CSS in <style> blocks is ignored; only inline style attributes can hide
// content. Images, their alt text and link targets are not rendered.
//
// With Options.DropQuotes, the quoted history that mail clients wrap in
// recognisable containers is removed; see Options.
package htmltext

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Options tune Convert. The zero value renders everything that is visible.
type Options struct {
	// DropQuotes removes quoted history that mail clients mark in their HTML:
	// Gmail's div.gmail_quote (and gmail_quote_container), Apple Mail's and
	// Thunderbird's blockquote type=cite and div.moz-cite-prefix, Yahoo's
	// yahoo_quoted, Proton's protonmail_quote, and, cutting everything from
	// that point to the end of the document, Outlook's div#divRplyFwdMsg,
	// #appendonsend, #mail-editor-reference-message-container,
	// div.OutlookMessageHeader and Outlook desktop's border-top separator
	// div whose text starts with a "From:" label (in the common languages).
	// Gmail wraps forwarded messages in gmail_quote too, so a forward loses
	// the forwarded message with this option.
	DropQuotes bool
}

// Limits that keep adversarial markup cheap. They bound work, not input:
// deeper elements are still rendered, they are only not tracked.
const (
	maxStack      = 512 // open elements tracked; deeper ones only counted
	maxQuoteDepth = 10  // "> " prefixes written at most
	maxListDepth  = 8   // list indentation levels written at most
)

// Convert returns the readable text of an HTML document or fragment: UTF-8,
// LF line endings, no trailing spaces, at most one blank line in a row.
func Convert(src string, opts Options) string {
	c := converter{opts: opts}
	c.run(src)
	return c.w.finish()
}

type elemFlags uint16

const (
	flagSkip      elemFlags = 1 << iota // content not rendered
	flagQuote                           // blockquote: "> " prefix
	flagPre                             // whitespace preserved
	flagList                            // ul, ol, menu, dir
	flagOrdered                         // ol
	flagProbe                           // Outlook separator candidate
	flagTableRow                        // tr
	flagParagraph                       // ends with a blank line
	flagBlock                           // ends with a line break
)

type elem struct {
	name  string
	flags elemFlags
	items int // list items seen in a list; cells seen in a row
}

type converter struct {
	opts     Options
	w        writer
	stack    []elem
	overflow int // open elements beyond maxStack

	skip   int // open elements with flagSkip
	quotes int // open blockquotes
	pres   int // open pre-like elements
	lists  int // open lists
	inHead bool

	// Outlook desktop separator probe: one more than the output length
	// where the candidate div started (0: no candidate), and the text
	// seen inside it so far.
	probeMark int
	probeText strings.Builder

	done bool // cut: nothing more is rendered
}

func (c *converter) run(src string) {
	z := html.NewTokenizer(strings.NewReader(src))
	for !c.done {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.TextToken:
			c.text(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			c.start(z, string(name), hasAttr)
		case html.EndTagToken:
			name, _ := z.TagName()
			c.end(string(name))
		}
	}
}

// voids are the elements that never have content or an end tag.
var voids = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true,
	"hr": true, "img": true, "input": true, "link": true, "meta": true,
	"param": true, "source": true, "track": true, "wbr": true, "keygen": true,
}

// skipped are the elements whose content is never visible text.
var skipped = map[string]bool{
	"script": true, "style": true, "head": true, "title": true,
	"template": true, "noscript": true, "object": true, "iframe": true,
	"svg": true, "math": true, "select": true, "textarea": true,
	"noembed": true, "noframes": true, "button": false,
}

// paragraphs end with a blank line; blocks end with a line break.
var paragraphs = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "blockquote": true, "pre": true, "ul": true, "ol": true,
	"dl": true, "figure": true, "address": true, "xmp": true,
	"listing": true, "plaintext": true, "menu": true, "dir": true,
}

var blocks = map[string]bool{
	"div": true, "li": true, "tr": true, "table": true, "dt": true,
	"dd": true, "section": true, "article": true, "header": true,
	"footer": true, "center": true, "form": true, "caption": true,
	"main": true, "nav": true, "aside": true, "fieldset": true,
	"figcaption": true, "details": true, "summary": true, "hgroup": true,
	"legend": true, "option": true, "tbody": true, "thead": true,
	"tfoot": true, "body": true, "html": true, "dialog": true,
}

// headContent may appear in <head>; any other start tag ends it, as in the
// HTML5 tree builder's "in head" insertion mode.
var headContent = map[string]bool{
	"title": true, "meta": true, "link": true, "style": true,
	"script": true, "base": true, "noscript": true, "template": true,
	"basefont": true, "bgsound": true, "head": true,
}

type attrs struct {
	class, id, style, typ string
	hidden                bool
}

func readAttrs(z *html.Tokenizer) attrs {
	var a attrs
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "class":
			a.class = string(v)
		case "id":
			a.id = string(v)
		case "style":
			a.style = string(v)
		case "type":
			a.typ = string(v)
		case "hidden":
			a.hidden = true
		}
		if !more {
			return a
		}
	}
}

func (c *converter) start(z *html.Tokenizer, name string, hasAttr bool) {
	var a attrs
	if hasAttr {
		a = readAttrs(z)
	}
	if c.inHead && !headContent[name] {
		c.closeHead()
	}
	switch name {
	case "body":
		c.closeHead()
		return
	case "html":
		return
	}
	if c.opts.DropQuotes && c.skip == 0 && cutsRest(name, a) {
		c.cut(len(c.w.b))
		return
	}
	if name == "br" {
		if c.skip == 0 {
			c.w.lineBreak()
		}
		return
	}
	if name == "hr" {
		if c.skip == 0 {
			c.w.blockBreak(2)
			c.w.word("________________________________", c.quotes, false)
			c.w.blockBreak(2)
		}
		return
	}
	if voids[name] {
		return
	}
	c.closeImplied(name)

	e := elem{name: name}
	switch {
	case skipped[name], a.hidden, hiddenStyle(a.style):
		e.flags |= flagSkip
	case c.opts.DropQuotes && dropsContainer(name, a):
		e.flags |= flagSkip
	}
	if name == "head" {
		c.inHead = true
	}
	nestedList := (name == "ul" || name == "ol" || name == "menu" || name == "dir") && c.lists > 0
	if paragraphs[name] && !singleSpaced(name, a) && !nestedList {
		e.flags |= flagParagraph
	} else if paragraphs[name] || blocks[name] {
		e.flags |= flagBlock
	}
	switch name {
	case "blockquote":
		e.flags |= flagQuote
	case "pre", "xmp", "listing", "plaintext", "textarea":
		e.flags |= flagPre
	case "ul", "menu", "dir":
		e.flags |= flagList
	case "ol":
		e.flags |= flagList | flagOrdered
	case "tr":
		e.flags |= flagTableRow
	}
	if c.opts.DropQuotes && c.skip == 0 && c.probeMark == 0 && name == "div" && separatorStyle(a.style) {
		e.flags |= flagProbe
		c.probeMark = len(c.w.b) + 1
		c.probeText.Reset()
	}
	if c.skip == 0 && e.flags&flagSkip == 0 {
		c.open(e)
	}
	c.push(e)
}

// open renders what the start of e writes.
func (c *converter) open(e elem) {
	switch {
	case e.flags&flagParagraph != 0:
		c.w.blockBreak(2)
	case e.flags&flagBlock != 0:
		c.w.blockBreak(1)
	}
	switch e.name {
	case "li":
		c.w.blockBreak(1)
		c.w.bullet = c.bullet()
	case "td", "th":
		if row := c.innermost(flagTableRow); row != nil {
			if row.items > 0 && c.w.midLine() {
				c.w.sep = true
			}
			row.items++
		}
	}
}

// bullet is the marker of a new list item in the innermost list.
func (c *converter) bullet() string {
	list := c.innermost(flagList)
	if list == nil {
		return "- "
	}
	list.items++
	depth := min(c.lists, maxListDepth)
	indent := strings.Repeat("  ", max(depth-1, 0))
	if list.flags&flagOrdered != 0 {
		return indent + itoa(list.items) + ". "
	}
	return indent + "- "
}

func (c *converter) innermost(f elemFlags) *elem {
	for i := len(c.stack) - 1; i >= 0; i-- {
		if c.stack[i].flags&f != 0 {
			return &c.stack[i]
		}
		if f == flagTableRow && c.stack[i].name == "table" {
			return nil
		}
	}
	return nil
}

func (c *converter) push(e elem) {
	if len(c.stack) >= maxStack {
		c.overflow++
		return
	}
	c.stack = append(c.stack, e)
	if e.flags&flagSkip != 0 {
		c.skip++
	}
	if e.flags&flagQuote != 0 {
		c.quotes++
	}
	if e.flags&flagPre != 0 {
		c.pres++
	}
	if e.flags&flagList != 0 {
		c.lists++
	}
}

func (c *converter) end(name string) {
	if c.overflow > 0 {
		c.overflow--
		return
	}
	switch name {
	case "br":
		// </br> is read as <br> by browsers.
		if c.skip == 0 {
			c.w.lineBreak()
		}
		return
	case "head":
		c.closeHead()
		return
	case "body", "html":
		return
	}
	for i := len(c.stack) - 1; i >= 0; i-- {
		if c.stack[i].name == name {
			c.popTo(i)
			return
		}
	}
	// A stray end tag closes nothing, as in browsers (</p> aside).
	if name == "p" && c.skip == 0 {
		c.w.blockBreak(2)
	}
}

// popTo closes the elements from the top of the stack down to index i.
func (c *converter) popTo(i int) {
	for len(c.stack) > i {
		e := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		if e.flags&flagSkip != 0 {
			c.skip--
		}
		if e.flags&flagQuote != 0 {
			c.quotes--
		}
		if e.flags&flagPre != 0 {
			c.pres--
		}
		if e.flags&flagList != 0 {
			c.lists--
		}
		if e.flags&flagProbe != 0 {
			c.probeMark = 0
		}
		if e.name == "head" {
			c.inHead = false
		}
		if c.skip > 0 || e.flags&flagSkip != 0 {
			continue
		}
		switch {
		case e.flags&flagParagraph != 0:
			c.w.blockBreak(2)
		case e.flags&flagBlock != 0:
			c.w.blockBreak(1)
		}
	}
}

func (c *converter) closeHead() {
	for i := len(c.stack) - 1; i >= 0; i-- {
		if c.stack[i].name == "head" {
			c.popTo(i)
			break
		}
	}
	c.inHead = false
}

// closeImplied closes the elements that a start tag of name ends implicitly
// in the HTML5 tree builder: an open p before a block, the previous li, dt/dd,
// td/th and tr of the same list or table.
func (c *converter) closeImplied(name string) {
	var closes []string
	var scope string
	switch {
	case name == "li":
		closes, scope = []string{"li"}, "ul ol menu dir"
	case name == "dt" || name == "dd":
		closes, scope = []string{"dt", "dd"}, "dl"
	case name == "td" || name == "th":
		closes, scope = []string{"td", "th"}, "tr table"
	case name == "tr":
		closes, scope = []string{"tr", "td", "th"}, "table tbody thead tfoot"
	case name == "option":
		closes, scope = []string{"option"}, "select datalist"
	}
	if closes != nil {
		for i := len(c.stack) - 1; i >= 0; i-- {
			n := c.stack[i].name
			if contains(closes, n) {
				c.popTo(i)
				break
			}
			if strings.Contains(scope, n) && n != "" {
				break
			}
		}
	}
	if paragraphs[name] || blocks[name] || name == "li" || name == "hr" {
		if n := len(c.stack); n > 0 && c.stack[n-1].name == "p" {
			c.popTo(n - 1)
		}
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func (c *converter) text(raw []byte) {
	if c.skip > 0 || len(raw) == 0 {
		return
	}
	if c.inHead {
		if isSpace(raw) {
			return
		}
		c.closeHead()
	}
	s := clean(raw)
	if c.probeMark > 0 {
		c.checkProbe(s)
		if c.done {
			return
		}
	}
	switch {
	case c.pres > 0:
		c.w.pre(s, c.quotes)
	case strings.TrimSpace(s) == "" && bytes.Contains(raw, nbsp):
		c.w.mark(c.quotes)
	default:
		c.w.text(s, c.quotes)
	}
}

// checkProbe decides, from the first text of an Outlook desktop separator
// candidate, whether it starts a quoted header block ("From: ..."): if so
// the output is cut where the candidate started.
func (c *converter) checkProbe(s string) {
	if strings.TrimSpace(s) == "" && c.probeText.Len() == 0 {
		return
	}
	c.probeText.WriteString(s)
	t := strings.TrimSpace(c.probeText.String())
	if t == "" {
		return
	}
	if startsWithFromLabel(t) {
		c.cut(c.probeMark - 1)
		return
	}
	if utf8.RuneCountInString(t) >= maxFromLabel || c.probeText.Len() >= 4*maxFromLabel {
		c.probeMark = 0 // decided: not a separator
	}
}

// cut ends rendering and discards the output from offset n on, with the
// separator lines and blank lines that led to it.
func (c *converter) cut(n int) {
	c.done = true
	if n < len(c.w.b) {
		c.w.b = c.w.b[:n]
	}
	c.w.trimTrailingSeparator()
}

// clean maps the text of a token to what a reader sees: invisible
// characters (zero-width spaces and joiners, soft hyphens, byte order marks,
// bidi marks, controls) removed, tabs and no-break spaces as spaces.
func clean(b []byte) string {
	ok := true
	for _, c := range b {
		if c < 0x20 && c != '\n' || c >= 0x80 {
			ok = false
			break
		}
	}
	if ok {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r == '\n':
			sb.WriteByte('\n')
		case r == '\t' || r == '\u00a0' || r == '\u2007' || r == '\u202f':
			sb.WriteByte(' ')
		case r < 0x20 || r >= 0x7f && r < 0xa0:
		case invisible(r):
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func invisible(r rune) bool {
	switch r {
	case '\u00ad', '\u034f', '\u061c', '\u115f', '\u1160', '\u17b4', '\u17b5',
		'\u180e', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060',
		'\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u3164', '\uffa0',
		'\ufffc':
		return true
	}
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

var nbsp = []byte("\u00a0")

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return false
		}
	}
	return true
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
