package reply

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sigKind says how sure a mobile-client line is to be a signature.
type sigKind int

const (
	sigNone sigKind = iota
	// sigWeak: a loose "Sent from ..." line; a signature only when the
	// text ends after it or history follows it.
	sigWeak
	// sigStrong: a client or device line ("Sent from my iPhone", "Get
	// Outlook for iOS"); everything after it is not new text.
	sigStrong
)

var (
	// ownDevicePrefixes begin a mobile client's line naming the sender's own
	// device; they are signatures even for devices not in deviceWords ("Sent
	// from my Wiko RIDGE FAB 4G"). Longest first.
	ownDevicePrefixes = []string{
		"verstuurd vanaf mijn", "verzonden vanaf mijn", "gesendet von meinem", "отправлено с моего",
		"verstuurd met mijn", "verzonden met mijn", "envoyé depuis mon", "wysłano z mojego",
		"надіслано з мого", "enviado desde mi", "skickat från min", "wysłane z mojego",
		"inviato dal mio", "enviado do meu", "enviado de meu", "envoyé de mon", "enviado de mi",
		"sendt fra min", "sent from my", "sendt fra mi", "von meinem",
	}

	// sentPrefixes begin other client lines ("Sent from Yahoo Mail on
	// Android", "Inviato da iPhone"). Longest first.
	sentPrefixes = []string{
		"enviado a partir do", "envoyé à partir de", "verstuurd vanaf", "verzonden vanaf",
		"enviado desde", "verstuurd met", "envoyé depuis", "verzonden met", "отправлено из",
		"gesendet vom", "skickat från", "gesendet mit", "отправлено с", "gesendet von",
		"inviato con", "enviado con", "envoyé avec", "enviado com", "надіслано з", "envoyé via",
		"enviado do", "sent using", "inviato da", "wysłane z", "sendt fra", "sent from", "wysłano z",
		"lähetetty", "sent with", "envoyé de", "sent via", "sent on",
	}

	// deviceWords name devices and mail apps that clients name in their
	// line, lower-cased.
	deviceWords = []string{"iphone", "ipad", "ipod", "android", "samsung", "galaxy", "blackberry",
		"outlook", "mobil", "móvil", "movil", "celular", "cellulare", "smartphone", "phone",
		"telefon", "tel.", "handy", "portable", "tablet", "huawei", "xiaomi", "pixel", "oneplus",
		"nokia", "motorola", "xperia", "windows", "mail", "yahoo", "aol", "proton", "typeapp",
		"spark", "airmail", "newton", "телефон", "смартфон", "watch"}

	// outlookApp matches Outlook mobile's line in any language ("Get Outlook
	// for iOS", "Outlook für Android herunterladen", "Envoyé à partir de
	// Outlook pour iOS").
	outlookApp = regexp.MustCompile(`(?i)outlook\S*\s+(?:for|für|pour|para|per|voor|för|for|dla|для|na|til)\s+(?:systemu\s+)?(?:ios|android)`)

	// cjkSent matches the Japanese, Chinese and Korean forms
	// ("iPhoneから送信", "从我的iPhone发送", "發自我的 iPhone", "iPhone에서 보냄").
	cjkSent = regexp.MustCompile(`(?i)^(?:(?:iphone|ipad|android|スマートフォン|携帯)\S*から送信|(?:从|從|发自|發自|寄自)我的\s*\S+|.{0,20}(?:iphone|ipad|android).{0,6}(?:发送|傳送|送信)|(?:iphone|ipad|android|galaxy|갤럭시)\S*에서 보냄)$`)

	// sentWords are the first words of the prefixes, to skip them cheaply.
	sentWords = map[string]bool{"sent": true, "envoyé": true, "von": true, "gesendet": true,
		"enviado": true, "inviato": true, "verzonden": true, "verstuurd": true, "skickat": true,
		"sendt": true, "lähetetty": true, "wysłane": true, "wysłano": true, "отправлено": true,
		"надіслано": true}

	// sentenceEnd matches what ends a sentence.
	sentenceEnd = regexp.MustCompile(`[.?!。？！]$`)
)

// mobileSignature classifies a trimmed line as a mobile client's line.
func mobileSignature(t string) sigKind {
	if len(t) > 200 || t == "" || !maybeMobile(t) {
		return sigNone
	}
	t = stripTrailingLink(normalizeSpace(t))
	if utf8.RuneCountInString(t) > 80 {
		return sigNone
	}
	if strings.Contains(t, "utlook") && len(strings.Fields(t)) <= 9 && outlookApp.MatchString(t) {
		return sigStrong
	}
	if (strings.Contains(t, "送信") || strings.Contains(t, "我的") || strings.Contains(t, "发送") || strings.Contains(t, "보냄")) && cjkSent.MatchString(t) {
		return sigStrong
	}
	first, _, _ := strings.Cut(t, " ")
	if !sentWords[strings.ToLower(first)] {
		return sigNone
	}
	if lower := strings.ToLower(t); strings.HasPrefix(lower, "von meinem ") &&
		strings.HasSuffix(strings.TrimRight(lower, ". "), " gesendet") && len(strings.Fields(t)) <= 7 {
		return sigStrong
	}
	own, rest, ok := cutSentPrefix(t)
	if !ok {
		return sigNone
	}
	restWords := len(strings.Fields(rest))
	device := containsAny(strings.ToLower(rest), deviceWords)
	ends := sentenceEnd.MatchString(rest)
	if own {
		// "Sent from my <device>": short, and not a sentence.
		if restWords <= 4 && (!ends || restWords <= 3) && (!strings.Contains(rest, ",") || device) {
			return sigStrong
		}
		if device && restWords <= 6 {
			return sigStrong
		}
		return sigNone
	}
	if device && restWords <= 7 {
		return sigStrong
	}
	if restWords <= 6 && !ends && !strings.Contains(rest, ",") {
		return sigWeak
	}
	return sigNone
}

// maybeMobile reports whether t may be a mobile client's line, from what
// each kind needs: Outlook's name, a CJK form's words, or a first word of
// sentWords (tested by its first letter). Text with a zero-width space,
// which normalizeSpace removes, is left to the full test.
func maybeMobile(t string) bool {
	if strings.Contains(t, "\u200b") || strings.Contains(t, "utlook") {
		return true
	}
	if strings.Contains(t, "送信") || strings.Contains(t, "我的") || strings.Contains(t, "发送") || strings.Contains(t, "보냄") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(t)
	return sentFirst[unicode.ToLower(r)]
}

// sentFirst are the first letters of sentWords.
var sentFirst = func() map[rune]bool {
	m := map[rune]bool{}
	for w := range sentWords {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = true
	}
	return m
}()

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// cutSentPrefix finds the prefix of a mobile client's line, and returns
// whether it names the sender's own device and the words after it.
func cutSentPrefix(t string) (own bool, rest string, ok bool) {
	head := t
	if len(head) > 48 {
		head = head[:48]
	}
	head = strings.ToLower(head)
	for k, list := range [2][]string{ownDevicePrefixes, sentPrefixes} {
		for _, p := range list {
			if !strings.HasPrefix(head, p+" ") {
				continue
			}
			// Lower-casing keeps the byte length of these prefixes,
			// whose letters are all in ASCII, Latin-1 or Cyrillic.
			if len(strings.ToLower(t[:len(p)])) != len(p) {
				return false, "", false
			}
			return k == 0, strings.TrimSpace(t[len(p):]), true
		}
	}
	return false, "", false
}

// stripTrailingLink removes the link that some clients glue to their line:
// "Get Outlook for iOS<https://aka.ms/o0ukef>".
func stripTrailingLink(t string) string {
	if strings.HasSuffix(t, ">") {
		if k := strings.LastIndex(t, "<"); k > 0 {
			return strings.TrimSpace(t[:k])
		}
	}
	return t
}

// valedictions are closings, lower-cased and without the punctuation at
// their ends, with the short forms people type ("Abs", "Att", "LG", "MfG",
// "Cdlt", "Mvg", "MVH", "Pozdr"). It is built once and only read.
var valedictions = setOf(strings.Split(strings.Join([]string{
	// English
	`regards|best regards|kind regards|warm regards|warmest regards|many regards|kindest regards|with regards|regards to all|best|all the best|all best|best wishes|warm wishes|warmly|warmest|cheers|thanks|thank you|thanks again|many thanks|thanks so much|thank you so much|thanks a lot|thanks all|thanks in advance|with thanks|thx|tx|tks|ty|br|kr|rgds|brgds|sincerely|yours|yours truly|yours sincerely|sincerely yours|respectfully|take care|talk soon|speak soon`,
	// French
	`cordialement|bien cordialement|très cordialement|cdlt|cdt|bien à vous|bien à toi|bav|amicalement|amitiés|merci|merci beaucoup|merci d'avance|merci d’avance|bonne journée|bonne soirée|bonne fin de journée|belle journée|à bientôt|salutations|sincères salutations|meilleures salutations|bises|bisous|respectueusement`,
	// German
	`mit freundlichen grüßen|mit freundlichen grüssen|mit freundlichem gruß|mit freundlichem gruss|freundliche grüße|freundliche grüsse|freundlichen gruß|viele grüße|viele grüsse|beste grüße|beste grüsse|besten gruß|besten gruss|mit besten grüßen|liebe grüße|liebe grüsse|ganz liebe grüße|herzliche grüße|herzliche grüsse|mit herzlichen grüßen|herzlichen gruß|schöne grüße|schöne grüsse|sonnige grüße|lg|glg|vg|mfg|bg|hg|gruß|gruss|grüße|grüsse|danke|danke schön|vielen dank|danke und gruß|danke und grüße`,
	// Spanish
	`saludos|un saludo|saludos cordiales|un saludo cordial|un cordial saludo|cordiales saludos|muchos saludos|slds|atentamente|atte|cordialmente|gracias|muchas gracias|mil gracias|un abrazo|abrazos|besos|hasta pronto`,
	// Italian
	`cordiali saluti|saluti|saluti cordiali|distinti saluti|un saluto|un caro saluto|cari saluti|grazie|grazie mille|un abbraccio|a presto|buona giornata|buon lavoro|ciao`,
	// Portuguese
	`atenciosamente|att|abs|abraços|abraço|um abraço|grande abraço|abç|beijos|bjs|obrigado|obrigada|muito obrigado|muito obrigada|cumprimentos|melhores cumprimentos|saudações`,
	// Dutch
	`met vriendelijke groet|met vriendelijke groeten|vriendelijke groet|vriendelijke groeten|met groet|hartelijke groet|hartelijke groeten|groeten|groet|groetjes|mvg|m.v.g|vr.gr|vrgr|gr|grt|grtz|bedankt|alvast bedankt|dank je|dank je wel|dank u|dank u wel`,
	// Scandinavian and Finnish
	`med vänliga hälsningar|med vänlig hälsning|vänliga hälsningar|vänlig hälsning|bästa hälsningar|hälsningar|mvh|vh|tack|tack så mycket|med venlig hilsen|venlig hilsen|bedste hilsner|de bedste hilsner|med vennlig hilsen|vennlig hilsen|beste hilsen|hilsen|takk|tak|ystävällisin terveisin|yst. terveisin|parhain terveisin|terveisin|kiitos`,
	// Polish, Czech, Russian, Ukrainian
	`pozdrawiam|pozdr|serdecznie pozdrawiam|pozdrawiam serdecznie|z poważaniem|z wyrazami szacunku|pozdrowienia|serdeczności|dziękuję|dzięki|s pozdravem|děkuji|с уважением|с наилучшими пожеланиями|спасибо|заранее спасибо|всего доброго|всего наилучшего|з повагою|дякую`,
	// Japanese, Chinese, Korean
	`よろしくお願いします|よろしくお願いいたします|よろしくお願い致します|宜しくお願いします|宜しくお願いいたします|宜しくお願い致します|どうぞよろしくお願いします|どうぞよろしくお願いいたします|引き続きよろしくお願いします|引き続きよろしくお願いいたします|今後ともよろしくお願いいたします|以上|以上です|ありがとうございます|谢谢|謝謝|此致|敬礼|此致敬礼|祝好|顺祝商祺|감사합니다|고맙습니다`,
}, "|"), "|")...)

// formulaClosings are the closings that are a formula whatever their
// punctuation: Japanese and Chinese letters end with them ("よろしく
// お願いします。") where a Western one ends with "Best regards,", so one
// alone at the end is not text even without a comma.
var formulaClosings = setOf("よろしくお願いします", "よろしくお願いいたします", "よろしくお願い致します",
	"宜しくお願いします", "宜しくお願いいたします", "宜しくお願い致します", "どうぞよろしくお願いします",
	"どうぞよろしくお願いいたします", "引き続きよろしくお願いします", "引き続きよろしくお願いいたします",
	"今後ともよろしくお願いいたします", "以上", "以上です", "此致", "此致敬礼")

// valediction reports whether a line is only a closing: "Best regards,",
// "Cheers 🎉", "Mit freundlichen Grüßen".
func valediction(t string) bool {
	_, ok := closingKey(t)
	return ok
}

// closingKey returns a line's words, lower-cased and trimmed of what is not
// a letter at both ends, and whether they are a closing.
func closingKey(t string) (string, bool) {
	// No closing has more than four words: most lines of text are told
	// apart by their length or their spaces, before any allocation.
	if len(t) > 80 || strings.Count(t, " ") > 6 {
		return "", false
	}
	t = strings.TrimRightFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	t = strings.TrimLeftFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	key := strings.Join(strings.Fields(strings.ToLower(t)), " ")
	return key, valedictions[key]
}

// nameLine reports whether a line can be the name under a closing: a few
// words, not a sentence, not starting in lower case unless it is one word.
// A last word that is an initial, a degree or a company form ("Sam R.",
// "Acme Inc.") does not make it a sentence.
func nameLine(t string) bool {
	if t == "" || utf8.RuneCountInString(t) > 40 || isPostscript(t) {
		return false
	}
	words := strings.Fields(t)
	if len(words) > 4 || strings.ContainsAny(t[len(t)-1:], "?:;") {
		return false
	}
	if sentenceEnd.MatchString(t) && len(words) > 1 && !strings.HasSuffix(t, "!") && !initialOrForm(words[len(words)-1]) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	return !unicode.IsLower(r) || len(words) == 1
}

// signatureLine reports whether a line can belong to a signature block:
// short (a name, a title, a phone number, an address) or one long token (a
// link), and not a sentence. A company's registration line ("Sitz der
// Gesellschaft: ... | Registergericht: ... HRB 123456"), which the law
// makes long, is one too, and so is a line ending in a company form
// ("Responsabile Operazioni | Rossi & Bianchi S.p.A.").
func signatureLine(t string) bool {
	if isPostscript(t) {
		return false
	}
	words := strings.Fields(t)
	if len(words) == 1 {
		return true
	}
	if utf8.RuneCountInString(t) > 72 {
		return registrationLine(t)
	}
	if len(words) >= 6 && sentenceEnd.MatchString(t) && (!companyEnd(words[len(words)-1]) || proseWords(words) >= 3) {
		return registrationLine(t)
	}
	return !strings.HasSuffix(t, "?")
}

// proseWords counts the words of four letters or more that begin in lower
// case: a sentence has several ("We will close the deal with Acme Inc."),
// a title or a company's line few ("Head of People, Acme Inc.").
func proseWords(words []string) int {
	n := 0
	for _, w := range words {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsLower(r) && utf8.RuneCountInString(w) >= 4 {
			n++
		}
	}
	return n
}

// isPostscript reports whether a line opens a postscript ("P.S.", "PS:"),
// which is text the sender wrote even under a signature.
func isPostscript(t string) bool {
	if len(t) < 2 || (t[0] != 'P' && t[0] != 'p') {
		return false
	}
	u := strings.ToUpper(t[:min(len(t), 6)])
	for _, p := range []string{"P.P.S", "P.S", "PPS", "PS:", "PS "} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return u == "PS"
}

// companyForms are company forms, degrees and titles that end a signature
// line with a dot, lower-cased: "Inc.", "Sp. z o.o.", "Ph.D.".
var companyForms = setOf("inc.", "ltd.", "co.", "corp.", "llc.", "l.l.c.", "plc.", "llp.", "lp.", "pty.",
	"ltda.", "gmbh.", "ag.", "kg.", "e.v.", "e.k.", "ug.", "mbh.", "se.", "sa.", "s.a.", "s.a.s.",
	"sas.", "sarl.", "s.a.r.l.", "s.à.r.l.", "s.r.l.", "srl.", "s.p.a.", "spa.", "s.l.", "s.l.u.",
	"s.c.", "b.v.", "bv.", "n.v.", "nv.", "v.o.f.", "o.o.", "s.r.o.", "d.o.o.", "a.s.", "a/s.",
	"ab.", "oy.", "oyj.", "asa.", "aps.", "kft.", "zrt.", "bhd.", "pte.", "pvt.", "k.k.", "sp.j.",
	"sp.k.", "s.k.a.", "a.ş.", "şti.", "jr.", "sr.", "phd.", "ph.d.", "mba.", "md.", "m.d.", "esq.",
	"dipl.-ing.", "mag.", "msc.", "m.sc.", "bsc.", "b.sc.", "m.a.", "b.a.")

// initialOrForm reports whether the last word of a name line is an initial
// ("R.") or one of companyForms.
func initialOrForm(w string) bool {
	if r, size := utf8.DecodeRuneInString(w); unicode.IsUpper(r) && w[size:] == "." {
		return true
	}
	return companyForms[strings.ToLower(w)]
}

// companyEnd reports whether the last word of a signature line is one of
// companyForms, or an abbreviation with capitals and inner dots
// ("S.p.A.", "B.V."): such a line is a company's name, not a sentence.
func companyEnd(w string) bool {
	if initialOrForm(w) {
		return true
	}
	body, ok := strings.CutSuffix(w, ".")
	if !ok || !strings.Contains(body, ".") || strings.ToLower(body) == body {
		return false
	}
	for _, part := range strings.Split(body, ".") {
		n := utf8.RuneCountInString(part)
		if n == 0 || n > 3 {
			return false
		}
		for _, r := range part {
			if !unicode.IsLetter(r) {
				return false
			}
		}
	}
	return true
}

// registrationCues are the words, lower-cased, of the registration details
// that company law puts under business mail: registered office, register
// court and number, managing directors, tax numbers.
var registrationCues = []string{
	// German, Austrian, Swiss
	"sitz der gesellschaft", "sitz", "registergericht", "handelsregister", "amtsgericht", "hrb", "hra",
	"geschäftsführer", "geschäftsführerin", "geschäftsführung", "vorstand", "aufsichtsrat",
	"aufsichtsratsvorsitzender", "ust-idnr", "ust-id", "ust.-id", "ust-id-nr", "steuernummer",
	"firmenbuch", "firmenbuchnummer", "firmenbuchgericht", "handelsgericht", "uid",
	// English
	"registered office", "registered in", "registered address", "company number", "company no",
	"company registration", "registration number", "registered number", "reg. no", "vat", "vat no",
	"abn", "acn",
	// French, Belgian, Dutch
	"rcs", "siret", "siren", "tva", "capital social", "au capital de", "siège social", "kvk",
	"btw", "kbo", "ondernemingsnummer", "rpr",
	// Italian, Spanish, Portuguese
	"p.iva", "p. iva", "partita iva", "codice fiscale", "c.f", "rea", "cap. soc", "capitale sociale",
	"sede legale", "registro delle imprese", "registro imprese", "cif", "nif", "registro mercantil",
	"domicilio social", "cnpj", "nipc",
	// Polish, Nordic
	"krs", "nip", "regon", "kapitał zakładowy", "sąd rejonowy", "org.nr", "org. nr", "org nr",
	"organisationsnummer", "organisasjonsnummer", "cvr", "y-tunnus", "styrelsens säte",
}

// registrationLine reports whether a line gives a company's registration
// details: two registrationCues, or one and a number in a line that does
// not read as prose ("I registered in the program with 12 people").
func registrationLine(t string) bool {
	if len(t) > 600 {
		return false
	}
	lower := strings.ToLower(t)
	cues := 0
	for _, c := range registrationCues {
		if containsWord(lower, c) {
			cues++
			if cues >= 2 {
				return true
			}
		}
	}
	return cues == 1 && strings.ContainsAny(t, "0123456789") && proseWords(strings.Fields(t)) < 3
}

// containsWord reports whether s contains w where no letter touches it on
// either side, so that "vat" is not found in "private".
func containsWord(s, w string) bool {
	for i := 0; i <= len(s)-len(w); {
		k := strings.Index(s[i:], w)
		if k < 0 {
			return false
		}
		k += i
		before, _ := utf8.DecodeLastRuneInString(s[:k])
		after, _ := utf8.DecodeRuneInString(s[k+len(w):])
		if (k == 0 || !unicode.IsLetter(before)) && (k+len(w) == len(s) || !unicode.IsLetter(after)) {
			return true
		}
		i = k + 1
	}
	return false
}

// phoneNumber matches a phone number, or another long number as a
// signature carries it.
var phoneNumber = regexp.MustCompile(`\d[\d ()./-]{6,}\d`)

// contactCue reports whether a line carries what a signature or list
// footer does: an address, a link, a phone number.
func contactCue(t string) bool {
	if strings.Contains(t, "@") || strings.Contains(t, "http://") || strings.Contains(t, "https://") ||
		strings.Contains(t, "www.") || strings.Contains(t, "mailing list") {
		return true
	}
	return strings.ContainsAny(t, "0123456789") && phoneNumber.MatchString(t)
}

// Signature blocks are at most maxSignature non-blank lines, or
// maxCuedSignature when at least two of them carry an address, a link, a
// phone number or registration details, as the long blocks of company
// signatures do.
const (
	maxSignature     = 8
	maxCuedSignature = 16
)

// cleanTail removes from the end of the kept lines what is not new text:
// rules, a signature block under a rule, a closing with the name under it,
// and a sign-off that is only a name.
func cleanTail(lines []string, snd *sender) []string {
	for range 4 {
		before := len(lines)
		lines = trimRules(lines)
		lines = cutSignatureBlock(lines)
		lines = cutSignOff(lines)
		lines = cutNameSignOff(lines, snd)
		if len(lines) == before {
			break
		}
	}
	return lines
}

// trimRules drops blank lines and separator rules at the end.
func trimRules(lines []string) []string {
	for len(lines) > 0 {
		t := strings.TrimSpace(lines[len(lines)-1])
		if t != "" && !isSeparatorLine(t) {
			break
		}
		lines = lines[:len(lines)-1]
	}
	return lines
}

// tailStart returns the index where the last at most max non-blank lines
// begin.
func tailStart(lines []string, max int) int {
	count := 0
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		count++
		if count > max {
			return i + 1
		}
	}
	return 0
}

// firstText returns the index of the first non-blank line, or len(lines).
func firstText(lines []string) int {
	for j, l := range lines {
		if strings.TrimSpace(l) != "" {
			return j
		}
	}
	return len(lines)
}

// cutSignatureBlock cuts a rule followed, to the end, by short signature
// lines one of which carries an address, link, phone number or
// registration details: "—————\nSarah Johnson\nProduct Manager\n
// sarah@example.com" or a mailing list footer. Short lines under a rule
// without such a cue (a status list) are kept.
func cutSignatureBlock(lines []string) []string {
	start, text := tailStart(lines, maxCuedSignature+1), firstText(lines)
	for i := len(lines) - 1; i >= start; i-- {
		if !isSeparatorLine(strings.TrimSpace(lines[i])) {
			continue
		}
		if ok, cues := signatureTail(lines[i+1:], false); ok && cues > 0 && text < i {
			return lines[:i]
		}
	}
	return lines
}

// signatureTail reports whether lines are only a signature block: short
// signature lines, rules and blank lines, not too many of them for the
// cues they carry. It returns how many lines carry a cue: an address, a
// link, a phone number, registration details, and when domains is set a
// bare domain ("example.com"), which a status line may name too.
func signatureTail(lines []string, domains bool) (ok bool, cues int) {
	count := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || isSeparatorLine(t) {
			continue
		}
		count++
		if count > maxCuedSignature || !signatureLine(t) {
			return false, cues
		}
		if contactCue(t) || (domains && hasDomain(t)) || registrationLine(t) {
			cues++
		}
	}
	return count > 0 && (count <= maxSignature || cues >= 2), cues
}

// hasDomain reports whether a line names a domain ("northwind-traders.com",
// "www.example.co.uk/team"): a word of at least two dot-separated labels,
// the first of two characters or more, the last of two to thirteen
// lower-case letters.
func hasDomain(t string) bool {
	for _, w := range strings.FieldsFunc(t, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("|<>()[],;·•", r)
	}) {
		w = strings.TrimSuffix(w, ".")
		if k := strings.IndexByte(w, '/'); k > 0 {
			w = w[:k]
		}
		labels := strings.Split(w, ".")
		if len(labels) < 2 || len(labels[0]) < 2 || strings.Contains(w, "@") {
			continue
		}
		ok := true
		for _, l := range labels {
			if l == "" || strings.Trim(strings.ToLower(l), "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
				ok = false
				break
			}
		}
		// A top-level domain is written in lower case; "plan.Then" is a
		// missing space.
		last := labels[len(labels)-1]
		if ok && len(last) >= 2 && len(last) <= 13 && strings.Trim(last, "abcdefghijklmnopqrstuvwxyz") == "" {
			return true
		}
	}
	return false
}

// cutSignOff cuts a closing at the end together with the name and short
// signature lines under it ("Best regards,\nJohn\nCEO @ Acme"), or a closing
// left dangling with a comma ("Best,") or a formula closing ("よろしく
// お願いします。"). It keeps a closing that ends a sentence and stands alone
// ("Thanks!"), and any closing followed by text that is not a signature
// ("Thanks,\nP.S. the board moved to Monday.").
func cutSignOff(lines []string) []string {
	start, text := tailStart(lines, maxCuedSignature+1), firstText(lines)
	for i := len(lines) - 1; i >= start; i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" || text >= i {
			continue
		}
		key, ok := closingKey(t)
		if !ok {
			continue
		}
		after := lines[i+1:]
		first := firstLine(after)
		if first == "" {
			if strings.HasSuffix(t, ",") || formulaClosings[key] {
				return lines[:i]
			}
			continue
		}
		if !nameLine(first) {
			continue
		}
		if ok, _ := signatureTail(after, true); ok {
			return lines[:i]
		}
	}
	return lines
}

// textLines returns how many lines are not blank.
func textLines(lines []string) int {
	n := 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// firstLine returns the first non-blank line of lines, trimmed, or "".
func firstLine(lines []string) string {
	for _, l := range lines {
		if s := strings.TrimSpace(l); s != "" {
			return s
		}
	}
	return ""
}

// cutNameSignOff cuts a sign-off that is only a name, at the end or above a
// signature block: the sender's name when it is known ("Sam", "- Sam R.",
// "Thanks, Sam"), or without it a single word that the signature block
// under it repeats as the first word of a full name, in a block that
// carries a link, a domain, an address or a phone number ("Sam\n\nSam Rivera\nVP
// Engineering\nnorthwind-traders.com"). A bare word at the end is kept when
// the sender's name is not known: it cannot be told from a last word of
// text.
func cutNameSignOff(lines []string, snd *sender) []string {
	start, text := tailStart(lines, maxCuedSignature+1), firstText(lines)
	for i := len(lines) - 1; i >= start; i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" || text >= i || utf8.RuneCountInString(t) > 60 {
			continue
		}
		after := lines[i+1:]
		if snd.signs(t) {
			if continuesAbove(lines, i) {
				continue
			}
			if firstLine(after) == "" {
				return lines[:i]
			}
			if ok, _ := signatureTail(after, true); ok {
				return lines[:i]
			}
			continue
		}
		if repeatedName(t, after) && !continuesAbove(lines, i) {
			return lines[:i]
		}
	}
	return lines
}

// repeatedName reports whether t is a single capitalised word that the
// lines after it repeat as a signature block: a full name opening with that
// word, then at least two short signature lines of which one carries a
// link, a domain, an address, a phone number or registration details.
func repeatedName(t string, after []string) bool {
	if strings.ContainsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' }) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(t); !unicode.IsUpper(r) {
		return false
	}
	full := firstLine(after)
	rest, ok := strings.CutPrefix(full, t+" ")
	if !ok || !nameLine(full) || len(strings.Fields(rest)) > 3 {
		return false
	}
	// The rest of a full name is names and initials: "Sam Rivera", "Sam
	// R. Okafor", not "Budget review".
	for _, w := range strings.Fields(rest) {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || strings.ContainsFunc(w, func(r rune) bool {
			return !unicode.IsLetter(r) && !strings.ContainsRune(".-'’", r)
		}) {
			return false
		}
	}
	// A title and a company or a link under the name, at least.
	if textLines(after) < 3 {
		return false
	}
	ok, cues := signatureTail(after, true)
	return ok && cues > 0
}

// continuesAbove reports whether line i may continue the text above it
// rather than sign it: the last line of text above ends with a colon ("The
// one person I need to talk to:\nSam"), or the line right above is long
// and ends without punctuation, as a sentence that a client wrapped ("...
// the reorg with\nSam").
func continuesAbove(lines []string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if t := strings.TrimSpace(lines[j]); t != "" {
			if strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：") {
				return true
			}
			break
		}
	}
	if i == 0 {
		return false
	}
	above := strings.TrimSpace(lines[i-1])
	if utf8.RuneCountInString(above) < 60 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(above)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ','
}

// listItem matches the start of a numbered or bulleted list item.
var listItem = regexp.MustCompile(`^(?:\d{1,3}[.):]|[-*•·–]\s|\[[ xX]?\])`)

func isListItem(t string) bool { return listItem.MatchString(t) }
