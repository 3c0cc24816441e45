package notes

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file keeps the coach's private observations out of the items. Items
// are emailed to the leader in the recap, so a line the coach wrote for
// themselves ("Obs: seemed tired", "Note to self: ...", "(private)") or a
// sentence about how the leader seemed ("She looked relieved when...") must
// never become one, whatever section, label or item line it follows. When
// in doubt, a line is private: a missing item costs the leader a line in a
// recap, a leaked observation costs the coach the leader's trust.

// privateLabels are labels and headings that announce the coach's own
// notes, as cueWords splits them and joined by single spaces.
var privateLabels = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range []string{
		// English
		"obs", "observation", "observations", "private", "privately", "private note", "private notes",
		"private observation", "private observations", "personal note", "personal notes",
		"note to self", "notes to self", "self note", "self notes", "note to me", "notes to me",
		"coach note", "coach notes", "coach's note", "coach's notes", "coachs notes",
		"coach observation", "coach observations", "coach's observation", "coach's observations",
		"coaching observation", "coaching observations", "coach only", "for coach only",
		"for me", "for me only", "only for me", "not for client", "not for the client",
		"not to share", "do not share", "don't share", "confidential", "impression", "impressions",
		"hypothesis", "hypotheses", "for supervision", "supervision", "supervision notes",
		"notes for supervision", "for my supervision", "my notes", "my note",
		"my observations", "my observation", "my impressions", "my impression", "my read",
		"my hypothesis", "my hypotheses", "my reflections", "coach reflection", "coach reflections",
		"to watch", "watch for", "watch out for", "watch", "things to watch", "my thoughts",
		"personal reflection", "personal reflections", "my reflection", "coach's reflection",
		"coach's reflections", "feedback for me", "note to file", "notes to file", "for the file",
		"for file", "not for sharing", "not to be shared", "do not forward", "internal note",
		"internal notes",
		// French
		"privé", "privée", "prive", "privee", "note privée", "notes privées", "note perso",
		"notes perso", "note personnelle", "notes personnelles", "note pour moi", "notes pour moi",
		"pour moi", "pour moi seulement", "pour moi uniquement", "note du coach", "notes du coach",
		"remarque du coach", "remarques du coach", "observations du coach", "confidentiel",
		"mes notes", "mes observations", "mes impressions", "mon impression", "mon ressenti", "ressenti", "hypothèse", "hypothèses",
		"mon hypothèse", "à ne pas partager", "ne pas partager", "à surveiller",
		// German
		"privat", "beob", "private notiz", "private notizen", "notiz für mich", "notizen für mich",
		"für mich", "nur für mich", "beobachtung", "beobachtungen", "meine beobachtungen",
		"eigene notizen", "eigene notiz", "persönliche notiz", "persönliche notizen", "coach notiz",
		"coach notizen", "vertraulich", "eindruck", "eindrücke", "mein eindruck", "meine eindrücke",
		"hypothese", "hypothesen", "nicht teilen", "meine notizen",
		// Spanish
		"privado", "privada", "nota privada", "notas privadas", "nota personal", "notas personales",
		"nota para mí", "notas para mí", "para mí", "solo para mí", "sólo para mí", "observación",
		"observaciones", "mis observaciones", "nota del coach", "notas del coach", "confidencial",
		"impresión", "impresiones", "mi impresión", "hipótesis", "no compartir", "mis notas",
		// Portuguese
		"nota pessoal", "notas pessoais", "nota para mim", "notas para mim", "para mim",
		"só para mim", "observação", "observações", "minhas observações", "notas do coach",
		"nota do coach", "impressão", "impressões", "minha impressão", "hipótese", "hipóteses",
		"não partilhar", "não compartilhar", "minhas notas",
		// Dutch
		"privé notitie", "privé notities", "notitie voor mezelf", "notities voor mezelf",
		"voor mezelf", "voor mij", "alleen voor mij", "observatie", "observaties", "waarneming",
		"waarnemingen", "eigen notities", "eigen notitie", "persoonlijke notitie",
		"persoonlijke notities", "vertrouwelijk", "indruk", "indrukken", "mijn indruk",
		"niet delen", "mijn notities",
		// Italian
		"privato", "privata", "nota privata", "note private", "nota personale", "note personali",
		"nota per me", "note per me", "per me", "solo per me", "osservazione", "osservazioni",
		"oss", "le mie osservazioni", "nota del coach", "note del coach", "riservato", "riservata",
		"confidenziale", "impressione", "impressioni", "la mia impressione", "ipotesi",
		"non condividere", "le mie note",
	} {
		m[strings.Join(cueWords(lowerMatch(p)), " ")] = true
	}
	return m
}()

// maxPrivateLabel bounds, in bytes, the label part of a private line.
const maxPrivateLabel = 40

// isPrivateLabel reports whether s, a label or a heading without its
// closing colon, is one of privateLabels. A private label may carry a
// parenthetical ("Coach notes (not for Maya)") or an owner ("Obs re Maya")
// only as a label, which the caller has cut off.
func isPrivateLabel(s string) bool {
	if len(s) > maxPrivateLabel+8 {
		return false
	}
	// Most lines are told at once by their first word, which opens no
	// private label; it is lower-cased on the stack when ASCII.
	i := 0
	for i < len(s) && strings.IndexByte(" \t*_#'([", s[i]) >= 0 {
		i++
	}
	j, ascii := i, true
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if !asciiWord[c] {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isLetterOrDigit(r) && r != '’' {
			break
		}
		ascii = false
		j += size
	}
	var kb [maxPrivateLabel + 16]byte
	switch {
	case j == i:
		return false
	case ascii && j-i <= 16:
		if !privateFirst[string(lowerASCII(kb[:0], []string{strings.TrimRight(s[i:j], "'")}))] {
			return false
		}
	case ascii:
		return false // no private label opens with so long a word
	default:
		if !privateFirst[lowerMatch(s[i:j])] {
			return false
		}
	}
	if strings.IndexByte(s, '(') >= 0 || strings.IndexByte(s, '[') >= 0 {
		s = parenthetical.ReplaceAllString(s, " ")
	}
	var buf [8]string
	var ws []string
	ascii = true
	for k := 0; k < len(s) && ascii; k++ {
		ascii = s[k] < utf8.RuneSelf
	}
	if ascii {
		ws = appendCueWords(buf[:0], s) // lower-cased below, on the stack
	} else {
		ws = appendCueWords(buf[:0], lowerMatch(s))
	}
	if len(ws) == 0 || len(ws) > 5 {
		return false
	}
	// "Not for Maya", "Pas pour le client": whoever it is not for.
	if len(ws) >= 3 && len(ws) <= 4 && notFor[string(lowerASCII(kb[:0], ws[:2]))] {
		return true
	}
	// "Key observations", "Today's impressions": a private label after
	// words that only qualify it. What remains must be private by itself,
	// so "My session notes" stays the generic "notes".
	for k := range ws {
		if k > 0 && !privateQualifiers[string(lowerASCII(kb[:0], ws[k-1:k]))] {
			return false
		}
		if privateLabels[string(lowerASCII(kb[:0], ws[k:]))] {
			return true
		}
	}
	return false
}

// lowerASCII appends ws, joined by single spaces and with ASCII letters
// lower-cased, to b.
func lowerASCII(b []byte, ws []string) []byte {
	for i, w := range ws {
		if i > 0 {
			b = append(b, ' ')
		}
		for j := 0; j < len(w); j++ {
			c := w[j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	}
	return b
}

// privateFirst are the first words of privateLabels and the
// privateQualifiers: a label that opens with another word is not private.
var privateFirst = func() map[string]bool {
	m := map[string]bool{}
	for p := range privateLabels {
		m[strings.SplitN(p, " ", 2)[0]] = true
	}
	for q := range privateQualifiers {
		m[q] = true
	}
	for p := range notFor {
		m[strings.SplitN(p, " ", 2)[0]] = true
	}
	return m
}()

// notFor open a label that says whom a note is not for.
var notFor = set("not for", "pas pour", "nicht für", "no para", "não para", "niet voor", "non per")

// privateQualifiers may come before a private label.
var privateQualifiers = set("key", "main", "some", "quick", "general", "other", "additional", "few",
	"just", "only",
	"a", "my", "coach", "coach's", "coaching", "session", "today's", "today", "personal", "own",
	"brief", "short", "raw", "mes", "quelques", "meine", "einige", "mis", "algunas", "minhas",
	"algumas", "mijn", "enkele", "le", "mie", "alcune")

// privateLine reports whether a line, without its list marker, is the
// coach's own: a private label ("Obs: ...", "Note to self - ..."), a
// private heading ("Private notes", "## Observations"), or a line marked
// private anywhere ("... (private)"). whole tells a line that is a
// private heading, which opens a private section.
func privateLine(text string) (whole, ok bool) {
	t := strings.TrimSpace(text)
	if t == "" {
		return false, false
	}
	if privateMark(t) {
		// A heading marked private ("Coach reflections (private)",
		// "Notes (not for Maya):") opens a private section; any other
		// line marked so is private as a label is.
		rest := strings.TrimSpace(parenthetical.ReplaceAllString(t, " "))
		if rest == "" || strings.HasSuffix(rest, ":") || isPrivateLabel(rest) {
			return true, true
		}
		_, _, _, isHeading := heading(rest, false)
		return isHeading, true
	}
	// "(Private) she seemed tired", "[Obs] tired": a label in brackets.
	if c := t[0]; c == '(' || c == '[' {
		end := strings.IndexAny(t, ")]")
		if end > 0 && end <= maxPrivateLabel && isPrivateLabel(t[1:end]) {
			return strings.TrimSpace(t[end+1:]) == "", true
		}
	}
	cut, width := labelCut(t)
	if cut < 0 {
		// A whole line: a heading when short.
		if len(t) > maxPrivateLabel+8 {
			return false, false
		}
		end := len(t)
		for end > 0 && strings.IndexByte(".!: ", t[end-1]) >= 0 {
			end--
		}
		return true, isPrivateLabel(t[:end])
	}
	if !isPrivateLabel(t[:cut]) {
		return false, false
	}
	return strings.TrimSpace(t[cut+width:]) == "", true
}

// labelCut returns where the label of "Label: text" ends and the width of
// its separator, a colon or a spaced dash, or -1. A dot may close an
// abbreviated label ("Obs. seemed tired") only when one short word is
// before it.
func labelCut(t string) (int, int) {
	head := t[:min(len(t), maxPrivateLabel+len(" — "))]
	cut, width := strings.IndexByte(head, ':'), 1
	lim := len(head)
	if cut >= 0 {
		lim = cut
	}
	if strings.IndexByte(head[:lim], 0xef) >= 0 {
		if i := strings.Index(head[:lim], "："); i >= 0 {
			cut, width, lim = i, len("："), i
		}
	}
	if strings.IndexByte(head[:lim], '-') >= 0 || strings.IndexByte(head[:lim], 0xe2) >= 0 {
		for _, sep := range []string{" - ", " – ", " — "} {
			if i := strings.Index(head[:lim], sep); i >= 0 {
				cut, width, lim = i, len(sep), i
			}
		}
	}
	if cut > 0 && cut <= maxPrivateLabel {
		return cut, width
	}
	if cut < 0 {
		if i := strings.Index(head, ". "); i > 0 && i <= 4 && !strings.ContainsAny(head[:i], " .") {
			return i, 1
		}
	}
	return -1, 0
}

// privateMark reports a parenthetical that marks its line private:
// "(private)", "[not for client]", "(pour moi)". An aside with its own
// text ("(private: tired)") marks only itself: see privateClause.
func privateMark(t string) bool {
	for i := 0; i < len(t); i++ {
		j := strings.IndexByte(t[i:], '(')
		if k := strings.IndexByte(t[i:], '['); k >= 0 && (j < 0 || k < j) {
			j = k
		}
		if j < 0 {
			return false
		}
		i += j
		end := strings.IndexAny(t[i+1:], ")]")
		if end < 0 {
			return false
		}
		if inner := t[i+1 : i+1+end]; len(inner) <= maxPrivateLabel {
			if isPrivateLabel(inner) {
				return true
			}
		}
		i += end
	}
	return false
}

// Observations: sentences about how someone seemed or felt.

// perceptionVerbs say how someone came across: "She seemed tired", "He
// looked relieved", "Sie wirkte erschöpft". Each is matched as a sequence
// of words right after the subject, or opening a sentence without one.
var perceptionVerbs = phraseSet(
	"seemed", "seems", "seem", "appeared", "appears", "sounded", "sounds", "looked", "looks",
	"came across", "comes across", "felt", "feels", "struck me", "strikes me",
	// What someone's face or voice did: "She teared up when...".
	"cried", "teared up", "welled up", "broke down", "lit up", "shut down", "went quiet",
	"tensed up", "choked up", "sighed",
	"semblait", "semble", "paraissait", "paraît", "avait l'air", "a l'air", "se sentait", "se sent",
	"wirkte", "wirkt", "schien", "scheint", "klang", "klingt", "fühlte sich", "fühlt sich",
	"parecía", "se veía", "se ve", "se notaba", "se nota", "sonaba", "se sentía", "se siente",
	"se la veía", "se le veía", "se la notaba", "se le notaba", "la vi", "lo vi", "la noté", "lo noté",
	"parecia", "aparentava", "aparenta", "soava", "se sentia", "sentia se",
	"leek", "lijkt", "oogde", "klonk", "voelde zich", "voelt zich",
	"sembrava", "sembra", "appariva", "pareva", "si sentiva", "si sente")

// notPerception follow a perception verb that says what is, not how
// someone came across: "il semble que", "es scheint, dass".
var notPerception = set("que", "qu", "dass", "che", "dat", "that")

// lookVerbs are the perception verbs that also say where someone looked:
// "looked at the numbers", "looks forward to", "looks to hire".
var lookVerbs = set("looked", "looks", "look")

// notLook follow a look verb that is no perception.
var notLook = set("at", "into", "for", "over", "through", "forward", "back", "up", "after",
	"ahead", "around", "to", "out", "in")

// perceptionAdverbs say that someone was seen to be some way: "She
// visibly relaxed", "Visiblement soulagée".
var perceptionAdverbs = set("visibly", "noticeably", "visiblement", "sichtlich", "sichtbar",
	"visiblemente", "visivelmente", "zichtbaar", "visibilmente")

// copulas link a subject to how they were: "She was tired", "Elle était
// épuisée".
var copulas = set("was", "is", "were", "are", "got", "gets", "became", "becomes", "remained",
	"stayed", "she's", "he's", "they're", "you're", "i'm",
	"était", "est", "restait", "war", "ist", "wurde", "blieb", "estaba", "está", "estuvo", "era",
	"es", "quedó", "estava", "esteve", "é", "ficou", "werd", "bleef", "è", "stava", "rimase")

// subjectless are copulas that need no subject before them: Spanish,
// Portuguese and Italian drop it ("Estaba agotada", "Era molto stanca").
var subjectless = set("estaba", "estuvo", "estava", "esteve", "stava", "era", "quedó", "ficou",
	"está")

// stateWords say how someone was: tired, relieved, on the defensive, close
// to tears.
var stateWords = set(
	"tired", "exhausted", "drained", "stressed", "anxious", "nervous", "tense", "defensive",
	"relieved", "emotional", "tearful", "teary", "tears", "upset", "frustrated", "angry",
	"irritated", "irritable", "annoyed", "overwhelmed", "subdued", "withdrawn", "guarded",
	"distracted", "agitated", "fragile", "vulnerable", "sad", "lighter", "relaxed", "calmer",
	"energised", "energized", "animated", "buoyant", "worried", "concerned", "discouraged",
	"deflated", "disengaged", "burnt", "burned", "worn", "fatigued", "weary", "depleted",
	"shaken", "rattled", "hurt", "frazzled", "flustered", "uneasy", "uncomfortable", "restless",
	"impatient", "cynical", "resigned", "upbeat", "cheerful", "lively", "distant", "defeated", "flat",
	"struggling", "pressure", "burnout", "exhaustion", "anxiety", "emotionally",
	"fatigué", "fatiguée", "épuisé", "épuisée", "stressé", "stressée", "tendu", "tendue",
	"soulagé", "soulagée", "détendu", "détendue", "ému", "émue", "anxieux", "anxieuse",
	"nerveux", "nerveuse", "inquiet", "inquiète", "frustré", "frustrée", "agacé", "agacée",
	"découragé", "découragée", "abattu", "abattue", "défensive", "défensif", "triste", "vidé",
	"vidée", "apaisé", "apaisée", "crispé", "crispée", "submergé", "submergée", "débordé",
	"débordée", "larmes",
	"müde", "erschöpft", "gestresst", "angespannt", "erleichtert", "entspannt", "nervös",
	"defensiv", "emotional", "niedergeschlagen", "frustriert", "gereizt", "besorgt",
	"überfordert", "ausgelaugt", "bedrückt", "gelöst", "verunsichert", "unruhig", "traurig",
	"verschlossen", "aufgewühlt", "tränen",
	"cansado", "cansada", "agotado", "agotada", "estresado", "estresada", "tenso", "tensa",
	"aliviado", "aliviada", "relajado", "relajada", "nervioso", "nerviosa", "preocupado",
	"preocupada", "frustrado", "frustrada", "abrumado", "abrumada", "desanimado", "desanimada",
	"defensiva", "defensivo", "molesto", "molesta", "irritado", "irritada", "decaído", "decaída",
	"lágrimas",
	"exausto", "exausta", "estressado", "estressada", "relaxado", "relaxada", "nervoso",
	"nervosa", "sobrecarregado", "sobrecarregada", "abatido", "abatida",
	"moe", "uitgeput", "gestrest", "gespannen", "opgelucht", "ontspannen", "nerveus",
	"defensief", "emotioneel", "gefrustreerd", "geïrriteerd", "bezorgd", "overweldigd",
	"somber", "verdrietig", "onzeker", "afwezig", "verdediging", "tranen",
	"stanco", "stanca", "esausto", "esausta", "stressato", "stressata", "teso", "tesa",
	"sollevato", "sollevata", "rilassato", "rilassata", "preoccupato", "preoccupata",
	"frustrato", "frustrata", "sopraffatto", "sopraffatta", "difensivo", "difensiva",
	"irritato", "irritata", "scoraggiato", "scoraggiata", "abbattuto", "abbattuta", "lacrime")

// stateNouns name how someone was, in verbless notes: "Energy low", "Mood:
// flat", "Low energy".
var stateNouns = set("energy", "mood", "tone", "demeanour", "demeanor", "affect", "spirits",
	"stress", "confidence", "motivation", "morale", "énergie", "humeur", "moral", "confiance",
	"energie", "stimmung", "laune", "motivierung", "energía", "ánimo", "humor", "confianza",
	"motivación", "energia", "confiança", "motivação", "stemming", "motivatie", "umore",
	"motivazione", "fiducia")

// levelWords say how much of a state there was.
var levelWords = set("low", "lower", "high", "higher", "flat", "down", "better", "worse", "good",
	"great", "poor", "mixed", "off", "dipped", "dropped", "basse", "bas", "faible", "bonne",
	"meilleure", "haute", "niedrig", "hoch", "gut", "schlecht", "besser", "gedrückt", "baja",
	"bajo", "alta", "alto", "buena", "mejor", "peor", "baixa", "baixo", "boa", "melhor", "pior",
	"laag", "hoog", "goed", "beter", "bassa", "basso", "buona", "migliore", "peggiore")

// degreeWords may stand between a subject or a copula and a state: "She
// was a bit tired", "Visibly more relaxed".
var degreeWords = set("very", "v", "quite", "a", "bit", "little", "really", "rather", "somewhat",
	"under", "lot", "of", "lots",
	"more", "less", "much", "so", "still", "pretty", "slightly", "clearly", "visibly",
	"noticeably", "also", "again", "even", "far", "très", "plus", "moins", "un", "peu", "assez",
	"sehr", "etwas", "ziemlich", "deutlich", "sichtlich", "muy", "más", "menos", "bastante",
	"algo", "muito", "mais", "pouco", "erg", "wat", "nogal", "duidelijk", "zichtbaar", "molto",
	"più", "meno", "abbastanza", "po", "un'", "on", "the", "sur", "la", "à", "in", "de", "na",
	"sulla", "close", "near", "to", "au", "bord", "des", "den", "zu", "al", "borde", "beira")

// coachPerception open the coach's own reading of the leader: "I noticed",
// "My sense is", "J'ai eu l'impression".
var coachPerception = phraseSet(
	"i noticed", "i notice", "i sensed", "i sense", "i felt", "i feel", "i wonder", "i wondered",
	"i suspect", "i suspected", "i get the sense", "i got the sense", "i had the impression",
	"i have the impression", "i had the sense", "i am worried", "i'm worried", "i am concerned",
	"i'm concerned", "i was struck", "i'm struck", "my sense", "my impression", "my hunch",
	"my hypothesis", "my guess", "my worry", "my concern", "note to self",
	"j'ai remarqué", "j'ai noté", "j'ai senti", "j'ai eu l'impression", "j'ai l'impression",
	"je sens", "je sentais", "je me demande", "mon impression", "mon ressenti", "mon hypothèse",
	"mon intuition",
	"ich habe den eindruck", "ich hatte den eindruck", "ich habe das gefühl",
	"ich hatte das gefühl", "mir fiel auf", "mir ist aufgefallen", "mein eindruck",
	"meine hypothese", "meine vermutung", "ich vermute", "ich frage mich",
	"noté que", "tengo la impresión", "tuve la impresión", "me pareció", "mi impresión",
	"mi hipótesis", "me pregunto", "sospecho",
	"notei", "senti que", "tenho a impressão", "tive a impressão", "minha impressão",
	"a minha impressão", "minha hipótese", "suspeito",
	"ik merkte", "ik merk", "ik had het gevoel", "ik heb het gevoel", "ik had de indruk",
	"ik heb de indruk", "mijn indruk", "mijn hypothese", "ik vraag me af", "ik vermoed",
	"ho notato", "ho avuto l'impressione", "ho l'impressione", "mi è sembrato", "mi è sembrata",
	"la mia impressione", "la mia ipotesi", "mi chiedo")

// phrases is a set of phrases of cue words, looked up by their first word.
type phrases map[string][][]string

func phraseSet(ps ...string) phrases {
	m := phrases{}
	for _, p := range ps {
		ws := cueWords(lowerMatch(p))
		m[ws[0]] = append(m[ws[0]], ws[1:])
	}
	return m
}

// at returns the number of words of the longest phrase of m at ws[i], or 0.
func (m phrases) at(ws []string, i int) int {
	if i >= len(ws) {
		return 0
	}
	best := 0
	for _, rest := range m[ws[i]] {
		n := 1 + len(rest)
		if n > best && i+n <= len(ws) && slices.Equal(ws[i+1:i+n], rest) {
			best = n
		}
	}
	return best
}

// subjectWords open a sentence about a person.
var subjectWords = set("she", "he", "they", "you", "we", "elle", "il", "ils", "elles", "sie", "er",
	"ella", "él", "ellos", "ellas", "ela", "ele", "eles", "elas", "zij", "ze", "hij", "lei", "lui",
	"loro", "her", "his", "their", "your", "son", "sa", "ses", "ihre", "ihr", "sein", "seine",
	"su", "sus", "seu", "sua", "haar", "zijn", "hun", "suo", "sua", "the", "le", "la", "die",
	"der", "das", "el", "o", "a", "de", "het", "il", "lo")

// maxObservation bounds, in bytes, the opening of a sentence that
// observation reads.
const maxObservation = 160

// observation reports a sentence that describes how someone seemed or felt
// rather than what they decided, saw anew or will do: "She seemed tired",
// "He looked relieved when...", "Energy low", "Visibly more relaxed", "I
// noticed she...". An imperative ("Keep an energy log") is no observation.
func observation(text string) bool {
	// Only a sentence's opening words are read: a long one is cut, and
	// then is no verbless fragment.
	long := false
	if len(text) > maxObservation {
		cut := maxObservation
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text, long = text[:cut], true
	}
	if !mayObserve(text) {
		return false
	}
	low := lowerMatch(text)
	var buf [48]string
	ws := appendCueWords(buf[:0], low)
	if len(ws) > 0 && (ws[0] == "and" || ws[0] == "but" || ws[0] == "et" || ws[0] == "und") {
		ws = ws[1:] // a clause cut off a longer line
	}
	if len(ws) == 0 {
		return false
	}
	if coachPerception.at(ws, 0) > 0 {
		return true
	}
	// The subject: none ("Seemed tired"), a word ("She", "Maya"), or two
	// ("Her energy", "Maya Rossi", "The team").
	for i := 0; i <= 2 && i < len(ws); i++ {
		if i == 2 && !subjectWords[ws[0]] && !capitalisedAt(text, 1) {
			break
		}
		// A state noun opens the sentence, alone or after a possessive.
		if i <= 1 && (i == 0 || subjectWords[ws[0]]) {
			if stateNouns[ws[i]] && i+1 < len(ws) && levelWithin(ws[i+1:], 3) {
				return true // "Energy low", "Her energy was much lower"
			}
			if levelWords[ws[i]] && i+1 < len(ws) && stateNouns[ws[i+1]] {
				return true // "Low energy today"
			}
		}
		j := i
		for j < len(ws) && j < i+2 && degreeWords[ws[j]] && ws[j] != "a" && ws[j] != "the" {
			if perceptionAdverbs[ws[j]] {
				return true
			}
			j++
		}
		if j < len(ws) && perceptionAdverbs[ws[j]] {
			return true
		}
		if n := perceptionVerbs.at(ws, j); n > 0 {
			if j+n < len(ws) && (notPerception[ws[j+n]] || lookVerbs[ws[j]] && notLook[ws[j+n]]) {
				return false
			}
			// "You seem to believe you must have every answer" holds up
			// the leader's belief to them: the stuff of a reframe.
			if i == 1 && secondPerson[ws[0]] && j+n < len(ws) && ws[j+n] == "to" {
				return false
			}
			return true
		}
		if j < len(ws) && copulas[ws[j]] && (i > 0 || subjectless[ws[j]] || strings.HasSuffix(ws[j], "'s") || strings.HasSuffix(ws[j], "'re") || strings.HasSuffix(ws[j], "'m")) {
			if stateWithin(ws[j+1:], 5) {
				return true
			}
		}
	}
	// A verbless state: "Tired.", "Visibly relieved", "More relaxed than
	// last time", "Exhausted, close to tears".
	// Terse notes drop the verb, and often the subject too: "Tired.",
	// "Visibly relieved", "ben v stressed re: reorg", "Alex tired but ok".
	nearly := len(ws) > 2 && ws[1] == "to" && (ws[0] == "close" || ws[0] == "near") // not "Close the pilot"
	if !long && len(ws) <= 8 && (nearly || !imperative(text)) {
		for start := 0; start <= 1; start++ {
			k := start
			for k < len(ws) && k < start+2 && degreeWords[ws[k]] {
				k++
			}
			// The state must stand alone, not qualify a noun: "Calmer
			// meetings: start with the decision" is a task.
			if k < len(ws) && stateWords[ws[k]] && (k+1 == len(ws) || stateFollowers[ws[k+1]]) {
				return true
			}
		}
	}
	return false
}

// stateFollowers may follow a state that stands alone: "Relieved when we
// named it", "Calmer than last time", "Exhausted, close to tears".
var stateFollowers = set("than", "and", "but", "about", "when", "at", "with", "after", "before",
	"during", "today", "again", "by", "around", "over", "throughout", "in", "on", "to", "close",
	"near", "all", "since", "as", "because", "yet", "though", "compared", "vs", "re", "if",
	"que", "et", "mais", "quand", "avec", "après", "avant", "aujourd'hui", "und", "aber", "als",
	"wenn", "mit", "nach", "vor", "heute", "y", "pero", "cuando", "con", "después", "hoy", "e",
	"mas", "quando", "com", "depois", "hoje", "en", "maar", "toen", "met", "na", "vandaag", "ma",
	"dopo", "oggi", "au", "bei", "beim", "al", "ao", "bij", "a")

// mayObserve reports whether text holds a word without which observation
// finds nothing: a state, a perception verb or adverb, or the telling word
// of the coach's own reading ("noticed", "impression"). Most sentences
// hold none, and telling so costs less than lower-casing them.
func mayObserve(text string) bool {
	var kb [32]byte
	w := kb[:0]
	long := false // the word does not fit kb: no such word is looked for
	for i := 0; i <= len(text); {
		var c byte = ' '
		if i < len(text) {
			c = text[i]
		}
		if c < utf8.RuneSelf {
			i++
			if asciiWord[c] {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if len(w) < len(kb) {
					w = append(w, c)
				} else {
					long = true
				}
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			if r == '’' {
				r = '\''
			}
			if r == '\'' || isLetterOrDigit(r) {
				if len(w)+utf8.UTFMax <= len(kb) {
					w = utf8.AppendRune(w, unicode.ToLower(r))
				} else {
					long = true
				}
				continue
			}
		}
		// The end of a word.
		for len(w) > 0 && w[0] == '\'' {
			w = w[1:]
		}
		for len(w) > 0 && w[len(w)-1] == '\'' {
			w = w[:len(w)-1]
		}
		if len(w) > 0 && !long && observeFilter.mayHoldBytes(w) && observeWords[string(w)] {
			return true
		}
		w, long = kb[:0], false
	}
	return false
}

// mayHoldBytes is mayHold for a word held in bytes.
func (f *wordFilter) mayHoldBytes(w []byte) bool {
	if len(w) == 0 {
		return false
	}
	h := (uint(w[0])*131 + uint(w[len(w)-1])*31 + uint(len(w))) & 4095
	return f[h/64]&(1<<(h%64)) != 0
}

// observeWords are the words mayObserve looks for: each state, state noun
// and perception adverb, and the longest word of each perception phrase.
var observeWords = func() map[string]bool {
	m := map[string]bool{}
	for _, set := range []map[string]bool{stateWords, stateNouns, perceptionAdverbs} {
		for w := range set {
			m[w] = true
		}
	}
	for _, ps := range []phrases{perceptionVerbs, coachPerception} {
		for first, rests := range ps {
			for _, rest := range rests {
				best := ""
				for _, w := range append([]string{first}, rest...) {
					if !commonWords[w] && utf8.RuneCountInString(w) >= utf8.RuneCountInString(best) {
						best = w
					}
				}
				m[best] = true
			}
		}
	}
	return m
}()

// commonWords are words of perception phrases too common to tell one:
// "se" of "se veía", "la" of "la vi", "i" of "i sensed".
var commonWords = set("se", "la", "lo", "le", "me", "mi", "my", "i", "je", "ik", "ich", "il", "ho",
	"a", "de", "the", "to", "que", "af", "auf", "mich", "sich", "zich", "si", "het", "den", "das",
	"have", "had", "get", "got", "j'ai", "up", "me", "minha", "mon", "mein", "meine", "mijn")

// observeFilter is observeWords as a filter, which most words fail at once.
var observeFilter = func() (f wordFilter) {
	for w := range observeWords {
		f.add(w)
	}
	return f
}()

// coachReading reports a sentence that opens with the coach's own reading
// of the leader: "I noticed", "My sense is", "J'ai eu l'impression".
func coachReading(text string) bool {
	var buf [8]string
	ws := appendCueWords(buf[:0], lowerMatch(text[:min(len(text), 48)]))
	return coachPerception.at(ws, 0) > 0
}

// stateWithin reports a state word among the first n words of ws, reading
// past degree words only.
func stateWithin(ws []string, n int) bool {
	for k := 0; k < len(ws) && k < n; k++ {
		if stateWords[ws[k]] || perceptionAdverbs[ws[k]] {
			return true // "was tired", "estava visivelmente cansada"
		}
		if !degreeWords[ws[k]] {
			return false
		}
	}
	return false
}

// levelWithin reports a level word or a rating among the first n words of
// ws, past a copula or degree words: "Energy low", "energy was much
// better", "Mood: 4/10".
func levelWithin(ws []string, n int) bool {
	for k := 0; k < len(ws) && k < n; k++ {
		if levelWords[ws[k]] || stateWords[ws[k]] || isDigits(ws[k]) {
			return true // "Energy low", "Mood: 4/10"
		}
		if !copulas[ws[k]] && !degreeWords[ws[k]] && !perceptionVerbs.has(ws[k]) {
			return false
		}
	}
	return false
}

func (m phrases) has(w string) bool {
	for _, rest := range m[w] {
		if len(rest) == 0 {
			return true
		}
	}
	return false
}

// capitalisedAt reports whether the word at index i of text, split as
// cueWords splits, opens with a capital letter: the second word of a
// person's name.
func capitalisedAt(text string, i int) bool {
	n, in := -1, false
	for _, r := range text {
		word := r == '\'' || isLetterOrDigit(r)
		if word && !in {
			if n++; n == i {
				return unicode.IsUpper(r)
			}
		}
		in = word
	}
	return false
}

// clauseBreaks are where a line may go on with a remark of another kind:
// "Send the memo by Friday — she seemed tired".
var clauseBreaks = []string{" — ", " – ", " - ", "; ", " (", " [", ", ", ": ", " -- ", ". ", "! ", "? ", "… "}

// dropPrivate returns text up to its first clause that is private or an
// observation, or "" when the text opens with one.
func dropPrivate(text string) string {
	// Without the words an observation needs, no clause of text is one.
	obs := mayObserve(text)
	if obs && observation(text) {
		return ""
	}
	if _, ok := privateLine(text); ok {
		return ""
	}
	if !obs && !mayLabel(text) {
		return strings.TrimSpace(text) // no clause can be private
	}
	end, byColon := len(text), false
	for _, sep := range clauseBreaks {
		for from := 0; from < end; {
			i := strings.Index(text[from:end], sep)
			if i < 0 {
				break
			}
			at := from + i
			rest := strings.TrimLeft(text[at+len(sep):], "([ ")
			if rest != "" && (obs && observation(rest) || privateClause(text[at:])) {
				end, byColon = at, sep == ": "
				break
			}
			from = at + len(sep)
		}
	}
	kept := strings.TrimSpace(text[:end])
	if byColon && len(strings.Fields(kept)) <= 3 {
		return "" // "Note: she seemed tired": the label of the observation
	}
	return kept
}

// mayLabel reports whether text holds what a private clause needs: a
// colon, a dash or the dot of an abbreviation after its label, or a
// bracket around it.
func mayLabel(text string) bool {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case ':', '(', '[', 0xef, 0xe2: // 0xef, 0xe2: "：", "–", "—"
			return true
		case '-':
			if i > 0 && text[i-1] == ' ' {
				return true
			}
		case '.': // "Obs. tired": an abbreviated label
			k := i
			for k > 0 && text[k-1] < utf8.RuneSelf && asciiWord[text[k-1]] {
				k--
			}
			if i+1 < len(text) && text[i+1] == ' ' && i-k > 0 && i-k <= 4 {
				return true
			}
		}
	}
	return false
}

// privateClause reports a clause that opens with a private label or mark:
// " (private: exhausted)", " — note to self: ...".
func privateClause(s string) bool {
	t := strings.TrimLeft(s, " —–-;,:.!?…")
	if t == "" {
		return false
	}
	t = strings.TrimLeft(t, "([ ")
	if c, _ := labelCut(t); c > 0 && isPrivateLabel(t[:c]) {
		return true
	}
	return false
}
