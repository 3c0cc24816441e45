package notes

import (
	"math/bits"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file matches the sentence cues of lexicon.go. Notes are read
// sentence by sentence, and every sentence is tested against every list of
// cues, so matching must cost little more than splitting the sentence into
// words:
//
//   - Plain phrases ("decided", "we agreed") are looked up word by word in
//     one index over all lists: one map access per word of the sentence
//     answers for every list at once.
//   - Phrases that hold a regular expression are compiled one by one, each
//     with the literal strings it cannot match without (its gate). A
//     regular expression runs only on a sentence that holds its gate, so a
//     sentence with no "not" never meets the "it's not X, it's Y" patterns.
//   - All gates are looked for at once, with one pass of an Aho-Corasick
//     automaton over the sentence's bytes.

// cueSet is one list of cues: phrases matched on word boundaries in
// lower-cased text. A phrase may hold a regular expression, bounded by
// non-letters (RE2's \b knows only ASCII).
type cueSet struct {
	bit     cueBits
	phrases []string
}

func cue(phrases ...string) *cueSet {
	return &cueSet{phrases: phrases}
}

// cueBits is a set of cue lists, one bit per list of the index.
type cueBits uint16

// cueIndex matches all the cue lists in one pass over a sentence's words.
type cueIndex struct {
	first map[string][]cuePhrase // first word -> the phrases it opens
	words wordFilter             // the keys of first
	res   []cuePattern
	free  []int       // patterns without a gate
	byLit [][]int     // literal number -> patterns whose first clause holds it
	gates []cueGate   // gates of regular expressions matched elsewhere
	lits  *litScanner // the literals of every gate
}

// cuePhrase is a plain phrase of a list: the words after its first.
type cuePhrase struct {
	bit  cueBits
	rest []string
}

// cuePattern is a phrase that holds a regular expression. When every match
// starts with one of a few strings (gate.starts), the pattern is tried only
// where one of them stands at a word boundary, anchored there; otherwise
// it is searched for in the whole sentence.
type cuePattern struct {
	bit      cueBits
	re       *regexp.Regexp // the phrase between word boundaries
	anchored *regexp.Regexp // the phrase at the start of the text, then a boundary
	gate     gate
}

// matchAt reports whether the pattern matches low, whose gate literals are
// lits.
func (p *cuePattern) matchAt(low string, lits *litSet) bool {
	if p.anchored == nil {
		return p.re.MatchString(low)
	}
	for k, start := range p.gate.starts {
		if !lits.has(p.gate.ids[0][k]) {
			continue
		}
		for i := 0; i < len(low); {
			j := strings.Index(low[i:], start)
			if j < 0 {
				break
			}
			at := i + j
			if r, _ := utf8.DecodeLastRuneInString(low[:at]); at == 0 || !isLetterOrDigit(r) {
				if p.anchored.MatchString(low[at:]) {
					return true
				}
			}
			_, size := utf8.DecodeRuneInString(low[at:])
			i = at + size
		}
	}
	return false
}

// cueGate is the gate of a regular expression that callers match
// themselves; match reports it as bit when a sentence holds it.
type cueGate struct {
	bit  cueBits
	gate gate
}

// indexCues numbers the lists, each one bit, and indexes their phrases.
// Each of gates gets the bit after the lists', in order.
func indexCues(sets []*cueSet, gates ...*gate) *cueIndex {
	if len(sets)+len(gates) > 16 {
		panic("notes: too many cue lists for cueBits")
	}
	x := &cueIndex{first: map[string][]cuePhrase{}}
	var lits []string
	for i, c := range sets {
		c.bit = 1 << i
		for _, p := range c.phrases {
			if strings.ContainsAny(p, `\()[]{}|?*+.^$`) {
				pat := cuePattern{
					bit:  c.bit,
					re:   regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(?:` + p + `)(?:[^\p{L}\p{N}]|$)`),
					gate: gateOf(p),
				}
				if pat.gate.starts != nil {
					pat.anchored = regexp.MustCompile(`^(?:` + p + `)(?:[^\p{L}\p{N}]|$)`)
				}
				x.res = append(x.res, pat)
				lits = append(lits, pat.gate.literals()...)
				continue
			}
			ws := cueWords(p)
			if len(ws) == 0 {
				continue
			}
			x.first[ws[0]] = append(x.first[ws[0]], cuePhrase{bit: c.bit, rest: ws[1:]})
			x.words.add(ws[0])
		}
	}
	for i, g := range gates {
		x.gates = append(x.gates, cueGate{bit: 1 << (len(sets) + i), gate: *g})
		lits = append(lits, g.literals()...)
	}
	x.lits = newLitScanner(lits)
	x.byLit = make([][]int, len(x.lits.ids))
	for i := range x.res {
		g := &x.res[i].gate
		x.lits.number(g)
		if len(g.ids) == 0 {
			x.free = append(x.free, i)
			continue
		}
		for _, id := range g.ids[0] {
			if !slices.Contains(x.byLit[id], i) {
				x.byLit[id] = append(x.byLit[id], i)
			}
		}
	}
	if len(x.res) > 64 {
		panic("notes: too many cue patterns")
	}
	for i := range x.gates {
		x.lits.number(&x.gates[i].gate)
	}
	return x
}

// cueWords splits lower-cased text into words of letters, digits and inner
// apostrophes ("didn't", "s'engage").
func cueWords(s string) []string {
	return appendCueWords(nil, s)
}

// appendCueWords appends the words of s, as cueWords splits them, to ws.
func appendCueWords(ws []string, s string) []string {
	start := -1
	for i := 0; i <= len(s); {
		inWord, size := false, 1
		if i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				inWord = asciiWord[c]
			} else {
				var r rune
				r, size = utf8.DecodeRuneInString(s[i:])
				inWord = unicode.IsLetter(r) || unicode.IsDigit(r)
			}
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			w := s[start:i]
			if w[0] == '\'' || w[len(w)-1] == '\'' {
				w = strings.Trim(w, "'")
			}
			if w != "" {
				ws = append(ws, w)
			}
			start = -1
		}
		i += size
	}
	return ws
}

// asciiWord are the ASCII bytes of cue words: letters, digits and the
// apostrophe.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = c == '\'' || isLetterOrDigit(rune(c))
	}
	return t
}()

func isLetterOrDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// match returns the lists that hold a phrase found in low, a lower-cased
// sentence, and the bits of the extra gates low holds.
func (x *cueIndex) match(low string) cueBits {
	var buf [32]string
	ws := appendCueWords(buf[:0], low)
	var got cueBits
	for i, w := range ws {
		if !x.words.mayHold(w) {
			continue
		}
		for _, p := range x.first[w] {
			if got&p.bit != 0 || i+1+len(p.rest) > len(ws) {
				continue
			}
			if slices.Equal(ws[i+1:i+1+len(p.rest)], p.rest) {
				got |= p.bit
			}
		}
	}
	// Both on the stack: a sentence is matched many times per message.
	var lits litSet
	var foundBuf [32]int
	found := x.lits.scan(low, &lits, foundBuf[:0])
	// The patterns to try: those without a gate, and those whose gate's
	// first clause has a literal in the sentence.
	var try uint64
	for _, i := range x.free {
		try |= 1 << i
	}
	for _, id := range found {
		for _, i := range x.byLit[id] {
			try |= 1 << i
		}
	}
	for ; try != 0; try &= try - 1 {
		p := &x.res[bits.TrailingZeros64(try)]
		if got&p.bit == 0 && p.gate.in(&lits) && p.matchAt(low, &lits) {
			got |= p.bit
		}
	}
	for _, g := range x.gates {
		if g.gate.in(&lits) {
			got |= g.bit
		}
	}
	return got
}

// wordFilter tells, without a map access, that most words are not in a
// set: one bit per hash of a word's first and last bytes and length, set
// for the words of the set (a Bloom filter with one hash).
type wordFilter [64]uint64

func wordHash(w string) uint {
	return (uint(w[0])*131 + uint(w[len(w)-1])*31 + uint(len(w))) & 4095
}

func (f *wordFilter) add(w string) {
	if w != "" {
		h := wordHash(w)
		f[h/64] |= 1 << (h % 64)
	}
}

// mayHold reports whether w may be in the set; false is sure.
func (f *wordFilter) mayHold(w string) bool {
	if w == "" {
		return false
	}
	h := wordHash(w)
	return f[h/64]&(1<<(h%64)) != 0
}

// gate is what a regular expression cannot match without: every clause
// has one of its literals in the text.
type gate struct {
	clauses [][]string
	ids     [][]int // the clauses' literals, as numbered by the index's scanner
	// starts, when not nil, are the strings every match begins with; they
	// are also the first clause.
	starts []string
}

// maxExpansion bounds the strings a part of a pattern is expanded to.
const maxExpansion = 64

// gateOf computes the gate of a pattern. Literals that ignore case are
// lower-cased, as the text they are looked for in. Clauses that a short
// literal would satisfy almost everywhere are left out: they cost more to
// test than they save.
func gateOf(expr string) gate {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return gate{}
	}
	re = re.Simplify()
	var g gate
	if first := firstRun(re); first != nil && usefulClause(first) {
		g.starts = first
		g.clauses = append(g.clauses, first)
	}
	for _, c := range required(re) {
		if usefulClause(c) && !slices.Equal(c, g.starts) {
			g.clauses = append(g.clauses, c)
		}
	}
	return g
}

func usefulClause(c []string) bool {
	return len(c) > 0 && !slices.ContainsFunc(c, func(l string) bool { return len(l) < 2 })
}

func (g gate) literals() []string {
	var out []string
	for _, c := range g.clauses {
		out = append(out, c...)
	}
	return out
}

// in reports whether the literals found in a text satisfy the gate.
func (g gate) in(present *litSet) bool {
	for _, c := range g.ids {
		if !slices.ContainsFunc(c, present.has) {
			return false
		}
	}
	return true
}

// required returns clauses that every match of re satisfies: each clause
// is a list of literals one of which the match contains.
func required(re *syntax.Regexp) [][]string {
	if set, ok := finite(re); ok {
		return [][]string{set}
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// Runs of parts with few strings each are expanded into one
		// clause of whole strings ("it's not ", "it is not "), which says
		// much more than its parts one by one.
		var out [][]string
		run := []string{""}
		flush := func() {
			if len(run) > 1 || run[0] != "" {
				out = append(out, run)
			}
			run = []string{""}
		}
		for _, sub := range re.Sub {
			set, ok := finite(sub)
			if ok && len(run)*len(set) <= maxExpansion {
				run = product(run, set)
				continue
			}
			flush()
			if ok {
				run = set
				continue
			}
			out = append(out, required(sub)...)
		}
		flush()
		return out
	case syntax.OpAlternate:
		// One clause: for each branch, the literals of its most selective
		// clause; a branch without any makes the whole alternation free.
		var alt []string
		for _, sub := range re.Sub {
			cs := required(sub)
			if len(cs) == 0 {
				return nil
			}
			best := cs[0]
			for _, c := range cs[1:] {
				if shortest(c) > shortest(best) {
					best = c
				}
			}
			alt = append(alt, best...)
		}
		return [][]string{alt}
	}
	return nil
}

// firstRun returns the strings that every match of re starts with, from
// the parts at its head that have few strings each, or nil.
func firstRun(re *syntax.Regexp) []string {
	if re.Op == syntax.OpCapture {
		return firstRun(re.Sub[0])
	}
	if set, ok := finite(re); ok {
		return set
	}
	if re.Op != syntax.OpConcat {
		return nil
	}
	run := []string{""}
	for _, sub := range re.Sub {
		set, ok := finite(sub)
		if !ok || len(run)*len(set) > maxExpansion {
			break
		}
		run = product(run, set)
	}
	if slices.Contains(run, "") {
		return nil
	}
	return run
}

// finite returns every string re matches, when they are few.
func finite(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		s := string(re.Rune)
		if re.Flags&syntax.FoldCase != 0 {
			s = strings.ToLower(s)
		}
		return []string{s}, true
	case syntax.OpCharClass:
		// Pairs of bounds; a small class such as [sz] or [oa].
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) == 4 {
					return nil, false
				}
				out = append(out, string(r))
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return finite(re.Sub[0])
	case syntax.OpQuest:
		set, ok := finite(re.Sub[0])
		if !ok {
			return nil, false
		}
		return append([]string{""}, set...), true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			set, ok := finite(sub)
			if !ok || len(out)*len(set) > maxExpansion {
				return nil, false
			}
			out = product(out, set)
		}
		return out, true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set, ok := finite(sub)
			if !ok || len(out)+len(set) > maxExpansion {
				return nil, false
			}
			out = append(out, set...)
		}
		return out, true
	}
	return nil, false
}

// product is every string of a followed by every string of b.
func product(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func shortest(c []string) int {
	n := -1
	for _, l := range c {
		if n < 0 || len(l) < n {
			n = len(l)
		}
	}
	return n
}

// litScanner finds which of a fixed set of literals occur in a text, in one
// pass over its bytes: an Aho-Corasick automaton with the transition of
// every state on every byte computed in advance.
type litScanner struct {
	ids   map[string]int // literal -> its number
	class [256]uint8     // byte -> its class: 0 for bytes no literal holds
	width int            // number of classes
	next  []uint16       // state*width + class -> next state
	out   []litSet       // the literals that end at each state
	// step is next for scan: state*width + class -> the next state's
	// row (state*width), times two, plus one when literals end there.
	step []uint32
}

// litSet is a set of literal numbers.
type litSet [maxLits / 64]uint64

const maxLits = 768

func (s *litSet) has(id int) bool { return s[id/64]&(1<<(id%64)) != 0 }

func (s *litSet) add(o *litSet) {
	for i := range s {
		s[i] |= o[i]
	}
}

func newLitScanner(lits []string) *litScanner {
	sc := &litScanner{ids: map[string]int{}}
	for _, l := range lits {
		if _, ok := sc.ids[l]; !ok && l != "" {
			sc.ids[l] = len(sc.ids)
		}
	}
	if len(sc.ids) > maxLits {
		panic("notes: too many gate literals")
	}
	for l := range sc.ids {
		for i := 0; i < len(l); i++ {
			if sc.class[l[i]] == 0 {
				sc.width++
				sc.class[l[i]] = uint8(sc.width)
			}
		}
	}
	sc.width++ // class 0
	if sc.width > 256 {
		panic("notes: too many byte classes")
	}
	// The trie.
	type node struct {
		child map[uint8]int
		fail  int
	}
	nodes := []node{{child: map[uint8]int{}}}
	var outs []litSet
	outs = append(outs, litSet{})
	for l, id := range sc.ids {
		n := 0
		for i := 0; i < len(l); i++ {
			c := sc.class[l[i]]
			next, ok := nodes[n].child[c]
			if !ok {
				next = len(nodes)
				nodes = append(nodes, node{child: map[uint8]int{}})
				outs = append(outs, litSet{})
				nodes[n].child[c] = next
			}
			n = next
		}
		outs[n][id/64] |= 1 << (id % 64)
	}
	if len(nodes) > 1<<16 {
		panic("notes: gate literals too long")
	}
	// Failure links and transitions, breadth first so that a state's
	// failure state is complete before the state itself.
	sc.next = make([]uint16, len(nodes)*sc.width)
	queue := []int{0}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		f := nodes[n].fail
		if n != 0 {
			outs[n].add(&outs[f])
		}
		for c := 1; c < sc.width; c++ {
			child, ok := nodes[n].child[uint8(c)]
			switch {
			case ok:
				if n != 0 {
					nodes[child].fail = int(sc.next[f*sc.width+c])
				}
				sc.next[n*sc.width+c] = uint16(child)
				queue = append(queue, child)
			case n != 0:
				sc.next[n*sc.width+c] = sc.next[f*sc.width+c]
			}
		}
	}
	sc.out = outs
	sc.step = make([]uint32, len(sc.next))
	for i, n := range sc.next {
		sc.step[i] = uint32(int(n)*sc.width) << 1
		if outs[n] != (litSet{}) {
			sc.step[i] |= 1
		}
	}
	return sc
}

// number sets the literal numbers of g's clauses.
func (sc *litScanner) number(g *gate) {
	g.ids = nil
	for _, c := range g.clauses {
		ids := make([]int, len(c))
		for k, l := range c {
			ids[k] = sc.ids[l]
		}
		g.ids = append(g.ids, ids)
	}
}

// scan adds the literals that occur in s to set and appends their
// numbers to list, which it returns.
func (sc *litScanner) scan(s string, set *litSet, list []int) []int {
	row := 0
	for i := 0; i < len(s); i++ {
		v := sc.step[row+int(sc.class[s[i]])]
		row = int(v >> 1)
		if v&1 != 0 {
			set.add(&sc.out[row/sc.width])
		}
	}
	for w, bits64 := range set {
		for ; bits64 != 0; bits64 &= bits64 - 1 {
			list = append(list, w*64+bits.TrailingZeros64(bits64))
		}
	}
	return list
}
