package status

import (
	"regexp"
	"strconv"
	"strings"
)

// Reword is a leader's new wording of a listed commitment: "change 2 to:
// talk to the CFO after the board meeting".
type Reword struct {
	// Ref is the commitment's 1-based number in the list the email showed.
	Ref int
	// Text is the new wording, trimmed of quotes and separators.
	Text string
}

// maxRewordLen bounds a new wording, in bytes: longer is not a commitment.
const maxRewordLen = 500

// rewordRef is a commitment number in a rewording: "2", "#2", "no. 2",
// "commitment 2", "item #2", and the same nouns in the other languages.
const rewordRef = `(?:(?:commitment|item|point|action|number|no\.?|n[°º]|engagement|punkt|zusage|compromiso|punto|compromisso|ponto|toezegging|impegno)\s*)?#?\s*(\d{1,2})`

// rewordForms are the ways a rewording is written, in English, French,
// German, Spanish, Portuguese, Dutch and Italian; group 1 is the number,
// group 2 the new wording. A rewording needs a verb of changing or an
// arrow: "2: talk to the CFO" alone is a comment, not a rewording.
var rewordForms = func() []*regexp.Regexp {
	forms := []string{
		// English
		`(?:please\s+)?(?:change|reword|rephrase|rewrite|edit|update|amend)\s+REF\s*(?:to|as|into|:|->|→|=>?)\s*:?\s*(.+)`,
		`(?:please\s+)?replace\s+REF\s+(?:with|by)\s*:?\s*(.+)`,
		`REF\s+should\s+(?:be|read|say)\s*:?\s*(.+)`,
		`REF\s*(?:->|→|=>)\s*(.+)`,
		// French
		`(?:merci de\s+)?(?:changer|changez|modifier|modifiez|reformuler|reformulez)\s+(?:le\s+|la\s+|l['’]\s*)?REF\s*(?:en|par|:|->|→)\s*:?\s*(.+)`,
		`(?:merci de\s+)?(?:remplacer|remplacez)\s+(?:le\s+|la\s+|l['’]\s*)?REF\s+par\s*:?\s*(.+)`,
		// German
		`(?:bitte\s+)?(?:ändere|ändern|ersetze|ersetzen|formuliere)\s+REF\s*(?:in|zu|durch|mit|:)\s*:?\s*(.+)`,
		`REF\s+(?:bitte\s+)?(?:ändern|ersetzen)\s+(?:in|zu|durch)\s*:?\s*(.+)`,
		// Spanish
		`(?:por favor,?\s+)?(?:cambiar|cambia|cambie|reemplazar|reemplaza|reemplace|modificar|modifica|modifique)\s+(?:el\s+|la\s+)?REF\s*(?:por|a|con|:)\s*:?\s*(.+)`,
		// Portuguese
		`(?:por favor,?\s+)?(?:mudar|muda|mude|alterar|altera|altere|trocar|troca|troque)\s+(?:o\s+|a\s+)?REF\s*(?:para|por|:)\s*:?\s*(.+)`,
		// Dutch
		`(?:graag\s+)?(?:verander|wijzig|vervang)\s+REF\s*(?:in|naar|door|:)\s*:?\s*(.+)`,
		// Italian
		`(?:per favore,?\s+)?(?:cambia|cambiare|modifica|modificare|sostituisci|sostituire)\s+(?:il\s+|la\s+|l['’]\s*)?REF\s*(?:in|con|:)\s*:?\s*(.+)`,
	}
	out := make([]*regexp.Regexp, len(forms))
	for i, f := range forms {
		out[i] = regexp.MustCompile(`(?i)^(?:[-*•·]\s*)?` + strings.Replace(f, "REF", rewordRef, 1) + `$`)
	}
	return out
}()

// Rewords returns the rewordings in text of the n commitments an email
// listed, in order, each number at most once (the last wins, as people
// correct themselves further down), and the text without the lines that
// held them, for reading statuses, the focus answer and new commitments
// from the rest.
func Rewords(text string, n int) ([]Reword, string) {
	if n <= 0 || len(text) > maxInput || !strings.ContainsAny(text, "0123456789") {
		return nil, text
	}
	var out []Reword
	lines := strings.Split(text, "\n")
	kept := lines[:0:0]
	for i, line := range lines {
		if i >= maxLines {
			kept = append(kept, lines[i:]...)
			break
		}
		r, ok := reword(strings.TrimSpace(line), n)
		if !ok {
			kept = append(kept, line)
			continue
		}
		for j := range out {
			if out[j].Ref == r.Ref {
				out = append(out[:j], out[j+1:]...)
				break
			}
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, text
	}
	return out, strings.Join(kept, "\n")
}

// reword reads one line as a rewording of one of n commitments.
func reword(line string, n int) (Reword, bool) {
	if line == "" || len(line) > maxLineLen {
		return Reword{}, false
	}
	for _, f := range rewordForms {
		m := f.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		if e := m[3]; e+1 < len(line) && (line[e] == ':' || line[e] == '.') && line[e+1] >= '0' && line[e+1] <= '9' {
			return Reword{}, false // "change 1:1s to weekly" is about meetings, "1.5" a number
		}
		ref, err := strconv.Atoi(line[m[2]:m[3]])
		if err != nil || ref < 1 || ref > n {
			return Reword{}, false
		}
		text := strings.TrimSpace(strings.Trim(strings.TrimSpace(line[m[4]:m[5]]), `"'“”‘’«»„`))
		if text == "" || len(text) > maxRewordLen {
			return Reword{}, false
		}
		return Reword{Ref: ref, Text: text}, true
	}
	return Reword{}, false
}
