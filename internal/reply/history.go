package reply

import (
	"regexp"
	"strings"
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

	// historySeparator matches the lines that open quoted or forwarded
	// history: "-----Original Message-----" and its translations, Gmail's
	// "---------- Forwarded message ---------", Apple Mail's "Begin
	// forwarded message:". A reply whose quote is a forward ends there too.
	historySeparator = regexp.MustCompile(`(?i)^[-_=*\s]{2,}\s*(?:original message|original e-?mail|message d'origine|message original|ursprüngliche nachricht|originalnachricht|mensaje original|messaggio originale|oorspronkelijk bericht|origineel bericht|oprindelig besked|oprindelig meddelelse|opprinnelig melding|ursprungligt meddelande|originalmeddelande|wiadomość oryginalna|oryginalna wiadomość|исходное сообщение|пересылаемое сообщение|alkuperäinen viesti|mensagem original|původní zpráva|eredeti üzenet|orijinal mesaj|原始邮件|原始郵件|元のメッセージ|원본 메시지|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|mensagem encaminhada|doorgestuurd bericht|vidarebefordrat meddelande|videresendt melding|videresendt besked|wiadomość przekazana|välitetty viesti|転送メッセージ|转发的邮件)\s*[-_=*\s]*$` +
		`|^(?i:begin forwarded message|début du message réexpédié|début du message transféré|anfang der weitergeleiteten nachricht|inicio del mensaje reenviado|comienzo del mensaje reenviado|inizio messaggio inoltrato|início da mensagem reencaminhada|início da mensagem encaminhada|begin doorgestuurd bericht|vidarebefordrat mejl|videresendt meddelelse|początek przekazywanej wiadomości|начало переадресованного сообщения|転送されたメッセージ)\s*[:：]?$`)

	// forwardWords are the first words of the separators without a rule.
	forwardWords = map[string]bool{"begin": true, "début": true, "anfang": true, "inicio": true,
		"comienzo": true, "inizio": true, "início": true, "vidarebefordrat": true,
		"videresendt": true, "początek": true, "начало": true, "転送されたメッセージ": true}

	// disclaimerWords are the first words of disclaimerStart's phrases.
	disclaimerWords = map[string]bool{"confidentiality": true, "confidential": true,
		"privileged": true, "legal": true, "important": true, "security": true, "notice": true,
		"disclaimer": true, "warning": true, "this": true, "the": true, "if": true, "please": true,
		"think": true, "save": true, "ce": true, "les": true, "le": true, "questo": true,
		"diese": true, "der": true, "este": true, "la": true, "esta": true, "as": true, "dit": true,
		"de": true, "denna": true, "detta": true, "ta": true, "niniejsza": true, "это": true,
		"данное": true, "информация": true, "notice of": true}

	// disclaimerStart matches how legal notices and client boilerplate at
	// the end of a message begin.
	disclaimerStart = regexp.MustCompile(`(?i)^(?:\*{0,2}(?:confidentiality|confidential|privileged|legal|important|security)?\s*(?:notice|disclaimer|notice of confidentiality|warning)\b|confidential\b|this (?:e-?mail|message|communication|transmission)\b|the (?:information|content|contents) (?:contained )?(?:in|of) this (?:e-?mail|message|communication)|if you (?:are not|have received this)|please consider the environment|think before you print|save a tree|ce (?:message|courriel|mail|e-mail)\b|les informations contenues|le informazioni contenute|questo messaggio|diese (?:e-?mail|nachricht)\b|der inhalt dieser|este (?:mensaje|correo)\b|la información contenida|esta mensagem|as informações contidas|dit (?:e-?mail|bericht)|de informatie in dit|denna e-?post|detta meddelande|ta wiadomość|niniejsza wiadomość|это (?:сообщение|письмо)|данное (?:сообщение|письмо)|информация,? содержащаяся)`)

	// legalWord must appear in the paragraph of a disclaimer, so that a
	// sentence such as "This message is for the board." is not taken for one.
	legalWord = regexp.MustCompile(`(?i)confiden|privileg|intended (?:only |solely )?(?:for|recipient)|addressee|destinataire|destinatario|destinatário|empfänger|vertraulich|riservat|poufn|adresat|конфиденц|адресат|geadresseerde|vertrouwelijk|mottagare|sekretess|unauthori[sz]ed|prohibited|environment|umwelt|environnement|ambiente|before printing|avant d'imprimer|vor dem ausdrucken`)
)

// headerBlock reports whether a block of quoted header fields starts at
// line i: a field line, and in the next few lines a From field and at least
// two other kinds (date, to, cc, subject).
func (s *scanner) headerBlock(i int) bool {
	if f, _ := fieldAt(s.lines[i].trim); f == fieldNone {
		return false
	}
	seen := map[field]bool{}
	misses := 0
	for j := i; j < len(s.lines) && j < i+10; j++ {
		ln := s.lines[j]
		if ln.blank {
			continue
		}
		f, value := fieldAt(ln.trim)
		if f == fieldNone || !plausibleValue(f, value) {
			// A wrapped value continues the field above it; two
			// lines in a row that are not fields end the block.
			misses++
			if misses > 1 {
				break
			}
			continue
		}
		misses = 0
		seen[f] = true
		if len(ln.trim) <= maxPatternLine {
			for _, m := range fieldInline.FindAllStringSubmatch(normalizeSpace(ln.trim), 8) {
				if f := fieldNames[strings.ToLower(m[1])]; f != fieldNone {
					seen[f] = true
				}
			}
		}
		if seen[fieldFrom] && len(seen) >= 3 {
			return true
		}
	}
	return false
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
	m := fieldStart.FindStringSubmatchIndex(t)
	if m == nil {
		return fieldNone, ""
	}
	name := strings.Join(strings.Fields(strings.ToLower(t[m[2]:m[3]])), " ")
	return fieldNames[name], strings.Trim(t[m[1]:], "* \t")
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
	// Separators open with a rule of at least two marks ("- item" is a
	// bullet), or with one of a few words; anything else is skipped before
	// the pattern, which is on every line's path.
	rule := t[:len(t)-len(strings.TrimLeft(t, "-_=* "))]
	if marks := len(rule) - strings.Count(rule, " "); marks < 2 {
		first, _, _ := strings.Cut(t, " ")
		if len(t) > 80 || !forwardWords[strings.ToLower(first)] {
			return false
		}
	}
	return historySeparator.MatchString(normalizeSpace(t))
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
	first, _, _ := strings.Cut(strings.TrimLeft(t, "*"), " ")
	if !disclaimerWords[strings.TrimRight(strings.ToLower(first), ":.,")] {
		return false
	}
	if !disclaimerStart.MatchString(normalizeSpace(t)) {
		return false
	}
	for j := i; j < len(s.lines) && j < i+12; j++ {
		ln := s.lines[j]
		if ln.blank {
			break
		}
		if len(ln.trim) <= maxPatternLine && legalWord.MatchString(ln.trim) {
			return true
		}
	}
	return false
}
