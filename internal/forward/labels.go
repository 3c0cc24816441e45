package forward

import "strings"

// field is a header field that a client prints in a forwarded header block.
type field uint8

const (
	fieldNone field = iota
	fieldFrom
	fieldTo
	fieldCc
	fieldBcc
	fieldDate
	fieldSubject
	fieldOther // known but not kept: Reply-To, Importance, Attachments...
)

// labelSet lists, for one field and one language, the labels clients print.
type labelSet struct {
	field field
	lang  string
	names []string
}

// headerLabels is the vocabulary of forwarded header blocks. The language tag
// is a hint for reading dates (Croatian "listopad" is October, Polish and
// Czech "listopad" is November); "" marks labels shared by many languages.
var headerLabels = []labelSet{
	{fieldFrom, "en", []string{"From", "Sender"}},
	{fieldTo, "en", []string{"To", "Recipient", "Recipients"}},
	{fieldCc, "", []string{"Cc", "CC"}},
	{fieldBcc, "", []string{"Bcc", "BCC"}},
	{fieldDate, "", []string{"Date"}},
	{fieldDate, "en", []string{"Sent", "Sent Date"}},
	{fieldSubject, "en", []string{"Subject"}},
	{fieldOther, "en", []string{"Reply-To", "Reply To", "Importance", "Priority", "Attachments", "Sensitivity", "Resent-From", "Message-ID", "Message-Id"}},

	{fieldFrom, "fr", []string{"De", "Expéditeur"}},
	{fieldTo, "fr", []string{"À", "A", "Pour", "Destinataire", "Destinataires"}},
	{fieldCc, "fr", []string{"Copie à", "Copie", "Cc à"}},
	{fieldBcc, "fr", []string{"Cci", "Copie cachée à"}},
	{fieldDate, "fr", []string{"Envoyé", "Date d'envoi"}},
	{fieldSubject, "fr", []string{"Objet", "Sujet"}},
	{fieldOther, "fr", []string{"Répondre à", "Importance", "Pièces jointes"}},

	{fieldFrom, "de", []string{"Von", "Absender"}},
	{fieldTo, "de", []string{"An", "Empfänger"}},
	{fieldCc, "de", []string{"Kopie", "Kopie (CC)", "Kopie (Cc)"}},
	{fieldBcc, "de", []string{"Blindkopie", "Blindkopie (BCC)"}},
	{fieldDate, "de", []string{"Datum", "Gesendet", "Gesendet am"}},
	{fieldSubject, "de", []string{"Betreff"}},
	{fieldOther, "de", []string{"Antwort an", "Wichtigkeit", "Anlagen"}},

	{fieldFrom, "es", []string{"De", "Remitente"}},
	{fieldTo, "es", []string{"Para", "A", "Destinatario", "Destinatarios"}},
	{fieldCc, "es", []string{"CC", "Cc", "Copia"}},
	{fieldBcc, "es", []string{"CCO", "Cco"}},
	{fieldDate, "es", []string{"Fecha", "Enviado", "Enviado el"}},
	{fieldSubject, "es", []string{"Asunto"}},
	{fieldOther, "es", []string{"Responder a", "Importancia", "Datos adjuntos"}},

	{fieldFrom, "it", []string{"Da", "Mittente"}},
	{fieldTo, "it", []string{"A", "Destinatario", "Destinatari"}},
	{fieldCc, "it", []string{"Cc", "Copia"}},
	{fieldBcc, "it", []string{"Ccn"}},
	{fieldDate, "it", []string{"Data", "Inviato", "Inviato il"}},
	{fieldSubject, "it", []string{"Oggetto"}},
	{fieldOther, "it", []string{"Rispondi a", "Priorità", "Allegati"}},

	{fieldFrom, "pt", []string{"De", "Remetente"}},
	{fieldTo, "pt", []string{"Para", "Destinatário", "Destinatários"}},
	{fieldCc, "pt", []string{"Cc", "CC", "Cópia"}},
	{fieldBcc, "pt", []string{"Cco", "CCO"}},
	{fieldDate, "pt", []string{"Data", "Enviado", "Enviada", "Enviado em", "Enviada em"}},
	{fieldSubject, "pt", []string{"Assunto"}},
	{fieldOther, "pt", []string{"Responder a", "Importância", "Anexos"}},

	{fieldFrom, "nl", []string{"Van", "Afzender"}},
	{fieldTo, "nl", []string{"Aan", "Ontvanger"}},
	{fieldCc, "nl", []string{"CC", "Cc", "Kopie"}},
	{fieldBcc, "nl", []string{"BCC"}},
	{fieldDate, "nl", []string{"Datum", "Verzonden", "Verstuurd", "Verzonden op"}},
	{fieldSubject, "nl", []string{"Onderwerp"}},
	{fieldOther, "nl", []string{"Antwoord aan", "Urgentie", "Bijlagen"}},

	{fieldFrom, "sv", []string{"Från", "Avsändare"}},
	{fieldTo, "sv", []string{"Till", "Mottagare"}},
	{fieldCc, "sv", []string{"Kopia", "Kopia till"}},
	{fieldBcc, "sv", []string{"Hemlig kopia"}},
	{fieldDate, "sv", []string{"Datum", "Skickat", "Skickat den"}},
	{fieldSubject, "sv", []string{"Ämne", "Rubrik"}},
	{fieldOther, "sv", []string{"Svara till", "Prioritet", "Bilagor"}},

	{fieldFrom, "da", []string{"Fra", "Afsender"}},
	{fieldTo, "da", []string{"Til", "Modtager"}},
	{fieldCc, "da", []string{"Cc", "Kopi", "Kopi til"}},
	{fieldDate, "da", []string{"Dato", "Sendt", "Sendt den"}},
	{fieldSubject, "da", []string{"Emne"}},
	{fieldOther, "da", []string{"Svar til", "Prioritet", "Vedhæftede filer"}},

	{fieldFrom, "no", []string{"Fra", "Avsender"}},
	{fieldTo, "no", []string{"Til", "Mottaker"}},
	{fieldCc, "no", []string{"Kopi", "Kopi til"}},
	{fieldDate, "no", []string{"Dato", "Sendt"}},
	{fieldSubject, "no", []string{"Emne"}},
	{fieldOther, "no", []string{"Svar til", "Vedlegg"}},

	{fieldFrom, "fi", []string{"Lähettäjä"}},
	{fieldTo, "fi", []string{"Vastaanottaja", "Vastaanottajat"}},
	{fieldCc, "fi", []string{"Kopio"}},
	{fieldBcc, "fi", []string{"Piilokopio"}},
	{fieldDate, "fi", []string{"Päivämäärä", "Päiväys", "Lähetetty", "Lähetysaika"}},
	{fieldSubject, "fi", []string{"Aihe"}},
	{fieldOther, "fi", []string{"Vastausosoite", "Liitteet"}},

	{fieldFrom, "et", []string{"Saatja", "Kellelt"}},
	{fieldTo, "et", []string{"Saaja", "Kellele", "Adressaat"}},
	{fieldCc, "et", []string{"Koopia"}},
	{fieldDate, "et", []string{"Kuupäev", "Saadetud"}},
	{fieldSubject, "et", []string{"Teema", "Pealkiri"}},

	{fieldFrom, "pl", []string{"Od", "Nadawca"}},
	{fieldTo, "pl", []string{"Do", "Adresat", "Odbiorca"}},
	{fieldCc, "pl", []string{"DW", "Dw", "Kopia"}},
	{fieldBcc, "pl", []string{"UDW", "Udw"}},
	{fieldDate, "pl", []string{"Data", "Wysłano", "Wysłane", "Data wysłania"}},
	{fieldSubject, "pl", []string{"Temat"}},
	{fieldOther, "pl", []string{"Odpowiedz do", "Ważność", "Załączniki"}},

	{fieldFrom, "cs", []string{"Od", "Odesílatel"}},
	{fieldTo, "cs", []string{"Komu", "Příjemce"}},
	{fieldCc, "cs", []string{"Kopie"}},
	{fieldBcc, "cs", []string{"Skrytá kopie"}},
	{fieldDate, "cs", []string{"Datum", "Odesláno", "Odeslané"}},
	{fieldSubject, "cs", []string{"Předmět"}},
	{fieldOther, "cs", []string{"Odpovědět komu", "Důležitost", "Přílohy"}},

	{fieldFrom, "sk", []string{"Od", "Odosielateľ"}},
	{fieldTo, "sk", []string{"Komu", "Pre", "Príjemca"}},
	{fieldCc, "sk", []string{"Kópia"}},
	{fieldBcc, "sk", []string{"Skrytá kópia"}},
	{fieldDate, "sk", []string{"Dátum", "Odoslané"}},
	{fieldSubject, "sk", []string{"Predmet"}},

	{fieldFrom, "hr", []string{"Šalje", "Pošiljatelj", "Od"}},
	{fieldTo, "hr", []string{"Prima", "Primatelj", "Za"}},
	{fieldCc, "hr", []string{"Kopija"}},
	{fieldDate, "hr", []string{"Datum", "Poslano"}},
	{fieldSubject, "hr", []string{"Naslov", "Predmet"}},

	{fieldFrom, "sl", []string{"Pošiljatelj"}},
	{fieldTo, "sl", []string{"Prejemnik"}},
	{fieldDate, "sl", []string{"Poslano"}},
	{fieldSubject, "sl", []string{"Zadeva"}},

	{fieldFrom, "hu", []string{"Feladó"}},
	{fieldTo, "hu", []string{"Címzett", "Címzettek"}},
	{fieldCc, "hu", []string{"Másolat", "Másolatot kap"}},
	{fieldBcc, "hu", []string{"Titkos másolat"}},
	{fieldDate, "hu", []string{"Dátum", "Elküldve", "Küldve"}},
	{fieldSubject, "hu", []string{"Tárgy"}},
	{fieldOther, "hu", []string{"Válaszcím", "Fontosság", "Mellékletek"}},

	{fieldFrom, "ro", []string{"De la", "Expeditor", "Expeditorul"}},
	{fieldTo, "ro", []string{"Către", "Catre", "Destinatar", "Destinatarul", "Pentru"}},
	{fieldCc, "ro", []string{"Cc"}},
	{fieldDate, "ro", []string{"Dată", "Data", "Trimis", "Trimis la"}},
	{fieldSubject, "ro", []string{"Subiect", "Subiectul"}},

	{fieldFrom, "ru", []string{"От", "От кого", "Отправитель"}},
	{fieldTo, "ru", []string{"Кому", "Получатель"}},
	{fieldCc, "ru", []string{"Копия"}},
	{fieldBcc, "ru", []string{"Скрытая копия"}},
	{fieldDate, "ru", []string{"Дата", "Отправлено"}},
	{fieldSubject, "ru", []string{"Тема"}},
	{fieldOther, "ru", []string{"Ответить", "Важность", "Вложения"}},

	{fieldFrom, "uk", []string{"Від", "Від кого", "Відправник"}},
	{fieldTo, "uk", []string{"Кому", "Отримувач"}},
	{fieldCc, "uk", []string{"Копія"}},
	{fieldBcc, "uk", []string{"Прихована копія"}},
	{fieldDate, "uk", []string{"Дата", "Відправлено", "Надіслано"}},
	{fieldSubject, "uk", []string{"Тема"}},

	{fieldFrom, "bg", []string{"От", "Подател"}},
	{fieldTo, "bg", []string{"До", "Получател"}},
	{fieldDate, "bg", []string{"Дата", "Изпратено"}},
	{fieldSubject, "bg", []string{"Тема", "Относно"}},

	{fieldFrom, "tr", []string{"Kimden", "Gönderen"}},
	{fieldTo, "tr", []string{"Kime", "Alıcı"}},
	{fieldCc, "tr", []string{"Bilgi", "Cc"}},
	{fieldBcc, "tr", []string{"Gizli"}},
	{fieldDate, "tr", []string{"Tarih", "Gönderilen", "Gönderildi", "Gönderme tarihi"}},
	{fieldSubject, "tr", []string{"Konu"}},

	{fieldFrom, "ca", []string{"De"}},
	{fieldTo, "ca", []string{"Per a", "A"}},
	{fieldCc, "ca", []string{"A/c", "Cc"}},
	{fieldDate, "ca", []string{"Enviat", "Data"}},
	{fieldSubject, "ca", []string{"Assumpte", "Tema"}},

	{fieldFrom, "id", []string{"Dari"}},
	{fieldTo, "id", []string{"Kepada"}},
	{fieldCc, "id", []string{"Tembusan"}},
	{fieldDate, "id", []string{"Terkirim", "Tanggal", "Dikirim"}},
	{fieldSubject, "id", []string{"Subjek", "Perihal"}},

	{fieldFrom, "el", []string{"Από", "Αποστολέας"}},
	{fieldTo, "el", []string{"Προς", "Παραλήπτης"}},
	{fieldCc, "el", []string{"Κοιν.", "Κοιν"}},
	{fieldDate, "el", []string{"Ημερομηνία", "Στάλθηκε", "Εστάλη", "Απεστάλη"}},
	{fieldSubject, "el", []string{"Θέμα"}},

	{fieldFrom, "ja", []string{"送信元", "差出人", "送信者"}},
	{fieldTo, "ja", []string{"送信先", "宛先"}},
	{fieldCc, "ja", []string{"CC", "Cc"}},
	{fieldDate, "ja", []string{"日付", "送信日時", "日時"}},
	{fieldSubject, "ja", []string{"件名"}},

	{fieldFrom, "zh", []string{"发件人", "寄件者", "寄件人", "發件人"}},
	{fieldTo, "zh", []string{"收件人", "收件者"}},
	{fieldCc, "zh", []string{"抄送", "副本", "抄送人"}},
	{fieldDate, "zh", []string{"日期", "发送时间", "發送時間", "时间", "發件日期"}},
	{fieldSubject, "zh", []string{"主题", "主旨", "主題"}},

	{fieldFrom, "ko", []string{"보낸 사람", "보낸사람"}},
	{fieldTo, "ko", []string{"받는 사람", "받는사람"}},
	{fieldCc, "ko", []string{"참조"}},
	{fieldDate, "ko", []string{"날짜", "보낸 날짜"}},
	{fieldSubject, "ko", []string{"제목"}},
}

// labelInfo is what a label means: its field and the languages using it.
type labelInfo struct {
	field field
	langs []string
}

// labelIndex maps a folded label to its meaning. Built once, never written
// after package initialisation.
var labelIndex = buildLabelIndex()

// maxLabelLen bounds how far into a line a label's colon may be.
const maxLabelLen = 40

func buildLabelIndex() map[string]labelInfo {
	idx := make(map[string]labelInfo)
	for _, set := range headerLabels {
		for _, name := range set.names {
			key := fold(strings.TrimSuffix(name, ":"))
			info := idx[key]
			if info.field == fieldNone {
				info.field = set.field
			}
			if info.field != set.field {
				// The same word names two fields in two languages; none
				// does today, and the first listed wins if one ever does.
				continue
			}
			if set.lang != "" && !contains(info.langs, set.lang) {
				info.langs = append(info.langs, set.lang)
			}
			idx[key] = info
		}
	}
	return idx
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// forwardPhrases are the words of separator lines that announce a forward,
// in the clients' languages, folded. A line that is one of these (with or
// without dashes and a colon around it) starts a forwarded message.
var forwardPhrases = []string{
	// Gmail, Yahoo, Thunderbird, HubSpot, Missive, MailMate.
	"forwarded message", "forwarded message follows", "forwarded email",
	"message transféré", "message transmis", "message réexpédié",
	"weitergeleitete nachricht", "weitergeleitete e-mail",
	"mensaje reenviado", "mensaje original reenviado",
	"messaggio inoltrato",
	"mensagem encaminhada", "mensagem reencaminhada",
	"doorgestuurd bericht", "doorgestuurde e-mail",
	"vidarebefordrat meddelande", "vidarebefordrat mejl", "vidarebefordrat e-postmeddelande",
	"videresendt meddelelse", "videresendt besked", "videresendt melding", "videresendt e-post",
	"edelleenlähetetty viesti", "välitetty viesti", "välitetty viesti / fwd.msg",
	"edasi saadetud kiri", "edastatud kiri", "edastatud sõnum",
	"wiadomość przesłana dalej", "przekazana wiadomość", "treść przekazanej wiadomości",
	"přeposlaná zpráva", "preposlaná správa", "preposlaná správa --- forwarded message",
	"proslijeđena poruka", "prosljeđena poruka", "posredovano sporočilo",
	"továbbított üzenet", "továbbított levél",
	"mesaj redirecționat", "mesaj redirectionat", "mesaj transmis",
	"пересланное сообщение", "пересылаемое сообщение", "перенаправленное сообщение",
	"пересланий лист", "переслане повідомлення", "перенаправлене повідомлення", "пересланий електронний лист",
	"препратено съобщение",
	"iletilen ileti", "iletilmiş mesaj", "iletilen mesaj",
	"προωθημένο μήνυμα",
	"メッセージを転送", "転送されたメッセージ", "転送メッセージ",
	"转发的邮件", "轉寄的郵件", "转发邮件", "已转发邮件",
	"전달된 메시지", "전달된 메일", "전달 메시지",
	// Apple Mail.
	"begin forwarded message",
	"début du message réexpédié", "début du message transféré",
	"anfang der weitergeleiteten nachricht", "anfang der weitergeleiteten e-mail",
	"inicio del mensaje reenviado", "comienza el mensaje reenviado",
	"inizio messaggio inoltrato",
	"início da mensagem reencaminhada", "início da mensagem encaminhada",
	"begin doorgestuurd bericht",
	"vidarebefordrat mejl", "start på videresendt besked", "videresendt melding",
	"välitetty viesti alkaa",
	"początek przekazywanej wiadomości",
	"začátek přeposílané zprávy", "začiatok preposlanej správy",
	"započni proslijeđenu poruku", "početak proslijeđene poruke",
	"továbbított levél kezdete",
	"începe mesajul redirecționat", "începutul mesajului redirecționat",
	"начало переадресованного сообщения", "начало пересылаемого сообщения",
	"початок листа, що пересилається", "початок пересланого листа",
	"i̇leti başlangıcı", "ileti başlangıcı", "iletilen mesajın başlangıcı",
	"αρχή προωθημένου μηνύματος",
	"転送されたメッセージ", "以下为转发的邮件", "转发的邮件", "전달된 메일",
	// Lotus Notes and others.
	"forwarded by",
}

// originalPhrases announce the previous message in Outlook's and IONOS's
// plain-text layout, used for replies as much as for forwards.
var originalPhrases = []string{
	"original message", "original email",
	"ursprüngliche nachricht", "originalnachricht",
	"message d'origine", "message original",
	"mensaje original",
	"messaggio originale",
	"mensagem original",
	"oorspronkelijk bericht", "origineel bericht",
	"ursprungligt meddelande", "originalmeddelande",
	"oprindelig meddelelse", "original meddelelse",
	"opprinnelig melding", "originalmelding",
	"alkuperäinen viesti",
	"algne sõnum", "algne kiri",
	"wiadomość oryginalna", "oryginalna wiadomość",
	"původní zpráva", "pôvodná správa",
	"originalna poruka", "izvorna poruka", "izvirno sporočilo",
	"eredeti üzenet", "eredeti levél",
	"mesaj original", "mesajul original",
	"исходное сообщение", "оригинальное сообщение", "первоначальное сообщение",
	"вихідне повідомлення", "оригінальне повідомлення", "початкове повідомлення",
	"оригинално съобщение",
	"özgün ileti", "orijinal mesaj", "orijinal ileti",
	"αρχικό μήνυμα",
	"元のメッセージ", "原始邮件", "原始郵件", "원본 메시지",
}

// phraseKind tells how strongly a separator phrase announces a forward.
type phraseKind uint8

const (
	phraseNone phraseKind = iota
	phraseForward
	phraseOriginal
)

var phraseIndex = buildPhraseIndex()

func buildPhraseIndex() map[string]phraseKind {
	idx := make(map[string]phraseKind, len(forwardPhrases)+len(originalPhrases))
	for _, p := range originalPhrases {
		idx[fold(p)] = phraseOriginal
	}
	for _, p := range forwardPhrases {
		idx[fold(p)] = phraseForward
	}
	return idx
}
