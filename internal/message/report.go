package message

import (
	"io"
	"regexp"
	"strings"
	"unicode"
)

// maxStatusBytes bounds the delivery-status part that is read; the rest is
// skipped. Real reports are a few kilobytes.
const maxStatusBytes = 1 << 20

// dsnRecipient is one per-recipient block of a delivery status (RFC 3464
// section 2.3).
type dsnRecipient struct {
	final, original, action, status string
}

func (d dsnRecipient) addr() string {
	v := d.final
	if v == "" {
		v = d.original
	}
	if _, a, ok := strings.Cut(v, ";"); ok {
		v = a
	}
	return cleanAddr(v)
}

func (d dsnRecipient) failed() bool {
	switch strings.ToLower(d.action) {
	case "failed":
		return true
	case "":
		return strings.HasPrefix(strings.TrimSpace(d.status), "5")
	}
	return false
}

func (rd *reader) deliveryStatus(st *state, r io.Reader) {
	data, err := io.ReadAll(io.LimitReader(r, maxStatusBytes))
	if err != nil && !rd.src.over {
		st.warn("delivery-status part truncated: %v", err)
	}
	rd.drain(st, "delivery-status", r)
	st.dsn = true
	st.recipient = append(st.recipient, parseDeliveryStatus(normalizeNewlines(repairUTF8(data)))...)
}

// parseDeliveryStatus reads the per-recipient fields of a delivery status.
// Blocks are separated by empty lines, but a new Final-Recipient or
// Original-Recipient also starts a block, as some MTAs omit the empty line.
func parseDeliveryStatus(s string) []dsnRecipient {
	var (
		out []dsnRecipient
		cur dsnRecipient
		key string
	)
	end := func() {
		if cur.final != "" || cur.original != "" {
			out = append(out, cur)
		}
		cur, key = dsnRecipient{}, ""
	}
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			end()
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if key == "final-recipient" || key == "original-recipient" {
				// Folded address values continue.
				if key == "final-recipient" {
					cur.final += strings.TrimSpace(line)
				} else {
					cur.original += strings.TrimSpace(line)
				}
			}
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		switch key {
		case "original-recipient":
			if cur.original != "" || cur.final != "" {
				end()
				key = "original-recipient"
			}
			cur.original = v
		case "final-recipient":
			if cur.final != "" {
				end()
				key = "final-recipient"
			}
			cur.final = v
		case "action":
			cur.action = v
		case "status":
			cur.status = v
		}
	}
	end()
	return out
}

// finish sets what needs the whole message: automatic-reply and bounce
// flags.
func finish(st *state) {
	m := st.m
	if reason := autoReplyHeaders(m); reason != "" {
		// The header's own marker is better evidence than the structure.
		m.AutoReply, m.AutoReplyReason = true, reason
	}
	if reason := autoReplySubject(m.Subject); reason != "" {
		st.autoReply(reason)
	}
	switch {
	case st.dsn:
		seen := map[string]bool{}
		anyFailed := false
		for _, r := range st.recipient {
			if !r.failed() {
				continue
			}
			anyFailed = true
			if a := r.addr(); a != "" && !seen[a] {
				seen[a] = true
				m.BouncedRecipients = append(m.BouncedRecipients, a)
				if !permanentStatus(r.status) {
					m.TransientBounces = append(m.TransientBounces, a)
				}
			}
		}
		switch {
		case anyFailed:
			m.Bounce = true
		case len(st.recipient) == 0:
			m.Bounce = true
			m.BouncedRecipients = failedRecipientsHeader(m)
			st.warn("delivery status without recipient fields: read as a bounce")
		}
		st.autoReply("delivery status notification")
	case bounceSender(m) && bounceSubject(m.Subject):
		m.Bounce = true
		m.BouncedRecipients = failedRecipientsHeader(m)
		if len(m.BouncedRecipients) == 0 {
			m.BouncedRecipients = bouncedInText(m.BodyText(), m.From.Address)
		}
		st.warn("bounce recognised by its sender and subject: no delivery-status part")
		st.autoReply("bounce")
	}
}

// dsnStatus is an RFC 3463 enhanced status code: class.subject.detail.
var dsnStatus = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3})`)

// permanentStatus reports whether a failed recipient's Status says the
// address itself is bad, so that mail to it must stop: 5.1.x (bad
// mailbox, bad domain), 5.2.1 (mailbox disabled), 5.4.1 and 5.4.4 (no such
// host, or the host refuses the address, as Microsoft 365 reports it), and
// an undefined 5.0.0. A missing or unreadable status counts as permanent,
// as a failure report without one has always been read. A full mailbox
// (5.2.2), a message too large (5.2.3, 5.3.4), system, protocol, content
// and policy failures (5.3, 5.5, 5.6, 5.7) and any 4.x.x are about this
// message or this moment, not the address: SES calls such bounces
// transient, and so do we.
func permanentStatus(status string) bool {
	m := dsnStatus.FindStringSubmatch(strings.TrimSpace(status))
	if m == nil {
		return true
	}
	if m[1] != "5" {
		return false
	}
	switch m[2] + "." + m[3] {
	case "0.0", "2.1", "4.1", "4.4":
		return true
	}
	return m[2] == "1"
}

// failedRecipientsHeader reads X-Failed-Recipients, which Exim and Gmail
// add to their bounces.
func failedRecipientsHeader(m *Message) []string {
	var out []string
	for _, v := range m.Header.Values("X-Failed-Recipients") {
		for _, a := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if a = cleanAddr(a); plausibleAddr(a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// bounceSender reports whether a message comes from a mail system rather
// than a person.
func bounceSender(m *Message) bool {
	local, _, _ := strings.Cut(m.From.Address, "@")
	switch local {
	case "mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon":
		return true
	}
	name := strings.ToLower(m.From.Name)
	return strings.Contains(name, "mail delivery") || strings.Contains(name, "mailer-daemon")
}

var bounceSubjects = []string{
	"undeliverable", "undelivered", "delivery status notification",
	"delivery failure", "failure notice", "mail delivery failed",
	"returned mail", "delivery has failed", "could not be delivered",
	"mail delivery system", "delivery problem", "non remis", "non distribuable",
	"unzustellbar", "nicht zustellbar", "no se puede entregar", "no entregado",
	"non recapitabile", "onbestelbaar", "kan inte levereras", "kunne ikke leveres",
	"não entregue", "nie można dostarczyć", "nedoručitelné", "не доставлено",
	"配信不能", "无法投递", "退信",
}

func bounceSubject(s string) bool {
	s = strings.ToLower(s)
	for _, b := range bounceSubjects {
		if strings.Contains(s, b) {
			return true
		}
	}
	return false
}

var (
	// qmail: "<user@example.com>:" at the start of a line.
	qmailRecipient = regexp.MustCompile(`(?m)^<([^<>\s]+@[^<>\s]+)>:`)
	// Exim and others: the addresses indented under "...failed:".
	failedHeading = regexp.MustCompile(`(?im)(failed|could not be delivered to|following (recipient|address)[^\n]*):\s*$`)
	bareAddress   = regexp.MustCompile(`^\s+<?([^<>\s]+@[^<>\s:]+)>?:?\s*$`)
)

// bouncedInText finds the failed recipients in the text of a bounce that
// has no delivery-status part, leaving out the sender's own address.
func bouncedInText(text, self string) []string {
	var out []string
	seen := map[string]bool{self: true}
	add := func(a string) {
		a = cleanAddr(a)
		if plausibleAddr(a) && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, m := range qmailRecipient.FindAllStringSubmatch(text, 20) {
		add(m[1])
	}
	if loc := failedHeading.FindStringIndex(text); loc != nil {
		for i, line := range strings.Split(text[loc[1]:], "\n") {
			if i > 0 && strings.TrimSpace(line) == "" && len(out) > 0 {
				break
			}
			if m := bareAddress.FindStringSubmatch(line); m != nil {
				add(m[1])
			}
			if i > 20 {
				break
			}
		}
	}
	return out
}

// autoReplyHeaders returns why the header marks m as automatic, or "".
func autoReplyHeaders(m *Message) string {
	h := m.Header
	if v := token(h.Get("Auto-Submitted")); v != "" && v != "no" {
		return "Auto-Submitted: " + v
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Mail-Autoreply"} {
		if h.Has(k) {
			if v := token(h.Get(k)); v != "no" && v != "false" && v != "0" {
				return k
			}
		}
	}
	if token(h.Get("X-Autogenerated")) == "reply" {
		return "X-Autogenerated: reply"
	}
	for _, k := range []string{"Precedence", "X-Precedence"} {
		switch v := token(h.Get(k)); v {
		case "bulk", "junk", "auto_reply", "list":
			return k + ": " + v
		}
	}
	if rp := h.Values("Return-Path"); len(rp) > 0 && strings.TrimSpace(rp[0]) == "<>" {
		return "Return-Path: <>"
	}
	return ""
}

// token is the lower-cased first word of a header value, without comments
// or parameters.
func token(v string) string {
	v, _ = stripComments(v)
	v, _, _ = strings.Cut(v, ";")
	return strings.ToLower(strings.TrimSpace(v))
}

// autoReplyPrefixes are subject prefixes that only automatic replies use,
// lower-cased. They match when followed by anything but a Latin letter or
// digit ("Automatic reply: ...", "自動返信 ...").
var autoReplyPrefixes = []string{
	"automatic reply", "auto reply", "auto-reply", "autoreply", "auto response",
	"auto-response", "autoresponse", "automatic response", "auto-generated",
	"out of office autoreply", "out of office reply", "out of office auto reply",
	"out of office auto-reply", "out of the office reply",
	"réponse automatique", "reponse automatique", "message d'absence", "message d’absence",
	"abwesenheitsnotiz", "automatische antwort", "abwesenheitsmeldung", "automatische rückantwort",
	"respuesta automática", "respuesta automatica", "respuesta de fuera de la oficina",
	"risposta automatica", "resposta automática", "resposta automatica",
	"automatisch antwoord", "automatische beantwoording",
	"autosvar", "automatiskt svar", "automatisk svar", "automatisk besked", "frånvaromeddelande",
	"fraværsmeddelelse", "fraværsmelding", "automaattinen vastaus", "poissaoloviesti",
	"odpowiedź automatyczna", "automatyczna odpowiedź", "autoodpowiedź",
	"automatická odpověď", "automatická odpoveď", "automatikus válasz",
	"răspuns automat", "raspuns automat", "automatski odgovor", "samodejni odgovor",
	"automaatne vastus", "automātiskā atbilde", "automatinis atsakymas",
	"автоматический ответ", "автоответ", "автоматична відповідь", "автовідповідь",
	"автоматичен отговор", "otomatik yanıt", "otomatik cevap", "αυτόματη απάντηση",
	"自動応答", "自動返信", "自動返答", "不在通知", "自动回复", "自動回覆", "自動回复",
	"自动答复", "자동 회신", "자동 응답", "자동회신", "תשובה אוטומטית", "رد تلقائي",
	"trả lời tự động", "balasan otomatis", "resposta automàtica", "erantzun automatikoa",
}

// awayPrefixes announce absence; people use them too ("Out of office next
// week?"), so they count only as a whole subject or before a colon.
var awayPrefixes = []string{
	"out of office", "out of the office", "ooo", "auto", "away from the office", "away from office",
	"on vacation", "on leave", "vacation", "abwesend", "abwesenheit", "nicht im büro",
	"absence du bureau", "absent du bureau", "absent", "absence",
	"fuera de la oficina", "fuera de oficina", "ausente", "fuori ufficio", "fuori sede",
	"assente", "fora do escritório", "ausência", "afwezig", "niet aanwezig",
	"afwezigheid", "frånvarande", "frånvaro", "fraværende", "fravær", "poissa",
	"poissa toimistolta", "poza biurem", "nieobecność", "mimo kancelář", "nepřítomnost",
	"вне офиса", "не в офисе", "отсутствую", "в отпуске", "不在", "外出中", "休暇中",
	"不在办公室", "外出", "休假", "부재중", "ofis dışında",
}

// autoReplySubject returns why a subject marks an automatic reply, or "".
func autoReplySubject(subject string) string {
	s := strings.ToLower(strings.TrimSpace(subject))
	s = strings.TrimLeft(s, "[(【「 ")
	for _, p := range autoReplyPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			r := firstRune(rest)
			if r == 0 || !(unicode.Is(unicode.Latin, r) || unicode.IsDigit(r)) {
				return "subject: " + strings.TrimSpace(subject)
			}
		}
	}
	for _, p := range awayPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			rest = strings.TrimLeft(rest, " ")
			if rest == "" || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "：") ||
				strings.HasPrefix(rest, "]") || strings.HasPrefix(rest, ")") || strings.HasPrefix(rest, "】") {
				return "subject: " + strings.TrimSpace(subject)
			}
		}
	}
	return ""
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}
