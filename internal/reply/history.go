package reply

import (
	"math/bits"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// field is the kind of a header field in a quoted header block.
type field int

const (
	fieldNone field = iota
	fieldFrom
	fieldDate
	fieldTo
	fieldCc
	fieldSubject
)

// fieldNames maps the lower-cased header field names that mail clients
// write above quoted history, in the common languages, to their kind.
var fieldNames = map[string]field{
	// From
	"from": fieldFrom, "de": fieldFrom, "von": fieldFrom, "van": fieldFrom, "da": fieldFrom,
	"från": fieldFrom, "fra": fieldFrom, "od": fieldFrom, "от": fieldFrom, "від": fieldFrom,
	"lähettäjä": fieldFrom, "feladó": fieldFrom, "kimden": fieldFrom, "afzender": fieldFrom,
	"remetente": fieldFrom, "mittente": fieldFrom, "nadawca": fieldFrom, "odesílatel": fieldFrom,
	"avsändare": fieldFrom, "afsender": fieldFrom, "发件人": fieldFrom, "寄件者": fieldFrom,
	"差出人": fieldFrom, "보낸 사람": fieldFrom, "van afzender": fieldFrom,
	// Sent / Date
	"sent": fieldDate, "date": fieldDate, "envoyé": fieldDate, "envoyé le": fieldDate,
	"gesendet": fieldDate, "datum": fieldDate, "enviado": fieldDate, "enviado el": fieldDate,
	"enviada": fieldDate, "fecha": fieldDate, "inviato": fieldDate, "inviato il": fieldDate,
	"data": fieldDate, "verzonden": fieldDate, "verzonden op": fieldDate, "skickat": fieldDate,
	"sendt": fieldDate, "dato": fieldDate, "wysłano": fieldDate, "wysłane": fieldDate,
	"отправлено": fieldDate, "дата": fieldDate, "надіслано": fieldDate, "lähetetty": fieldDate,
	"päivämäärä": fieldDate, "elküldve": fieldDate, "dátum": fieldDate, "gönderildi": fieldDate,
	"tarih": fieldDate, "odesláno": fieldDate, "发送时间": fieldDate, "日期": fieldDate,
	"傳送時間": fieldDate, "送信日時": fieldDate, "日付": fieldDate, "보낸 날짜": fieldDate,
	"message du": fieldDate,
	// To
	"to": fieldTo, "à": fieldTo, "a": fieldTo, "an": fieldTo, "aan": fieldTo, "para": fieldTo,
	"till": fieldTo, "til": fieldTo, "do": fieldTo, "кому": fieldTo, "vastaanottaja": fieldTo,
	"címzett": fieldTo, "kime": fieldTo, "komu": fieldTo, "destinatario": fieldTo,
	"收件人": fieldTo, "收件者": fieldTo, "宛先": fieldTo, "받는 사람": fieldTo,
	// Cc
	"cc": fieldCc, "copie à": fieldCc, "copie": fieldCc, "kopie": fieldCc, "kopia": fieldCc,
	"копия": fieldCc, "kopio": fieldCc, "抄送": fieldCc, "副本": fieldCc, "참조": fieldCc,
	// Subject
	"subject": fieldSubject, "objet": fieldSubject, "betreff": fieldSubject, "asunto": fieldSubject,
	"oggetto": fieldSubject, "onderwerp": fieldSubject, "assunto": fieldSubject, "ämne": fieldSubject,
	"emne": fieldSubject, "temat": fieldSubject, "тема": fieldSubject, "aihe": fieldSubject,
	"tárgy": fieldSubject, "konu": fieldSubject, "předmět": fieldSubject, "sujet": fieldSubject,
	"主题": fieldSubject, "主旨": fieldSubject, "件名": fieldSubject, "제목": fieldSubject,
}

var (
	// fieldStart matches a header field name at the start of a line, as
	// Outlook ("From: "), French Outlook ("De : "), Gmail's plain-text
	// rendering of bold ("*From:*") and indented webmails write it.
	fieldStart = regexp.MustCompile(`^\s*\*{0,2}\s*([\pL][\pL ]{0,20}?)\s*\*{0,2}\s*[:：]`)

	// fieldInline finds further unambiguous fields on the same line, as in
	// "À : x@y.be Objet : Hello" or a one-line "From: a Sent: b To: c".
	fieldInline = regexp.MustCompile(`(?i)\s\*?(sent|date|to|cc|subject|envoyé|objet|gesendet|betreff|enviado|asunto|inviato|oggetto|verzonden|onderwerp|skickat|ämne|wysłano|temat|отправлено|кому|тема)\*?\s?[:：]\s`)

	// ruledHeadings are the headings that clients draw between rules to open
	// quoted or forwarded history: "-----Original Message-----" and its
	// translations, Gmail's "---------- Forwarded message ---------". A
	// reply whose quote is a forward ends there too.
	ruledHeadings = setOf(
		"original message", "original email", "original e-mail", "original appointment", "message d'origine", "message original",
		"ursprüngliche nachricht", "originalnachricht", "mensaje original", "messaggio originale",
		"oorspronkelijk bericht", "origineel bericht", "oprindelig besked", "oprindelig meddelelse",
		"opprinnelig melding", "ursprungligt meddelande", "originalmeddelande",
		"wiadomość oryginalna", "oryginalna wiadomość", "исходное сообщение",
		"пересылаемое сообщение", "alkuperäinen viesti", "mensagem original", "původní zpráva",
		"eredeti üzenet", "orijinal mesaj", "原始邮件", "原始郵件", "元のメッセージ", "원본 메시지", "forwarded message",
		"weitergeleitete nachricht", "message transféré", "mensaje reenviado", "messaggio inoltrato",
		"mensagem encaminhada", "doorgestuurd bericht", "vidarebefordrat meddelande",
		"videresendt melding", "videresendt besked", "wiadomość przekazana", "välitetty viesti",
		"転送メッセージ", "转发的邮件",
	)

	// bareHeadings are headings of one plain word that Foxmail and QQ
	// Mail draw between long rules ("------------------ Original
	// ------------------"); a short rule around such a word ("-- original
	// --") may be text.
	bareHeadings = setOf("original", "原邮件", "原郵件", "回复的原邮件", "回覆的原郵件")

	// forwardHeadings open a forward without rules, as Apple Mail writes
	// "Begin forwarded message:".
	forwardHeadings = setOf(
		"begin forwarded message", "début du message réexpédié", "début du message transféré",
		"anfang der weitergeleiteten nachricht", "inicio del mensaje reenviado",
		"comienzo del mensaje reenviado", "inizio messaggio inoltrato",
		"início da mensagem reencaminhada", "início da mensagem encaminhada",
		"begin doorgestuurd bericht", "vidarebefordrat mejl", "videresendt meddelelse",
		"początek przekazywanej wiadomości", "начало переадресованного сообщения", "転送されたメッセージ",
	)

	// disclaimerMarkers open a notice by naming it; one legal word in the
	// paragraph is enough for these.
	disclaimerMarkers = []string{"confidentiality notice", "confidentiality", "confidential:",
		"confidential -", "privileged and confidential", "privileged & confidential",
		"disclaimer", "legal notice", "legal disclaimer", "please consider the environment",
		"think before you print", "save a tree", "avis de confidentialité", "vertraulichkeitshinweis",
		"aviso de confidencialidad", "aviso legal", "avvertenza", "clausola di riservatezza"}

	// disclaimerOpenings open notices that do not name themselves; the
	// paragraph needs two different legal words, which a leader writing
	// "This email is confidential: I am thinking of leaving." does not use.
	disclaimerOpenings = []string{"this e-mail", "this email", "this message", "this communication",
		"this transmission", "the information contained in this", "the information in this",
		"the content of this", "the contents of this", "if you are not the intended",
		"if you have received this", "ce message", "ce courriel", "ce mail", "ce e-mail",
		"les informations contenues", "le informazioni contenute", "questo messaggio",
		"diese e-mail", "diese email", "diese nachricht", "der inhalt dieser", "este mensaje",
		"este correo", "la información contenida", "esta mensagem", "as informações contidas",
		"dit e-mail", "dit email", "dit bericht", "de informatie in dit", "denna e-post",
		"denna epost", "detta meddelande", "ta wiadomość", "niniejsza wiadomość", "это сообщение",
		"это письмо", "данное сообщение", "данное письмо", "информация, содержащаяся"}

	// legalWords must appear, lower-cased, in the paragraph of a
	// disclaimer, so that a sentence such as "This message is for the
	// board." is not taken for one.
	legalWords = []string{"confiden", "privileg", "intended for", "intended recipient",
		"intended only", "intended solely", "addressee", "destinataire", "destinatario",
		"destinatário", "empfänger", "vertraulich", "riservat", "poufn", "adresat", "конфиденц",
		"адресат", "geadresseerde", "vertrouwelijk", "mottagare", "sekretess", "unauthorized",
		"unauthorised", "prohibited", "environment", "umwelt", "environnement", "ambiente",
		"before printing", "avant d'imprimer", "vor dem ausdrucken"}
)

// headerBlock reports whether a block of quoted header fields starts at
// line i: a field line, and in the next few lines a From field and at least
// two other kinds (date, to, cc, subject).
func (s *scanner) headerBlock(i int) bool {
	if f, _, _ := s.field(i); f == fieldNone {
		return false
	}
	var seen fieldSet
	misses := 0
	for j := i; j < len(s.lines) && j < i+10; j++ {
		if s.lines[j].blank {
			continue
		}
		f, plausible, inline := s.field(j)
		if f == fieldNone || !plausible {
			// A wrapped value continues the field above it; two
			// lines in a row that are not fields end the block.
			misses++
			if misses > 1 {
				break
			}
			continue
		}
		misses = 0
		seen |= 1<<f | inline
		if seen&(1<<fieldFrom) != 0 && seen.count() >= 3 {
			return true
		}
	}
	return false
}

// fieldSet is a set of field kinds, one bit each.
type fieldSet uint8

func (fs fieldSet) count() int {
	n := 0
	for f := fieldFrom; f <= fieldSubject; f++ {
		if fs&(1<<f) != 0 {
			n++
		}
	}
	return n
}

// field returns the kind of header field line i starts with, whether its
// value is plausible, and the further fields written on the same line,
// computing them once per line: header blocks are
// looked for from every line, over a window of the lines that follow.
func (s *scanner) field(i int) (f field, plausible bool, inline fieldSet) {
	ln := &s.lines[i]
	if !ln.fieldDone {
		ln.fieldDone = true
		f, v := fieldAt(ln.trim)
		ln.fieldKind, ln.fieldOK = f, f != fieldNone && plausibleValue(f, v)
		if ln.fieldOK {
			for _, m := range fieldInline.FindAllStringSubmatch(v, 8) {
				if f := fieldNames[strings.ToLower(m[1])]; f != fieldNone {
					ln.fieldInline |= 1 << f
				}
			}
		}
	}
	return ln.fieldKind, ln.fieldOK, ln.fieldInline
}

// fieldAt returns the kind of header field the line starts with, and the
// rest of the line.
func fieldAt(t string) (field, string) {
	if len(t) > maxPatternLine || t == "" {
		return fieldNone, ""
	}
	// Field names are short: the colon comes early or not at all.
	head := t
	if len(head) > 48 {
		head = head[:48]
	}
	if strings.IndexByte(head, ':') < 0 && !strings.Contains(head, "：") {
		return fieldNone, ""
	}
	t = normalizeSpace(t)
	if !fieldNameBefore(t) {
		return fieldNone, ""
	}
	m := fieldStart.FindStringSubmatchIndex(t)
	if m == nil {
		return fieldNone, ""
	}
	name := strings.Join(strings.Fields(strings.ToLower(t[m[2]:m[3]])), " ")
	return fieldNames[name], strings.Trim(t[m[1]:], "* \t")
}

// fieldNameBefore reports whether all before the first colon of t could be
// what fieldStart allows there: letters, white space and asterisks. Most
// lines with a colon are told apart this way, without the pattern.
func fieldNameBefore(t string) bool {
	c := strings.IndexAny(t, ":：")
	if c < 0 {
		return false
	}
	for _, r := range t[:c] {
		switch {
		case r == '*', r == ' ', r == '\t', r == '\n', r == '\f', r == '\r', unicode.IsLetter(r):
		default:
			return false
		}
	}
	return true
}

// plausibleValue reports whether a field's value looks like what clients
// write there, so that prose such as "From: the board's point of view, we
// are late." or "Date: we present on Thursday." is not taken for headers.
func plausibleValue(f field, v string) bool {
	switch f {
	case fieldFrom:
		if strings.Contains(v, "@") {
			return true
		}
		return len(strings.Fields(v)) <= 6 && !sentenceEnd.MatchString(v)
	case fieldDate:
		return strings.ContainsAny(v, "0123456789")
	}
	return true
}

// isHistorySeparator reports whether a line opens quoted or forwarded history.
func isHistorySeparator(t string) bool {
	if len(t) > 200 || t == "" {
		return false
	}
	// A line that opens with a letter draws no rule, so only a forward
	// heading can match it, and only when its first word is one's.
	if r, _ := utf8.DecodeRuneInString(t); unicode.IsLetter(r) && !strings.Contains(t, "\u200b") {
		first := t
		if i := strings.IndexFunc(t, unicode.IsSpace); i >= 0 {
			first = t[:i]
		}
		if !forwardFirstWords[strings.TrimRight(strings.ToLower(first), ":： ")] {
			return false
		}
	}
	t = strings.ToLower(normalizeSpace(t))
	rule := t[:len(t)-len(strings.TrimLeft(t, "-_=* "))]
	if marks := len(rule) - strings.Count(rule, " "); marks >= 2 {
		heading := strings.Join(strings.Fields(strings.Trim(t, "-_=* ")), " ")
		return ruledHeadings[heading] || marks >= 6 && bareHeadings[heading]
	}
	return forwardHeadings[strings.Join(strings.Fields(strings.TrimRight(t, ":： ")), " ")]
}

// forwardFirstWords are the first words of forwardHeadings.
var forwardFirstWords = func() map[string]bool {
	m := map[string]bool{}
	for h := range forwardHeadings {
		m[strings.Fields(h)[0]] = true
	}
	return m
}()

// setOf returns a set of the given strings.
func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// isSignatureDelimiter reports whether a line is a signature delimiter:
// "-- " (RFC 3676), "--", or a lone em or en dash that a client turned
// "--" into.
func isSignatureDelimiter(t string) bool {
	switch t {
	case "--", "—", "–", "-- --":
		return true
	}
	return false
}

// isSeparatorLine reports whether a line is only a rule drawn with dashes,
// underscores, equals signs and the like, as clients put above history and
// people put above signatures.
func isSeparatorLine(t string) bool {
	if len(t) < 2 || len(t) > 200 {
		return false
	}
	for _, r := range t {
		switch r {
		case '-', '_', '=', '*', '~', '—', '–', '•', '·', ' ':
		default:
			return false
		}
	}
	return true
}

// disclaimer reports whether a legal notice or client boilerplate starts at
// line i: its first line opens like one and its paragraph uses legal words.
func (s *scanner) disclaimer(i int) bool {
	t := s.lines[i].trim
	if len(t) > maxPatternLine {
		return false
	}
	head := strings.TrimLeft(t, "*_ ")
	if len(head) > 64 {
		head = head[:64]
	}
	if r, _ := utf8.DecodeRuneInString(head); r != '\u200b' && !disclaimerFirst[unicode.ToLower(r)] {
		return false
	}
	head = strings.ToLower(normalizeSpace(head))
	need := 0
	if hasAnyPrefix(head, disclaimerMarkers) {
		need = 1
	} else if hasAnyPrefix(head, disclaimerOpenings) {
		need = 2
	} else {
		return false
	}
	var words uint64
	for j := i; j < len(s.lines) && j < i+12 && !s.lines[j].blank; j++ {
		words |= s.legal(j)
	}
	return bits.OnesCount64(words) >= need
}

// disclaimerFirst are the first letters of disclaimerMarkers and
// disclaimerOpenings.
var disclaimerFirst = func() map[rune]bool {
	m := map[rune]bool{}
	for _, p := range append(append([]string{}, disclaimerMarkers...), disclaimerOpenings...) {
		r, _ := utf8.DecodeRuneInString(p)
		m[r] = true
	}
	return m
}()

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// legal returns the set of legalWords that line i uses, one bit each,
// computing it once per line.
func (s *scanner) legal(i int) uint64 {
	ln := &s.lines[i]
	if ln.legalDone || len(ln.trim) > maxPatternLine {
		return ln.legalWords
	}
	ln.legalDone = true
	lower := strings.ToLower(ln.trim)
	for k, w := range legalWords {
		if strings.Contains(lower, w) {
			ln.legalWords |= 1 << k
		}
	}
	return ln.legalWords
}
