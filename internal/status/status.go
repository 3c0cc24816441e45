// Package status reads what a leader says about their commitments in a reply
// to a prompt that listed them, numbered: "1 done", "#2 - not yet, budget
// frozen", "dropped #3", "done with the hiring plan", "2 noch nicht", "1
// fait", "1 klar", "3 rezygnuję", "1 已完成", in English, French, German,
// Spanish, Portuguese, Italian, Dutch, Swedish, Danish, Norwegian, Polish,
// Chinese, Japanese and Korean. A line may report on several commitments,
// sentence by sentence. It also recognises a reply whose whole meaning is
// "stop sending me mail".
//
// A wrong status corrupts the leader's record, where a missed one can be
// reported again, so the package leans to reading nothing: a sentence that
// names a commitment is a status only when it says where the commitment
// stands, not when it wants, plans, asks or promises ("I want the hiring
// plan done by Friday").
//
// No RFC governs these replies. The text given is the leader's own new text
// (quoted history removed upstream); lines quoted with ">" are read only to
// learn which commitment an inline answer below them is about.
package status

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Value is where a commitment stands.
type Value string

// The statuses a leader can report.
const (
	Done    Value = "done"
	NotDone Value = "not_done"
	Dropped Value = "dropped"
)

// Update is what the reply says about one commitment.
type Update struct {
	// Ref is the commitment's 1-based number in the list the prompt showed.
	Ref    int
	Status Value
	// Comment is the leader's free text after the status ("budget frozen"),
	// trimmed of separators; "" when there is none.
	Comment string
}

// Limits that keep hostile input cheap. Without the list of commitments a
// number above maxUnlisted is taken for a quantity, not a reference.
const (
	maxInput    = 64 << 10
	maxLines    = 2000
	maxLineLen  = 2000
	maxUnlisted = 20
	maxRefs     = 12  // in one list: "1, 2 and 3 done"
	maxMention  = 400 // bytes of a sentence that names a commitment by its words
)

// Parse returns the status updates in text, one per commitment, ordered by
// Ref. commitments are the texts the prompt listed, in order; with them,
// references outside 1..len(commitments) are ignored and updates written by
// name ("finished the board deck") are matched to the commitment sharing the
// most words, or to none when two match equally. When the reply speaks of a
// commitment twice, the last statement wins: people correct themselves
// further down ("1 done... actually 1 not yet"). Lines that say nothing about
// a commitment (the focus answer) yield nothing. "all done" marks every
// listed commitment, so it needs the list.
func Parse(text string, commitments []string) []Update {
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	p := parser{n: len(commitments), got: map[int]Update{},
		commits: make([][]string, 0, len(commitments)), lows: make([]string, 0, len(commitments))}
	for _, c := range commitments {
		c = lower(c)
		p.commits = append(p.commits, contentWords(c))
		p.lows = append(p.lows, c)
	}
	for k, l := range strings.Split(text, "\n") {
		if k >= maxLines {
			break
		}
		if len(l) > maxLineLen {
			l = l[:maxLineLen]
		}
		p.line(l)
	}
	out := make([]Update, 0, len(p.got))
	for _, u := range p.got {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref < out[j].Ref })
	return out
}

type parser struct {
	n       int
	commits [][]string // the content words of each commitment
	lows    []string   // each commitment, lower-cased
	got     map[int]Update
	cur     []Update // the updates of the statement being read
	pending int      // the commitment a quoted or copied line just named
}

func (p *parser) set(ref int, v Value, comment string) {
	if ref == -1 { // "the last one"
		ref = p.n
	}
	if ref < 1 || (p.n > 0 && ref > p.n) || (p.n == 0 && ref > maxUnlisted) {
		return
	}
	p.cur = append(p.cur, Update{Ref: ref, Status: v, Comment: comment})
}

// lower lower-cases s rune by rune, keeping the byte offsets of s so that a
// position found in the lower-cased text cuts the original text too.
func lower(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		l := unicode.ToLower(r)
		if utf8.RuneLen(l) != utf8.RuneLen(r) {
			l = r
		}
		b.WriteRune(l)
	}
	return b.String()
}

// normalize makes apostrophes straight and dashes plain before lowering.
var normalize = normalizer{strings.NewReplacer("’", "'", "‘", "'", "\u00a0", " ", "\t", " ", "\ufe0f", "", "\u200b", "")}

// normalizer skips the replacer for text that holds none of its
// characters: a tab, or a first byte of the others (0xc2, 0xe2, 0xef).
type normalizer struct{ r *strings.Replacer }

func (n normalizer) Replace(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\t' || c == 0xc2 || c == 0xe2 || c == 0xef {
			return n.r.Replace(s)
		}
	}
	return s
}

func (p *parser) line(raw string) {
	s := strings.TrimSpace(normalize.Replace(raw))
	quoted := false
	for strings.HasPrefix(s, ">") {
		s = strings.TrimSpace(s[1:])
		quoted = true
	}
	if s == "" {
		return
	}
	low := lower(s)
	i := skipBullet(low, 0)
	if quoted {
		// A quoted line of the prompt names the commitment that the answer
		// below it is about.
		if refs, e, ok := refsAt(low, i); ok && len(refs) == 1 && !p.hasStatusAfter(low, e) {
			p.pending = refs[0]
		}
		return
	}
	if p.checkbox(s, low, i) {
		p.commit()
		return
	}
	refs := mayHoldRef(low[i:])
	groups := p.statements(s, low, i, refs)
	for _, g := range groups {
		if len(groups) > 1 {
			refs = mayHoldRef(low[g[0]:g[1]])
		}
		p.statement(s[g[0]:g[1]], low[g[0]:g[1]], max(i-g[0], 0), g[0] == 0, refs)
		p.commit()
	}
}

// statements splits a line into the statements it makes, as byte ranges:
// "The hiring plan is done - sent it Monday. Haven't talked to Priya yet."
// is two, one per commitment. A sentence starts a statement when it names
// a commitment by number, or by name one that the statement before did not
// name. A sentence with no status goes on with the statement before it, as
// its comment ("Done! It went better than I expected."), unless it turns
// to another subject (newTopic): then it and the sentences after it with
// no status are a statement of their own, which says nothing, so that the
// focus answer ("dropped #3. Today is about the hiring plan") is no
// comment. A line of one sentence, or whose later sentences say nothing
// new, is one statement.
func (p *parser) statements(s, low string, i int, refs bool) [][2]int {
	whole := [][2]int{{0, len(s)}}
	if p.n == 0 && !refs {
		// Without a list only numbers and ordinals name a commitment: no
		// sentence but the first can say anything.
		return whole
	}
	sents := sentenceEnds(s, low, i)
	if len(sents) < 2 {
		return whole
	}
	pending := p.pending
	var out [][2]int
	var named []int
	start := 0
	for k, end := range sents {
		from := 0
		if k > 0 {
			from = skipSpace(low, sents[k-1])
		}
		j := 0
		if k == 0 {
			j = i
		}
		ups, byNumber := p.statement(s[from:end], low[from:end], j, k == 0, refs && mayHoldRef(low[from+j:end]))
		p.cur, p.pending = p.cur[:0], pending // only trying
		if len(ups) == 0 {
			if k > 0 && len(named) > 0 && p.newTopic(low[from:end], named) {
				// The comment ends here: this sentence and those after
				// it, to the next status, say nothing of a commitment.
				out = append(out, [2]int{start, from})
				start, named = from, nil
			}
			continue
		}
		refs := make([]int, len(ups))
		for n, u := range ups {
			refs[n] = u.Ref
		}
		if k > 0 && (byNumber || slices.ContainsFunc(refs, func(r int) bool { return !slices.Contains(named, r) })) {
			out = append(out, [2]int{start, from})
			start = from
		}
		named = refs
	}
	if len(out) == 0 {
		return whole
	}
	return append(out, [2]int{start, len(s)})
}

// newTopic reports whether sentence, which reports no status, leaves the
// commitments named just before (named) for another subject: the day's
// focus ("Today is all about the CFO conversation"), or, when it does not
// name those commitments again ("The CFO is back on Monday"), a plan ("I
// want to talk about delegation") or another commitment ("The CFO is
// next").
func (p *parser) newTopic(sentence string, named []int) bool {
	if focusTurn(sentence) {
		return true
	}
	if p.n == 0 {
		return false
	}
	isNamed := func(w string) bool {
		ws := []string{w}
		return slices.ContainsFunc(named, func(r int) bool { return r <= p.n && overlap(ws, p.commits[r-1]) > 0 })
	}
	content := contentWords(sentence)
	if slices.ContainsFunc(content, isNamed) {
		return false
	}
	for _, w := range strings.FieldsFunc(sentence, notWordRune) {
		if plans[w] {
			return true
		}
	}
	for _, w := range content {
		for _, c := range p.commits {
			if overlap([]string{w}, c) > 0 {
				return true
			}
		}
	}
	return false
}

// focusTurn reports whether text turns to the day's focus: "Today is all
// about the CFO", "my priority is the reorg".
func focusTurn(text string) bool {
	var buf [24]byte
	for k := 0; k < len(text); {
		if r, size := utf8.DecodeRuneInString(text[k:]); notWordRune(r) {
			k += size
			continue
		}
		w, e := wordAt(text, k)
		k = e
		if !hasUpper(w) { // no capital: no copy
			if topicWords[w] {
				return true
			}
			continue
		}
		if len(w) <= len(buf) && ascii(w) {
			// "Today": lower-case without allocating.
			n := copy(buf[:], w)
			for j := range n {
				if c := buf[j]; c >= 'A' && c <= 'Z' {
					buf[j] = c + 'a' - 'A'
				}
			}
			if topicWords[string(buf[:n])] {
				return true
			}
			continue
		}
		if topicWords[lower(w)] {
			return true
		}
	}
	for _, w := range topicPhrases {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// hasUpper reports whether s may hold a capital: an ASCII one, or any
// non-ASCII letter, which lower will look at.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// focusCut cuts a comment where a clause of it turns to the day's focus:
// "Dropped it, today I want to talk about delegation" is no comment of the
// drop from "today" on.
func focusCut(c string) string {
	if c == "" {
		return c
	}
	if !focusTurn(c) {
		return c
	}
	low := lower(c)
	start := 0
	for k := 0; k <= len(low); k++ {
		if k < len(low) && !(strings.IndexByte(",;", low[k]) >= 0 || strings.HasPrefix(low[k:], " - ") || strings.HasPrefix(low[k:], " – ") || strings.HasPrefix(low[k:], " — ")) {
			continue
		}
		if focusTurn(low[start:k]) {
			return comment(c[:start])
		}
		start = k + 1
	}
	return c
}

// sentenceEnds returns where each sentence of low ends (after its
// punctuation), the last one at the end of low; s is low before lowering.
// A full stop ends a sentence only after a word of two letters or more that
// is no abbreviation, or after a reference that ends what a sentence says
// (numberEnds), and followed by a space: "1. done", "3.5" and "e.g. the
// deck" stay whole. CJK full stops need no space after them.
func sentenceEnds(s, low string, i int) []int {
	var ends []int
	start := i
	for k := i; k < len(low); {
		r, size := utf8.DecodeRuneInString(low[k:])
		k += size
		switch r {
		case '.', '!', '?':
			if k >= len(low) || low[k] != ' ' {
				continue
			}
			if r == '.' && !wordBeforeDot(low[:k-1]) && !numberEnds(s, low, start, k-1) {
				continue
			}
		case '。', '！', '？':
		default:
			continue
		}
		if m := skipSpace(low, k); m < len(low) {
			ends = append(ends, k)
			start = m
		}
	}
	return append(ends, len(low))
}

// numberEnds reports whether the full stop at dot, after a number, ends
// the sentence that starts at start: the number follows words of the
// sentence and no status follows, so it is no list marker ("1. done", "1.
// done 2. not yet"), and it is a reference
// ("dropped #3. Today is about ...") or a capital letter follows ("moved
// to 3. Then ...").
func numberEnds(s, low string, start, dot int) bool {
	j := dot
	for j > start && low[j-1] >= '0' && low[j-1] <= '9' {
		j--
	}
	if j == dot || dot-j > 2 {
		return false
	}
	hash := j > start && low[j-1] == '#'
	if hash {
		j--
	}
	if j == start || low[j-1] != ' ' || strings.TrimSpace(low[start:j]) == "" {
		return false
	}
	if _, _, ok := statusAt(low, skipSpace(low, dot+1)); ok {
		return false // "1. done 2. not yet": the number opens the next statement
	}
	if hash {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[skipSpace(low, dot+1):])
	return unicode.IsUpper(r)
}

// wordBeforeDot reports whether low ends with a word that a full stop after
// it ends a sentence with: letters, two or more, not an abbreviation.
func wordBeforeDot(low string) bool {
	k := len(low)
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(low[:k])
		if !unicode.IsLetter(r) {
			break
		}
		k -= size
	}
	w := low[k:]
	return utf8.RuneCountInString(w) >= 2 && !abbreviations[w]
}

var abbreviations = set("mr", "mrs", "ms", "dr", "vs", "etc", "eg", "ie", "approx", "no", "nr", "st", "ca", "bzw", "usw")

// statement reads one statement, a whole line or the sentences of one, and
// returns the updates it makes, in p.cur, and whether they name their
// commitments by number. first tells whether the statement opens its line:
// only there may a bare status ("Done, sent it Monday") answer the
// commitment named just above. refs tells whether the statement may hold
// a reference (mayHoldRef), without which it has no segments.
func (p *parser) statement(s, low string, i int, first, refs bool) ([]Update, bool) {
	if refs && p.segments(s, low, i) {
		p.pending = 0
		return p.cur, true
	}
	if p.all(low[i:]) {
		return p.cur, true
	}
	// By name: several clauses each naming a commitment, else the whole line.
	if ups := p.clauses(s, low, i); len(ups) > 1 {
		for _, u := range ups {
			p.set(u.Ref, u.Status, u.Comment)
		}
		return p.cur, false
	}
	if u, ok := p.byText(s, low, i); ok {
		p.set(u.Ref, u.Status, u.Comment)
		return p.cur, false
	}
	if p.refThenText(s, low, i) {
		return p.cur, true
	}
	if first && refs && p.laterStatus(s, low, i) {
		return p.cur, true
	}
	// A bare status answers the commitment named just above, or the only one.
	if !first {
		return p.cur, false
	}
	if v, e, ok := statusAt(low, i); ok {
		ref := p.pending
		if ref == 0 && p.n == 1 {
			ref = 1
		}
		if ref > 0 {
			p.set(ref, v, comment(s[e:]))
			p.pending = 0
		}
	}
	return p.cur, false
}

// commit records the updates of the statement just read; a later one about
// the same commitment replaces an earlier one.
func (p *parser) commit() {
	for _, u := range p.cur {
		u.Comment = focusCut(u.Comment)
		p.got[u.Ref] = u
	}
	p.cur = p.cur[:0]
}

func (p *parser) hasStatusAfter(low string, i int) bool {
	_, _, ok := statusAt(low, skipLinks(low, i))
	return ok
}

// skipBullet skips list markers ("- ", "* ", "• ").
func skipBullet(low string, i int) int {
	for _, b := range []string{"- ", "* ", "• ", "– ", "+ "} {
		if strings.HasPrefix(low[i:], b) {
			return skipSpace(low, i+len(b))
		}
	}
	return i
}

func skipSpace(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// refsAt reads one or more commitment numbers at i: "1", "#2", "(3)", "1.",
// "2)", "1, 2 and 3", "#1 & #3". A number glued to more digits or letters,
// or part of "1:1", "3/4", "3.5", is not a reference.
func refsAt(low string, i int) ([]int, int, bool) {
	if ref, e, ok := ordinalAt(low, i); ok {
		return []int{ref}, e, true
	}
	var refs []int
	j := i
	for {
		k := j
		if k < len(low) && low[k] == '(' {
			k++
		}
		if k < len(low) && low[k] == '#' {
			k++
		}
		start := k
		v := 0
		for k < len(low) && low[k] >= '0' && low[k] <= '9' && k-start < 3 {
			v = v*10 + int(low[k]-'0')
			k++
		}
		if k == start || k-start > 2 || v == 0 {
			break
		}
		if k < len(low) {
			c := low[k]
			if c >= '0' && c <= '9' {
				break
			}
			if (c == ':' || c == '/' || c == '.' || c == ',') && k+1 < len(low) && low[k+1] >= '0' && low[k+1] <= '9' {
				break
			}
			if r, _ := utf8.DecodeRuneInString(low[k:]); unicode.IsLetter(r) && !cjk(r) || c == '%' {
				break
			}
		}
		refs = append(refs, v)
		if k < len(low) && (low[k] == '.' || low[k] == ')' || low[k] == ':') {
			k++
		}
		j = k
		// Another number joined by a connector?
		m := skipSpace(low, k)
		conn := false
		for _, c := range []string{",", "&", "+", "/", "and ", "et ", "und ", "y ", "e ", "en ", "og ", "och ", "i ", "oraz ", "or "} {
			if strings.HasPrefix(low[m:], c) {
				m = skipSpace(low, m+len(c))
				conn = true
				break
			}
		}
		if !conn || len(refs) >= maxRefs || m >= len(low) || !(low[m] == '#' || low[m] == '(' || (low[m] >= '0' && low[m] <= '9')) {
			break
		}
		j = m
	}
	if len(refs) == 0 {
		return nil, i, false
	}
	return refs, j, true
}

// ordinalAt reads "first", "the second one", "3rd item", "la première".
// "last" is returned as -1 and resolved against the list by set.
func ordinalAt(low string, i int) (int, int, bool) {
	j := i
	for _, art := range []string{"the ", "la ", "le ", "die ", "der ", "das ", "el ", "a ", "o ", "il ", "de ", "het "} {
		if strings.HasPrefix(low[j:], art) {
			j += len(art)
			break
		}
	}
	k := j
	for k < len(low) {
		r, size := utf8.DecodeRuneInString(low[k:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		k += size
	}
	ref, ok := ordinals[low[j:k]]
	if !ok {
		return 0, i, false
	}
	for _, n := range ordinalNouns {
		if m := skipSpace(low, k); strings.HasPrefix(low[m:], n) && (m+len(n) == len(low) || !isWordByte(low[m+len(n)])) {
			k = m + len(n)
			break
		}
	}
	if k < len(low) && (low[k] == ':' || low[k] == ')' || low[k] == '.') {
		k++
	}
	return ref, k, true
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}

// skipLinks skips what may stand between a reference and its status:
// spaces, dashes, colons, arrows, "is" and an adverb.
func skipLinks(low string, i int) int {
	for {
		j := skipSpace(low, i)
		moved := false
		for _, l := range []string{"-", "–", "—", ":", "=>", "->", "→", "=", ">", ".", ")", "is ", "was ",
			"are ", "est ", "ist ", "está ", "é ", "è ", "är ", "er ", "jest ", "is: "} {
			if strings.HasPrefix(low[j:], l) {
				j += len(l)
				moved = true
				break
			}
		}
		if !moved {
			return skipAdverb(low, j)
		}
		i = j
	}
}

// skipAdverb skips an adverb before a status ("2 still not done", "1 now
// finished"), unless it opens a status itself ("still open").
func skipAdverb(low string, j int) int {
	for _, a := range []string{"still ", "now ", "finally ", "already ", "fully ", "completely "} {
		if !strings.HasPrefix(low[j:], a) {
			continue
		}
		if _, _, ok := statusAt(low, j); ok {
			return j
		}
		if k := skipSpace(low, j+len(a)); k < len(low) {
			if _, _, ok := statusAt(low, k); ok {
				return k
			}
		}
		return j
	}
	return j
}

// statusAt matches a status phrase starting at i.
func statusAt(low string, i int) (Value, int, bool) {
	return matchStatus(low, i, true)
}

// matchStatus matches a status phrase at i; with strict false, short words
// such as "yes" or "no" may be followed by more words ("yes to 1 and 2"),
// which only a caller that then requires references may allow. A "not
// yet" takes the words that complete it ("not done yet", "noch nicht
// erledigt"), so they are not left for the comment. A status that is asked
// ("done?"), made conditional ("done once Priya signs") or promised for
// later ("done by Friday") is no status: recording it would be wrong.
func matchStatus(low string, i int, strict bool) (Value, int, bool) {
	ph, e, ok := matchPhrase(low, i, strict)
	return ph.value, e, ok
}

// matchPhrase is matchStatus that tells which phrase it found.
func matchPhrase(low string, i int, strict bool) (phrase, int, bool) {
	ph, e, ok := phraseAt(low, i, strict)
	if !ok {
		return phrase{}, i, false
	}
	if ph.value == NotDone {
		e = completeNotDone(low, e)
	}
	if unsaid(low, e, ph.value) {
		return phrase{}, i, false
	}
	return ph, e, true
}

// phraseAt finds the status phrase that starts a word at i, and where it
// ends.
func phraseAt(low string, i int, strict bool) (phrase, int, bool) {
	if i >= len(low) {
		return phrase{}, i, false
	}
	if i > 0 {
		// A status starts a word; CJK writes none apart, so there it may
		// follow a reference's digits directly ("1已完成").
		r, _ := utf8.DecodeLastRuneInString(low[:i])
		next, _ := utf8.DecodeRuneInString(low[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) && !cjk(next) {
			return phrase{}, i, false
		}
	}
	var two []phrase
	if i+1 < len(low) {
		two = byFirst[uint16(low[i])<<8|uint16(low[i+1])]
	}
	for _, cands := range [2][]phrase{two, short[low[i]]} {
		for _, ph := range cands {
			if !strings.HasPrefix(low[i:], ph.text) {
				continue
			}
			e := i + len(ph.text)
			last, _ := utf8.DecodeLastRuneInString(ph.text)
			switch {
			case cjk(last):
				// Kana and Hangul after it inflect it ("完了しています"); a
				// Han or Katakana character makes another word ("完成招聘").
				e = skipInflection(low, e)
				if r, _ := utf8.DecodeRuneInString(low[e:]); e < len(low) && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Katakana, r)) {
					continue
				}
			case unicode.IsLetter(last) || unicode.IsDigit(last):
				if r, _ := utf8.DecodeRuneInString(low[e:]); e < len(low) && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'') {
					continue
				}
			}
			if ph.strict && strict {
				k := skipSpace(low, e)
				if k < len(low) {
					r, _ := utf8.DecodeRuneInString(low[k:])
					if unicode.IsLetter(r) {
						continue
					}
				}
			}
			return ph, e, true
		}
	}
	return phrase{}, i, false
}

// completeNotDone extends a not-done status that ends at e over the words
// that complete it: "yet" ("not done yet") and a done or not-done word
// after it ("not yet done", "noch nicht erledigt", "todavía no empezado").
func completeNotDone(low string, e int) int {
	e = skipWordIn(low, e, yetWords)
	k := skipSpace(low, e)
	if k > e || k < len(low) && k > 0 && cjk(lastRune(low[:k])) {
		if ph, m, ok := phraseAt(low, k, true); ok && !ph.strict && ph.value != Dropped {
			e = skipWordIn(low, m, yetWords)
		}
	}
	return e
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// skipWordIn skips a space and then one word of words at e, if there is
// one there; otherwise it returns e.
func skipWordIn(low string, e int, words map[string]bool) int {
	w, k := wordAt(low, skipSpace(low, e))
	if k > e && words[w] {
		return k
	}
	return e
}

// wordAt returns the word (letters, digits, apostrophes) at i and where it
// ends; "" when no word starts there.
func wordAt(low string, i int) (string, int) {
	k := i
	for k < len(low) {
		r, size := utf8.DecodeRuneInString(low[k:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' {
			break
		}
		k += size
	}
	return low[i:k], k
}

// unsaid reports whether what follows a status of value v at e takes it
// back: a question mark, a condition ("done if the board agrees"), or,
// for done, a time still to come ("done by Friday", "fertig bis Montag",
// "done tomorrow"): a promise, not a report.
func unsaid(low string, e int, v Value) bool {
	k := skipSpace(low, e)
	if k >= len(low) {
		return false
	}
	if c := low[k]; c == '?' || strings.HasPrefix(low[k:], "？") {
		return true
	}
	w, m := wordAt(low, k)
	if w == "" {
		return false
	}
	if conditions[w] {
		return true
	}
	if v != Done {
		return false
	}
	if laterWords[w] {
		return true
	}
	if !futurePreps[w] {
		return false
	}
	// "by the end of", "bis nächsten Montag": a determiner may come
	// between the preposition and the time.
	for range 2 {
		w, m = wordAt(low, skipSpace(low, m))
		if timeWords[w] || laterWords[w] {
			return true
		}
		if !determiners[w] {
			return false
		}
	}
	return false
}

// formAt reads one "N status" or "status #N" segment at i.
func formAt(low string, i int) ([]int, Value, int, bool) {
	if refs, j, ok := refsAt(low, i); ok {
		if v, e, ok := statusAt(low, skipLinks(low, j)); ok {
			return refs, v, e, true
		}
		return nil, "", i, false
	}
	v, j, ok := matchStatus(low, i, false)
	if !ok {
		return nil, "", i, false
	}
	k := skipSpace(low, j)
	for _, l := range []string{":", "-", "–", "—", "=", "to ", "for ", "on ", "with ", "pour ", "für ", "para ", "per ", "voor "} {
		if strings.HasPrefix(low[k:], l) {
			k = skipSpace(low, k+len(l))
			break
		}
	}
	hash := k < len(low) && low[k] == '#'
	refs, e, ok := refsAt(low, k)
	if !ok {
		return nil, "", i, false
	}
	if !hash && low[e-1] != '.' {
		// "done 1 and 2" must end there, or end its sentence; "not yet 2
		// weeks" is no reference.
		m := skipSpace(low, e)
		if m < len(low) {
			if r, _ := utf8.DecodeRuneInString(low[m:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				return nil, "", i, false
			}
		}
	}
	return refs, v, e, true
}

// boundary reports whether a segment may start at k: at the line's start or
// after a space or punctuation.
func boundary(low string, k int) bool {
	if k == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(low[:k])
	return r == ' ' || r == ',' || r == ';' || r == '(' || r == '/' || r == '|'
}

// segments reads "1 done, 2 not yet - budget frozen, dropped #3". The first
// segment may follow a short prefix ("Update:", "Commitment 2 -"). Its
// caller tests mayHoldRef first: every segment holds a reference.
func (p *parser) segments(s, low string, i int) bool {
	k := i
	for ; k < len(low); k++ {
		if !boundary(low, k) {
			continue
		}
		if _, _, _, ok := formAt(low, k); ok {
			break
		}
	}
	if k >= len(low) {
		return false
	}
	if k > i {
		prefix := strings.TrimSpace(low[i:k])
		if !strings.HasSuffix(prefix, ":") && len(strings.Fields(prefix)) > 3 {
			return false
		}
	}
	for k < len(low) {
		refs, v, e, _ := formAt(low, k)
		next := len(low)
		for m := e + 1; m < len(low); m++ {
			if boundary(low, m) {
				if _, _, _, ok := formAt(low, m); ok {
					next = m
					break
				}
			}
		}
		c := comment(s[e:next])
		for _, r := range refs {
			p.set(r, v, c)
		}
		k = next
	}
	return true
}

// cjk reports a Han, Hiragana, Katakana or Hangul character: the scripts
// written without spaces between words, or with inflections glued on.
func cjk(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r))
}

// skipInflection skips the Hiragana and Hangul glued to a CJK status.
func skipInflection(low string, e int) int {
	for e < len(low) {
		r, size := utf8.DecodeRuneInString(low[e:])
		if !unicode.Is(unicode.Hiragana, r) && !unicode.Is(unicode.Hangul, r) {
			break
		}
		e += size
	}
	return e
}

// dropObject drops what a status word's object says of the commitment
// itself ("Dropping this one, it isn't realistic"): a pronoun right after
// the status, before a separator or the end, is no comment.
func dropObject(s string) string {
	if !strings.HasPrefix(s, " ") {
		return s
	}
	t := strings.TrimLeft(s, " ")
	for _, o := range statusObjects {
		if len(t) < len(o) || !strings.EqualFold(t[:len(o)], o) {
			continue
		}
		rest := strings.TrimLeft(t[len(o):], " ")
		if r, _ := utf8.DecodeRuneInString(rest); rest == "" || strings.ContainsRune(",;.!:-–—)。，", r) {
			return rest
		}
	}
	return s
}

// statusObjects are what a leader calls the commitment after its status,
// longest first.
var statusObjects = []string{"this commitment", "that commitment", "this one", "that one", "this too",
	"that too", "this", "that", "it too", "it", "celui-ci", "celui-là", "ça", "das", "es", "esto", "eso",
	"isso", "isto", "questo", "quello", "dit", "dat", "den", "det", "tego", "ją"}

// mayHoldRef reports whether low may hold a commitment reference, which
// every segment needs: a digit, or an ordinal word ("first", "last").
func mayHoldRef(low string) bool {
	start := -1
	for i := 0; i <= len(low); {
		r, size := rune(0), 1
		if i < len(low) {
			r = rune(low[i])
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(low[i:])
			}
		}
		switch {
		case '0' <= r && r <= '9':
			return true
		case i < len(low) && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if start < 0 {
				start = i
			}
		case start >= 0:
			if ordinalFirst[low[start]] {
				if _, ok := ordinals[low[start:i]]; ok {
					return true
				}
			}
			start = -1
		}
		i += size
	}
	return false
}

// ordinalFirst are the first bytes of the ordinal words.
var ordinalFirst = func() (first [256]bool) {
	for w := range ordinals {
		first[w[0]] = true
	}
	return first
}()

// comment trims the separators around a comment: "- budget frozen." and
// "(budget frozen)" both give "budget frozen". A status symbol alone ("c'est
// fait 👍") says the status again and is no comment.
func comment(s string) string {
	s = dropObject(s)
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, " ,;:.-–—!=>→)(。，、！；：（）")
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, " ,;.。，、；")
	if strings.HasSuffix(s, ")") && !strings.Contains(s, "(") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ")"))
	}
	if s != "" && s[0] >= utf8.RuneSelf && !unicode.IsLetter(firstRune(s)) {
		if _, e, ok := statusAt(s, 0); ok && strings.TrimSpace(s[e:]) == "" {
			return ""
		}
	}
	return s
}

var (
	allDone  = regexp.MustCompile(`^(?:all|everything|all of them|all of it|all three|all 3|all four|all 4|both|both of them|tout|tous|toutes|tout est|alles|todo|todos|todas|tudo|tutto|tutti|allemaal|alle|allt|alla|alt|wszystko)\s*(?:is|are|was|were|have been|has been|est|sont|ist|sind|está|están|es|son|é|são|è|sono|zijn|är|er|jest)?\s*(?:done|completed|complete|finished|fait|faits|faites|fini|finis|terminé|terminés|erledigt|gemacht|hecho|hechos|terminado|terminados|listo|feito|feitos|concluído|fatto|fatti|completato|gedaan|klaar|af|afgerond|klart|gjort|färdigt|avklarat|færdigt|færdige|ferdig|ferdige|zrobione|gotowe|✓|✔|✅)((?:[^\p{L}\p{N}].*)?)$`)
	doneAll  = regexp.MustCompile(`^(?:done|completed|finished|fait|erledigt|hecho|feito|fatto|gedaan)\s*[,:\-–—]?\s*(?:all|everything|all of them|both|tout|alles|todo|tudo|tutto|allemaal)((?:[^\p{L}\p{N}].*)?)$`)
	noneDone = regexp.MustCompile(`^(?:none|nothing|none of them|rien|aucun|nichts|keins|nada|nenhum|niente|nessuno|niets|geen|inget|ingenting|intet|ingen|nic)\s*(?:of them|is|are|was|got|de|är|er|nie)?\s*(?:done|completed|finished|yet|fait|erledigt|gemacht|hecho|feito|fatto|gedaan|klart|gjort|færdigt|ferdig|zrobione|gotowe)(?:\s+(?:yet|än|ännu|endnu|ennå|jeszcze))?((?:[^\p{L}\p{N}].*)?)$`)
)

// all reads "all done", "both done", "none done yet" and their translations.
func (p *parser) all(low string) bool {
	// The patterns open with their words, whose first letters are these.
	if p.n == 0 || low == "" || strings.IndexByte("abcdefghiknrtw", low[0]) < 0 {
		return false
	}
	var v Value
	var rest string
	if m := allDone.FindStringSubmatch(low); m != nil {
		v, rest = Done, m[1]
	} else if m := doneAll.FindStringSubmatch(low); m != nil {
		v, rest = Done, m[1]
	} else if m := noneDone.FindStringSubmatch(low); m != nil {
		v, rest = NotDone, m[1]
	} else {
		return false
	}
	c := comment(rest)
	for r := 1; r <= p.n; r++ {
		p.set(r, v, c)
	}
	return true
}

// checkbox reads a copied list with boxes ticked: "[x] 1. Draft the plan",
// "☐ Talk to the CFO".
func (p *parser) checkbox(s, low string, i int) bool {
	var v Value
	rest := ""
	for _, b := range []struct {
		mark string
		v    Value
	}{{"[x]", Done}, {"☑", Done}, {"☒", Done}, {"✅", Done}, {"[ ]", NotDone}, {"☐", NotDone}, {"[]", NotDone}} {
		if strings.HasPrefix(low[i:], b.mark) {
			v, rest = b.v, low[i+len(b.mark):]
			break
		}
	}
	if v == "" {
		return false
	}
	off := len(low) - len(rest)
	j := skipSpace(low, off)
	if refs, e, ok := refsAt(low, j); ok && len(refs) == 1 {
		text := strings.TrimSpace(low[e:])
		if p.n == 0 || text == "" || p.matches(refs[0], text) {
			p.set(refs[0], v, "")
			return true
		}
	}
	if ref, ok := p.match(low[j:]); ok {
		p.set(ref, v, "")
		return true
	}
	return false
}

// byText reads updates that name a commitment by its words: "done with the
// hiring plan", "I didn't get to the 1:1 with Alex", "Board deck: finished".
// A focus answer names commitments too ("Today is about getting the hiring
// plan to a yes", "The hiring plan. I want it done by Friday"), so the
// status must be said of the commitment: right after its name, or after
// words that only link the two ("is", "was", "still"), in a clause that
// wants, plans or asks nothing (see plain).
func (p *parser) byText(s, low string, i int) (Update, bool) {
	if p.n == 0 || len(low)-i > maxMention {
		return Update{}, false
	}
	// Verb first.
	j := i
	for _, subj := range subjects {
		if strings.HasPrefix(low[j:], subj) && (strings.HasSuffix(subj, "'") || j+len(subj) < len(low) && low[j+len(subj)] == ' ') {
			j = skipSpace(low, j+len(subj))
			break
		}
	}
	if j < len(low) {
	verbs:
		for _, verb := range verbsByFirst[low[j]] {
			if !strings.HasPrefix(low[j:], verb.text) {
				continue
			}
			e := j + len(verb.text)
			if r, _ := utf8.DecodeRuneInString(low[e:]); e < len(low) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				continue
			}
			mention, rest := splitMention(low[e:])
			if ref, ok := p.match(mention); ok {
				if !p.verbObject(verb.value, mention, ref) || asked(low, e) {
					break verbs
				}
				return Update{ref, lasting(verb.value, low[i:clauseEnd(low, e)]), comment(s[len(s)-len(rest):])}, true
			}
		}
	}
	// Name first, status after a separator: "Hiring plan - done, sent Friday".
	for _, sep := range []string{" - ", " – ", " — ", ": ", " => ", " -> ", " → ", " = ", " (", ", "} {
		k := strings.LastIndex(low, sep)
		// The status is near the end; looking at the last few separators is
		// enough and keeps long lines linear.
		for tries := 0; k > i && tries < 4; tries++ {
			b := skipSpace(low, k+len(sep))
			if v, e, ok := statusAt(low, b); ok && !asked(low, e) && (!strictAt(low, b) || strings.TrimRight(low[e:], " .!)") == "") {
				// A word of ordinary language must be all there is:
				// "Hiring plan: yes", not "Hiring plan: yes, that's the one".
				if ref, ok := p.match(low[i:k]); ok && p.plain(low[i:k], ref) {
					return Update{ref, lasting(v, low[i:clauseEnd(low, e)]), comment(s[e:])}, true
				}
			}
			k = strings.LastIndex(low[:k], sep)
		}
	}
	// Name then a symbol: "Hiring plan ✓". A name that holds a symbol
	// too is several ("Hiring plan ✅ Priya ❌"), for clauses to read.
	for _, sym := range statusSymbols {
		if strings.HasSuffix(low, sym) {
			v, _, _ := statusAt(low, len(low)-len(sym))
			name := low[i : len(low)-len(sym)]
			if slices.ContainsFunc(statusSymbols, func(x string) bool { return strings.Contains(name, x) }) {
				break
			}
			if ref, ok := p.match(name); ok && v != "" && p.plain(name, ref) {
				return Update{ref, v, ""}, true
			}
		}
	}
	// Name, then a status after linking words or none: "CFO still
	// pending", "the deck is finished", "Hiring plan finally done". A
	// word of ordinary language ("yes", "no", "ok") is a status only on
	// its own or after a separator.
	for k := i + 1; k < len(low); k++ {
		if low[k-1] != ' ' {
			continue
		}
		ph, e, ok := matchPhrase(low, k, true)
		if !ok || ph.strict && !saidOf(ph.text, low[i:k]) || asked(low, e) || subjectAfter(low, e) {
			continue
		}
		v := ph.value
		name := unlink(low[i:k])
		if hedges[name[strings.LastIndexByte(name, ' ')+1:]] || strings.Contains(name, ", ") {
			continue // a guess, or more than a name: "Hiring plan, then the CFO"
		}
		if ref, ok := p.match(name); ok && p.plain(name, ref) {
			return Update{ref, lasting(v, low[i:clauseEnd(low, e)]), comment(s[e:])}, true
		}
	}
	return Update{}, false
}

// strictAt reports whether the status phrase at i is a word of ordinary
// language ("yes", "no", "ok").
func strictAt(low string, i int) bool {
	ph, _, ok := phraseAt(low, i, true)
	return ok && ph.strict
}

// saidOf reports whether strict, an ordinary word, is a status after
// before, the words that precede it: only after a verb that, in the
// word's language, says where a thing stands ("Rekryteringsplanen är
// klar"; German "ist klar" means "is clear").
func saidOf(strict, before string) bool {
	before = strings.TrimRight(before, " ")
	return strictLinks[strict][before[strings.LastIndexByte(before, ' ')+1:]]
}

// unlink drops the words that link a commitment's name to its status from
// the end of text: "the deck is already " gives "the deck".
func unlink(text string) string {
	for {
		text = strings.TrimRight(text, " ")
		k := strings.LastIndexByte(text, ' ')
		if !linkWords[text[k+1:]] {
			return text
		}
		if k < 0 {
			return ""
		}
		text = text[:k]
	}
}

// plain reports whether name, what stands before a status, only names
// commitment ref: one clause, with no word that wants, plans, must, asks
// or sets a condition ("I want it", "muss", "Today is about getting",
// "when"), unless the commitment's own text has that word.
func (p *parser) plain(name string, ref int) bool {
	for _, b := range []string{". ", "! ", "? ", "; ", "。", "？", "！"} {
		if strings.Contains(name, b) {
			return false
		}
	}
	if strings.TrimRight(name, ".!?;") != name {
		return false
	}
	return !p.hasWord(name, intentWords, ref) && !p.hasWord(name, conditions, ref)
}

// hasWord reports whether text has a word of words that commitment ref's
// own text does not have.
func (p *parser) hasWord(text string, words map[string]bool, ref int) bool {
	for k := 0; k < len(text); {
		r, size := utf8.DecodeRuneInString(text[k:])
		if notWordRune(r) {
			k += size
			continue
		}
		w, e := wordAt(text, k)
		k = e
		if a := strings.IndexByte(w, '\''); a >= 0 && !words[w] {
			w = w[a+1:] // "j'aimerais", "qu'il"
		}
		if words[w] && !hasWordOf(p.lows[ref-1], w) {
			return true
		}
	}
	return false
}

// hasWordOf reports whether w is a whole word of s.
func hasWordOf(s, w string) bool {
	if w == "" {
		return false
	}
	for k := 0; ; {
		m := strings.Index(s[k:], w)
		if m < 0 {
			return false
		}
		m += k
		if e := m + len(w); (m == 0 || !isLetterBefore(s, m)) && (e == len(s) || notWordRune(firstRune(s[e:]))) {
			return true
		}
		k = m + len(w)
	}
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
}

// verbObject reports whether mention, what follows a status verb ("had
// the 1:1 with Alex"), is the commitment itself: not a need or a plan
// ("haven't decided whether to drop"), and for a done verb not an
// infinitive ("had to postpone"), a negation ("had no time for") or a
// part of the work ("did a first pass on").
func (p *parser) verbObject(v Value, mention string, ref int) bool {
	if p.hasWord(mention, intentWords, ref) {
		return false
	}
	if v != Done {
		return true
	}
	if strings.HasPrefix(strings.TrimLeft(mention, " "), "to ") {
		return false
	}
	return !p.hasWord(mention, negations, ref) && !p.hasWord(mention, partWords, ref)
}

// asked reports whether the sentence that goes on at e is a question.
func asked(low string, e int) bool {
	for k := e; k < len(low); k++ {
		switch low[k] {
		case '?':
			return true
		case '.', '!':
			if k+1 == len(low) || low[k+1] == ' ' {
				return false
			}
		case 0xef: // the first byte of the full-width question mark "？"
			if strings.HasPrefix(low[k:], "？") {
				return true
			}
		}
	}
	return false
}

// subjectAfter reports whether a verb follows the status at e, which makes
// the status part of a subject: "Getting the plan done is my focus".
func subjectAfter(low string, e int) bool {
	w, _ := wordAt(low, skipSpace(low, e))
	return copulas[w]
}

// clauseEnd returns where the clause that goes on at e ends: at a comma,
// a semicolon or a sentence's end.
func clauseEnd(low string, e int) int {
	for k := e; k+1 < len(low); k++ {
		if strings.IndexByte(",;.!?", low[k]) >= 0 && low[k+1] == ' ' {
			return k
		}
	}
	return len(low)
}

// lasting turns a dropped status said for a while only ("skipping the
// 1:1s this week", "cancelled for now") into not done: the commitment
// stays. low is the clause of the status, so that "Dropped the 1:1s,
// today I want to ..." stays dropped.
func lasting(v Value, low string) Value {
	if v != Dropped {
		return v
	}
	for _, w := range forNow {
		if hasWordOf(low, w) {
			return NotDone
		}
	}
	return v
}

func isLetterBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !notWordRune(r)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// statusSymbols are the symbols that say a status after a name.
var statusSymbols = []string{"✓", "✔", "✅", "☑", "❌", "✗", "✘", "👍", "👎"}

// clauses reads a line that reports several commitments by name:
// "Hiring plan is done, CFO still pending, and I dropped the Alex thing",
// "Hiring plan ✅ CFO ❌".
func (p *parser) clauses(s, low string, i int) []Update {
	if p.n == 0 {
		return nil
	}
	var out []Update
	start := i
	for k := i; k <= len(low); k++ {
		cut, width := -1, 0
		if k == len(low) {
			cut = k
		} else if c := low[k]; c == ',' || c == ';' || c == ' ' { // what the separators start with
			for _, sep := range []string{", and ", ", but ", "; ", ", ", " and ", " but ", " & "} {
				if strings.HasPrefix(low[k:], sep) {
					cut, width = k, len(sep)
					break
				}
			}
		} else if c >= 0xe2 && k > start {
			// A status symbol ends its clause: "Hiring plan ✅ Priya ❌".
			for _, sym := range statusSymbols {
				if strings.HasPrefix(low[k:], sym) && k+len(sym) < len(low) {
					cut, width = k+len(sym), 0
					break
				}
			}
		}
		if cut < 0 {
			continue
		}
		if a := skipSpace(low, start); a < cut {
			if u, ok := p.byText(s[a:cut], low[a:cut], 0); ok {
				out = append(out, u)
			}
		}
		if cut == len(low) || len(out) >= maxRefs {
			break
		}
		start = cut + width
		k = start - 1
	}
	return out
}

// splitMention cuts what names the commitment from the comment after it.
func splitMention(s string) (string, string) {
	best := len(s)
	for _, sep := range []string{",", ";", " - ", " – ", " — ", ". ", " but ", " because ", " as ", " since ", "!", " (", " mais ", " aber ", " pero ", " mas ", " ma ", " maar "} {
		if k := strings.Index(s, sep); k >= 0 && k < best {
			best = k
		}
	}
	return s[:best], s[best:]
}

// laterStatus reads a numbered answer whose status comes after a few words
// of its own, in its first sentence: "1 Nearly there, not done
// yet." (an answer written under a quoted commitment, which the caller
// numbers). The status must follow a separator and end its clause, and
// the words before it must be few, so that a quantity ("2 weeks went by,
// nothing done") or a sentence that merely holds a status word is none.
func (p *parser) laterStatus(s, low string, i int) bool {
	refs, e, ok := refsAt(low, i)
	if !ok || len(refs) != 1 {
		return false
	}
	if w, _ := wordAt(low, skipSpace(low, e)); quantities[w] {
		return false
	}
	end := sentenceEnds(s, low, e)[0]
	for k := e; k < end; k++ {
		if c := low[k]; c != ',' && c != ';' && c != ' ' {
			continue // what the separators start with
		}
		sep := ""
		for _, x := range []string{", ", "; ", " - ", " – ", " — "} {
			if strings.HasPrefix(low[k:], x) {
				sep = x
				break
			}
		}
		if sep == "" {
			continue
		}
		b := skipSpace(low, k+len(sep))
		for range 2 { // "still in progress", "now done"
			if w, m := wordAt(low, b); linkWords[w] {
				b = skipSpace(low, m)
			}
		}
		ph, se, ok := matchPhrase(low, b, true)
		if !ok || ph.strict {
			continue
		}
		v := ph.value
		if m := skipSpace(low, se); m < end && !strings.ContainsAny(low[m:m+1], ",;.!-)") && !strings.HasPrefix(low[m:], "–") && !strings.HasPrefix(low[m:], "—") {
			continue // "1 tough week, not done anything else": no clause of its own
		}
		before := strings.TrimSpace(low[e:k])
		if n := len(strings.Fields(before)); n == 0 || n > 6 {
			return false
		}
		if _, _, ok := statusAt(low, skipLinks(low, e)); ok {
			return false
		}
		c := comment(s[se:])
		if p.n == 0 || !p.matches(refs[0], before) {
			if b := comment(s[e:k]); c == "" {
				c = b
			} else {
				c = b + "; " + c
			}
		}
		p.set(refs[0], v, c)
		return true
	}
	return false
}

// refThenText reads a line that repeats a numbered commitment, with its
// status after a separator ("1. Draft the hiring plan — done") or alone, in
// which case the next line's bare status is about it.
func (p *parser) refThenText(s, low string, i int) bool {
	refs, e, ok := refsAt(low, i)
	if !ok || len(refs) != 1 {
		return false
	}
	ref := refs[0]
	for _, sep := range []string{" - ", " – ", " — ", ": ", " => ", " -> ", " → ", " (", ", ", " = "} {
		k := strings.LastIndex(low, sep)
		if k <= e {
			continue
		}
		if v, end, ok := statusAt(low, skipSpace(low, k+len(sep))); ok {
			text := low[e:k]
			if p.n == 0 || p.matches(ref, text) {
				p.set(ref, v, comment(s[end:]))
				return true
			}
		}
	}
	if p.n > 0 && p.matches(ref, low[e:]) {
		p.pending = ref
		return true
	}
	return false
}

// contentWords are the words of s that say what a commitment is about.
func contentWords(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if stopwords[w] {
			continue
		}
		if len(w) > 4 && strings.HasSuffix(w, "s") {
			w = w[:len(w)-1]
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// overlap counts the words of a found in b. A small number is no word in
// common: in a reply it is a reference or a quantity ("1 I think, done" is
// not about the 1:1), though it still counts among a's words.
func overlap(a, b []string) int {
	n := 0
	for _, x := range a {
		if len(x) <= 2 && x[0] >= '0' && x[0] <= '9' && x[len(x)-1] >= '0' && x[len(x)-1] <= '9' {
			continue
		}
		for _, y := range b {
			if x == y || (len(x) >= 5 && len(y) >= 5 && x[:5] == y[:5]) {
				n++
				break
			}
		}
	}
	return n
}

// matches reports whether text plausibly names commitment ref.
func (p *parser) matches(ref int, text string) bool {
	if ref < 1 || ref > p.n {
		return false
	}
	m := contentWords(text)
	if len(m) == 0 {
		return true
	}
	o := overlap(m, p.commits[ref-1])
	return o >= 1 && (2*o >= len(m) || o >= 2)
}

// match finds the one commitment that text names: the most words in
// common, at least half of text's words (or two), and no tie.
func (p *parser) match(text string) (int, bool) {
	m := contentWords(text)
	if len(m) == 0 {
		return 0, false
	}
	best, bestScore, tie := 0, 0, false
	for i, c := range p.commits {
		o := overlap(m, c)
		if o == 0 || !(2*o >= len(m) || o >= 2) {
			continue
		}
		switch {
		case o > bestScore:
			best, bestScore, tie = i+1, o, false
		case o == bestScore:
			tie = true
		}
	}
	if best == 0 || tie {
		return 0, false
	}
	return best, true
}
