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

// valedictions are closings, lower-cased and without trailing punctuation.
// It is built once and only read.
var valedictions = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Split(`regards|best regards|kind regards|warm regards|warmest regards|many regards|kindest regards|with regards|regards to all|best|all the best|best wishes|warm wishes|cheers|thanks|thank you|thanks again|many thanks|thanks so much|thank you so much|thx|ty|sincerely|yours|yours truly|yours sincerely|sincerely yours|respectfully|take care|talk soon|speak soon|cordialement|bien cordialement|très cordialement|bien à vous|bien à toi|amicalement|merci|merci beaucoup|merci d'avance|bonne journée|salutations|sincères salutations|bises|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|freundliche grüsse|viele grüße|viele grüsse|beste grüße|beste grüsse|liebe grüße|liebe grüsse|herzliche grüße|schöne grüße|lg|vg|mfg|gruß|grüße|danke|vielen dank|saludos|un saludo|saludos cordiales|un cordial saludo|atentamente|gracias|muchas gracias|cordiali saluti|saluti|distinti saluti|un saluto|grazie|grazie mille|atenciosamente|abraços|abraço|obrigado|obrigada|cumprimentos|melhores cumprimentos|met vriendelijke groet|met vriendelijke groeten|vriendelijke groet|vriendelijke groeten|groeten|groet|hartelijke groet|bedankt|med vänliga hälsningar|vänliga hälsningar|hälsningar|mvh|tack|med venlig hilsen|venlig hilsen|med vennlig hilsen|vennlig hilsen|hilsen|ystävällisin terveisin|terveisin|pozdrawiam|z poważaniem|pozdrowienia|dziękuję|с уважением|спасибо|всего доброго|всего наилучшего|よろしくお願いします|よろしくお願いいたします|宜しくお願いします|宜しくお願い致します|以上|谢谢|此致|敬礼|祝好|감사합니다`, "|") {
		m[v] = true
	}
	return m
}()

// valediction reports whether a line is only a closing: "Best regards,",
// "Cheers 🎉", "Mit freundlichen Grüßen".
func valediction(t string) bool {
	if len(t) > 80 {
		return false
	}
	t = strings.TrimRightFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	t = strings.TrimLeftFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	return valedictions[strings.Join(strings.Fields(strings.ToLower(t)), " ")]
}

// nameLine reports whether a line can be the name under a closing: a few
// words, not a sentence, not starting in lower case unless it is one word.
func nameLine(t string) bool {
	if t == "" || utf8.RuneCountInString(t) > 40 {
		return false
	}
	words := strings.Fields(t)
	if len(words) > 4 || strings.ContainsAny(t[len(t)-1:], "?:;") {
		return false
	}
	if sentenceEnd.MatchString(t) && len(words) > 1 && !strings.HasSuffix(t, "!") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	return !unicode.IsLower(r) || len(words) == 1
}

// signatureLine reports whether a line can belong to a signature block:
// short (a name, a title, a phone number, an address) or one long token (a
// link), and not a sentence.
func signatureLine(t string) bool {
	words := strings.Fields(t)
	if len(words) == 1 {
		return true
	}
	if utf8.RuneCountInString(t) > 72 {
		return false
	}
	if len(words) >= 6 && sentenceEnd.MatchString(t) {
		return false
	}
	return !strings.HasSuffix(t, "?")
}

// contactCue matches what a signature or list footer carries: an address,
// a link, a phone number.
var contactCue = regexp.MustCompile(`@|https?://|www\.|\+?\d[\d ()./-]{6,}\d|mailing list`)

// cleanTail removes from the end of the kept lines what is not new text:
// rules, a signature block under a rule, a closing with the name under it.
func cleanTail(lines []string) []string {
	for range 4 {
		before := len(lines)
		lines = trimRules(lines)
		lines = cutSignatureBlock(lines)
		lines = cutSignOff(lines)
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

// cutSignatureBlock cuts a rule followed, to the end, by at most eight short
// signature lines one of which carries an address, link or phone number:
// "—————\nSarah Johnson\nProduct Manager\nsarah@example.com" or a mailing
// list footer. Short lines under a rule without such a cue (a status list)
// are kept.
func cutSignatureBlock(lines []string) []string {
	start, text := tailStart(lines, 9), firstText(lines)
	for i := len(lines) - 1; i >= start; i-- {
		if !isSeparatorLine(strings.TrimSpace(lines[i])) {
			continue
		}
		if ok, _ := signatureTail(lines[i+1:]); ok && text < i {
			return lines[:i]
		}
	}
	return lines
}

// signatureTail reports whether lines are a signature block with a contact
// cue, and how many non-blank lines it has.
func signatureTail(lines []string) (bool, int) {
	count, cue := 0, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		count++
		if count > 8 || !signatureLine(t) {
			return false, count
		}
		if contactCue.MatchString(t) {
			cue = true
		}
	}
	return cue && count > 0, count
}

// cutSignOff cuts a closing at the end together with the name and short
// signature lines under it ("Best regards,\nJohn\nCEO @ Acme"), or a closing
// left dangling with a comma ("Best,"). It keeps a closing that ends a
// sentence and stands alone ("Thanks!"), and any closing followed by text
// that is not a signature ("Thanks,\nP.S. the board moved to Monday.").
func cutSignOff(lines []string) []string {
	start, text := tailStart(lines, 9), firstText(lines)
	for i := len(lines) - 1; i >= start; i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" || text >= i || !valediction(t) {
			continue
		}
		after := lines[i+1:]
		first := ""
		for _, l := range after {
			if s := strings.TrimSpace(l); s != "" {
				first = s
				break
			}
		}
		if first == "" {
			if strings.HasSuffix(t, ",") {
				return lines[:i]
			}
			continue
		}
		if !nameLine(first) {
			continue
		}
		if ok := signOffTail(after); ok {
			return lines[:i]
		}
	}
	return lines
}

// signOffTail reports whether the lines under a closing are only a short
// signature block.
func signOffTail(lines []string) bool {
	count := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || isSeparatorLine(t) {
			continue
		}
		count++
		if count > 8 || !signatureLine(t) {
			return false
		}
	}
	return count > 0
}

// listItem matches the start of a numbered or bulleted list item.
var listItem = regexp.MustCompile(`^(?:\d{1,3}[.):]|[-*•·–]\s|\[[ xX]?\])`)

func isListItem(t string) bool { return listItem.MatchString(t) }
