package status

import (
	"regexp"
	"strings"
	"unicode"
)

// IsUnsubscribe reports whether the reply's whole meaning is "stop sending
// me these emails": "unsubscribe", "STOP", "Please stop sending me these",
// "désabonner", "bitte abmelden", "darme de baja". A reply that only
// mentions stopping ("I need to stop micromanaging") is not one. Greetings,
// sign-offs, a closing name and quoted lines are ignored; what remains must
// be made of an unsubscribe word and polite filler only.
func IsUnsubscribe(text string) bool {
	return isUnsubscribe(text, true)
}

// isUnsubscribe is IsUnsubscribe; shortcut lets surelyNot answer first.
func isUnsubscribe(text string, shortcut bool) bool {
	if len(text) > 4<<10 {
		return false // a long reply says more than "stop"
	}
	var kept []string
	lines := strings.Split(strings.ReplaceAll(normalize.Replace(text), "\r\n", "\n"), "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, ">") {
			continue
		}
		kept = append(kept, l)
	}
	// Drop a greeting first line and a sign-off with the name after it.
	if len(kept) > 1 && unsubGreeting.MatchString(lower(kept[0])) && len(strings.Fields(kept[0])) <= 3 {
		kept = kept[1:]
	}
	for len(kept) > 1 {
		last := lower(kept[len(kept)-1])
		if len(strings.Fields(last)) <= 3 && (unsubSignoff.MatchString(last) || len(kept) > 1 && isName(kept[len(kept)-1])) {
			kept = kept[:len(kept)-1]
			continue
		}
		break
	}
	if shortcut {
		// Words do not span lines, so each line can be tested alone, and
		// most replies fail at their first one.
		for _, l := range kept {
			if surelyNot(lower(l)) {
				return false
			}
		}
	}
	low := lower(strings.Join(kept, " "))
	for _, ph := range unsubPhrases {
		low = strings.ReplaceAll(low, ph, " unsubscribe ")
	}
	ws := strings.FieldsFunc(low, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
	if len(ws) == 0 || len(ws) > 16 {
		return false
	}
	trigger := false
	for _, w := range ws {
		w = strings.Trim(w, "'")
		switch {
		case unsubWords[w]:
			trigger = true
		case unsubFiller[w]:
		default:
			return false
		}
	}
	return trigger
}

// surelyNot reports a text with a word that no unsubscribe request holds
// and that no phrase of unsubPhrases overlaps: it would survive the
// phrases' replacement and fail the word test, so the text is no request.
// Most replies are told apart at their first few words this way.
func surelyNot(low string) bool {
	for _, w := range strings.FieldsFunc(low, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }) {
		w = strings.Trim(w, "'")
		if unsubWords[w] || unsubFiller[w] || phraseWords[w] {
			continue
		}
		overlaps := false
		for _, ends := range phraseEnds {
			if strings.HasSuffix(w, ends[0]) || strings.HasPrefix(w, ends[1]) {
				overlaps = true
				break
			}
		}
		if !overlaps {
			return true
		}
	}
	return false
}

// phraseWords are the words of unsubPhrases, and phraseEnds the first and
// last word of each: a phrase found inside the text covers whole words,
// but may start inside a word and end inside another.
var phraseWords, phraseEnds = func() (map[string]bool, [][2]string) {
	words := map[string]bool{}
	var ends [][2]string
	for _, ph := range unsubPhrases {
		ws := strings.FieldsFunc(ph, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
		for _, w := range ws {
			words[strings.Trim(w, "'")] = true
		}
		ends = append(ends, [2]string{strings.Trim(ws[0], "'"), strings.Trim(ws[len(ws)-1], "'")})
	}
	return words, ends
}()

// isName reports a line of one or two capitalised words: the sender's name.
func isName(s string) bool {
	ws := strings.Fields(s)
	if len(ws) == 0 || len(ws) > 2 {
		return false
	}
	for _, w := range ws {
		r := []rune(w)
		if !unicode.IsUpper(r[0]) {
			return false
		}
	}
	return true
}

var (
	unsubGreeting = regexp.MustCompile(`^(?:hi|hello|hey|dear|bonjour|salut|hallo|hola|olá|ola|oi|ciao|hoi|beste)\b`)
	unsubSignoff  = regexp.MustCompile(`^(?:thanks|thank you|thx|best|regards|cheers|merci|danke|gracias|obrigad[oa]|grazie|bedankt|cordialement|grüße|saludos|groeten|saluti)\b`)
)

// unsubPhrases are several-word ways to ask, turned into one word first.
var unsubPhrases = []string{"opt out", "opt-out", "take me off", "remove me", "no more emails",
	"no more e-mails", "no more mails", "no more messages", "no more reminders",
	"do not contact", "don't contact", "do not email", "don't email", "don't send", "do not send",
	"darme de baja", "darse de baja", "dar de baja", "me dar de baja", "cancelar suscripción",
	"cancelar la suscripción", "cancelar inscrição", "cancelar a inscrição", "ne plus recevoir",
	"plus de mails", "plus de messages", "keine mails mehr", "keine e-mails mehr",
	"keine nachrichten mehr", "niet meer mailen", "geen mails meer", "non inviare più",
	"não enviar mais", "no enviar más", "arrêtez de m'envoyer", "arrêter de m'envoyer"}

var unsubWords = set("unsubscribe", "unsub", "unsubscribed", "stop", "stopp", "stoppen", "désabonner",
	"désabonnez", "désabonnement", "désinscrire", "désinscrivez", "désinscription", "desabonner",
	"abmelden", "abbestellen", "austragen", "abmeldung", "abbestellung", "baja", "desuscribir",
	"desuscribirme", "desuscribirse", "descadastrar", "descadastre", "descadastrar-me",
	"disiscrivi", "disiscrivere", "disiscrivimi", "cancellami", "cancellatemi", "afmelden",
	"uitschrijven", "uitschrijving", "parar", "pare", "arrêtez", "arrêter", "basta", "stoppt")

var unsubFiller = set(
	"please", "pls", "plz", "kindly", "me", "i", "i'd", "i'm", "want", "wanna", "would", "like",
	"to", "could", "you", "can", "all", "these", "the", "this", "those", "them", "emails", "email",
	"e", "mails", "mail", "messages", "message", "sending", "send", "receiving", "getting", "from",
	"list", "mailing", "of", "it", "now", "thanks", "thank", "thx", "hi", "hello", "just",
	"anymore", "any", "more", "a", "asap", "immediately", "right", "away", "subscription",
	"newsletter", "reminders", "reminder", "prompts", "coaching", "us", "my", "address", "ok",
	"yes", "id", "m", "d",
	"merci", "de", "moi", "s'il", "il", "vous", "plaît", "plait", "svp", "stp", "je", "veux",
	"voudrais", "ces", "les", "courriels", "envoyer", "m'envoyer", "ne", "plus", "me", "m'",
	"bitte", "mich", "ich", "möchte", "will", "von", "diesen", "dieser", "den", "die", "nachrichten",
	"liste", "danke", "mehr", "sie", "senden", "schicken", "und",
	"por", "favor", "quiero", "estos", "los", "correos", "mensajes", "gracias", "darme", "dar",
	"más", "enviar", "lista", "quero", "estes", "os", "mensagens", "obrigado", "obrigada",
	"mais", "per", "favore", "vorrei", "mi", "da", "questi", "le", "messaggi", "grazie", "più",
	"inviare", "graag", "alstublieft", "alsjeblieft", "aub", "wil", "mij", "van", "deze",
	"berichten", "bedankt", "dank", "meer", "sturen", "lijst", "se", "a", "la", "suscripción")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
