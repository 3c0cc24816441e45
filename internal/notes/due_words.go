package notes

import "time"

// Words for dates in English, French, German, Spanish, Portuguese, Dutch and
// Italian, lower-cased, with and without accents where people drop them.

var monthNames = map[string]time.Month{
	// English
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
	// French
	"janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "mars": 3, "avril": 4, "avr": 4,
	"mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
	"octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
	// German
	"januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7,
	"oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
	// Spanish
	"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
	"agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
	// Portuguese ("marco" without its cedilla is also a first name: left out)
	"janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7,
	"setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
	// Dutch
	"januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
	// Italian
	"gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
	"settembre": 9, "ottobre": 10, "dicembre": 12,
}

var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday, "thursday": time.Thursday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday, "jeudi": time.Thursday,
	"vendredi": time.Friday, "samedi": time.Saturday, "dimanche": time.Sunday,
	"montag": time.Monday, "dienstag": time.Tuesday, "mittwoch": time.Wednesday,
	"donnerstag": time.Thursday, "freitag": time.Friday, "samstag": time.Saturday,
	"sonnabend": time.Saturday, "sonntag": time.Sunday,
	"lunes": time.Monday, "martes": time.Tuesday, "miércoles": time.Wednesday,
	"miercoles": time.Wednesday, "jueves": time.Thursday, "viernes": time.Friday,
	"sábado": time.Saturday, "sabado": time.Saturday, "domingo": time.Sunday,
	"maandag": time.Monday, "dinsdag": time.Tuesday, "woensdag": time.Wednesday,
	"donderdag": time.Thursday, "vrijdag": time.Friday, "zaterdag": time.Saturday, "zondag": time.Sunday,
	"lunedì": time.Monday, "lunedi": time.Monday, "martedì": time.Tuesday, "martedi": time.Tuesday,
	"mercoledì": time.Wednesday, "mercoledi": time.Wednesday, "giovedì": time.Thursday,
	"giovedi": time.Thursday, "venerdì": time.Friday, "venerdi": time.Friday,
	"sabato": time.Saturday, "domenica": time.Sunday,
}

// shortDay is a weekday abbreviation that is also a word ("mon" is French
// for "my", "do" Dutch and German for Thursday and English for "do") and
// the words after which it is a day: its language's deadline words and
// "next" or "this" ("by Mon", "bis Do", "d'ici ven", "entro gio").
type shortDay struct {
	day   time.Weekday
	after map[string]bool
}

var shortWeekdays = func() map[string]shortDay {
	m := map[string]shortDay{}
	// add merges the words of each language that shares an abbreviation
	// ("ven" is French and Italian for Friday).
	add := func(after map[string]bool, day time.Weekday, abbrevs ...string) {
		for _, a := range abbrevs {
			both := map[string]bool{}
			for w := range m[a].after {
				both[w] = true
			}
			for w := range after {
				both[w] = true
			}
			m[a] = shortDay{day, both}
		}
	}
	en := set("by", "before", "until", "till", "til", "due", "next", "this", "on", "latest")
	add(en, time.Monday, "mon")
	add(en, time.Wednesday, "weds")
	add(en, time.Saturday, "sat")
	add(set("by", "before", "until", "till", "til", "due", "next", "this", "latest"), time.Sunday, "sun")
	fr := set("avant", "ici", "pour", "jusqu", "tard", "prochain", "ce")
	add(fr, time.Monday, "lun")
	add(fr, time.Wednesday, "mer")
	add(set("avant", "ici", "pour", "jusqu", "tard", "prochain"), time.Thursday, "jeu") // "ce jeu" is a game
	add(fr, time.Friday, "ven")
	add(fr, time.Saturday, "sam")
	add(fr, time.Sunday, "dim")
	de := set("bis", "vor", "spätestens", "zum", "am", "nächsten", "diesen", "kommenden")
	add(de, time.Monday, "mo")
	add(de, time.Tuesday, "di")
	add(de, time.Wednesday, "mi")
	add(de, time.Thursday, "do")
	add(de, time.Friday, "fr")
	add(de, time.Saturday, "sa")
	es := set("antes", "hasta", "para", "el", "del", "próximo", "proximo", "este", "tardar")
	add(es, time.Monday, "lun")
	add(es, time.Wednesday, "mié", "mie")
	add(es, time.Thursday, "jue")
	add(es, time.Friday, "vie")
	add(es, time.Saturday, "sáb", "sab")
	pt := set("até", "ate", "antes", "na", "próxima", "proxima", "nesta", "esta")
	add(pt, time.Monday, "seg")
	add(pt, time.Wednesday, "qua")
	add(pt, time.Thursday, "qui")
	add(pt, time.Friday, "sex")
	nl := set("voor", "vóór", "uiterlijk", "tegen", "volgende", "deze", "komende")
	add(nl, time.Monday, "ma")
	add(nl, time.Tuesday, "di")
	add(nl, time.Wednesday, "wo")
	add(nl, time.Thursday, "do")
	add(nl, time.Friday, "vr")
	add(nl, time.Saturday, "za")
	it := set("entro", "prima", "per", "prossimo", "questo")
	add(it, time.Monday, "lun")
	add(it, time.Wednesday, "mer")
	add(it, time.Thursday, "gio")
	add(it, time.Friday, "ven")
	add(it, time.Saturday, "sab")
	return m
}()

// ptWeekdays are Portuguese weekday names that are also ordinals.
var ptWeekdays = map[string]time.Weekday{
	"segunda": time.Monday, "terça": time.Tuesday, "terca": time.Tuesday,
	"quarta": time.Wednesday, "quinta": time.Thursday, "sexta": time.Friday,
}

var (
	nextWords = set("next", "coming", "following", "prochain", "prochaine", "nächste", "nächsten",
		"nächster", "naechste", "kommende", "kommenden", "próximo", "próxima", "proximo", "proxima",
		"volgende", "komende", "prossimo", "prossima", "seguinte")
	thisWords = set("this", "ce", "cette", "diese", "diesen", "dieser", "este", "esta", "deze",
		"questa", "questo", "nesta", "neste")
	ofWords      = set("of", "de", "du", "des", "der", "del", "do", "da", "van", "di", "della", "dello", "dei")
	articleWords = set("the", "la", "le", "l", "het", "el", "o", "dem")
	// deadlineWords introduce a due date.
	deadlineWords = set("by", "before", "until", "till", "til", "due", "later", "ahead", "prior", "latest",
		"avant", "ici", "pour", "jusqu", "tard", "bis", "vor", "spätestens", "zum", "antes", "para",
		"hasta", "tardar", "até", "ate", "voor", "vóór", "uiterlijk", "tegen", "entro", "prima", "per")
	// startWords introduce a start, not a deadline ("from next week").
	startWords = set("from", "starting", "start", "starts", "as", "beginning", "after", "since",
		"partir", "dès", "depuis", "après", "ab", "seit", "nach", "beginnend", "desde", "después",
		"despues", "depois", "vanaf", "sinds", "dal", "dalla", "dallo", "partire", "dopo")
	determiners = set("the", "a", "an", "our", "his", "her", "their", "my", "your", "its", "these",
		"those", "usual", "regular", "weekly")
	pastWords = set("last", "past", "dernier", "dernière", "letzten", "letzte", "vergangenen",
		"pasado", "pasada", "passado", "passada", "vorige", "afgelopen", "scorso", "scorsa")
	everyWords = set("every", "each", "chaque", "tous", "jeden", "jede", "jeder", "cada", "todos",
		"todas", "elke", "iedere", "ogni")

	todayWords    = set("today", "tonight", "eod", "cob", "heute", "hoy", "hoje", "oggi", "vandaag")
	tomorrowWords = set("tomorrow", "tmrw", "tmr", "demain", "morgen", "mañana", "manana", "amanhã", "amanha", "domani")
	// "morgen" is German "morning" after these, "mañana" Spanish "morning".
	morgenMorning = set("am", "jeden", "guten", "heute", "gestern", "s")
	mananaMorning = set("la", "esta", "por", "de", "cada")

	dayAfterTomorrow = [][]string{{"day", "after", "tomorrow"}, {"après", "demain"}, {"apres", "demain"},
		{"übermorgen"}, {"pasado", "mañana"}, {"depois", "de", "amanhã"}, {"overmorgen"}, {"dopodomani"}}
	todayPhrases = [][]string{{"end", "of", "day"}, {"end", "of", "the", "day"}, {"close", "of", "business"},
		{"end", "of", "business"}, {"fin", "de", "journée"}, {"fin", "de", "la", "journée"}, {"ce", "soir"},
		{"aujourd", "hui"}, {"heute", "abend"}, {"esta", "noche"}}

	endWords = set("end", "fin", "ende", "final", "finales", "fim", "eind", "einde", "fine", "ultimo",
		"eod", "cob", "eow", "eom", "eoy", "monatsende", "jahresende")
	inWords = set("in", "within", "dans", "sous", "binnen", "innerhalb", "em", "over", "tra", "fra", "entro", "en")

	dayUnit = set("day", "days", "jour", "jours", "journée", "tag", "tage", "tagen", "tages", "día",
		"días", "dia", "dias", "dag", "dagen", "giorno", "giorni", "giornata")
	weekUnit = set("week", "weeks", "wk", "wks", "semaine", "semaines", "woche", "wochen", "semana", "semanas",
		"weken", "settimana", "settimane")
	monthUnit = set("month", "months", "mois", "monat", "monate", "monaten", "monats", "mes", "meses",
		"mês", "maand", "maanden", "mese", "mesi")
	quarterUnit = set("quarter", "trimestre", "quartal", "quartals", "kwartaal")
	yearUnit    = set("year", "years", "année", "années", "ans", "jahr", "jahre", "jahren", "jahres",
		"año", "años", "ano", "anos", "jaar", "jaren", "anno", "anni")
	fortnightWords = set("fortnight", "fortnights")
)

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2,
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
	"neuf": 9, "dix": 10, "quinze": 15,
	"ein": 1, "eine": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
	"sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
	"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
	"ocho": 8, "nueve": 9, "diez": 10, "quince": 15,
	"um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "sete": 7, "oito": 8,
	"nove": 9, "dez": 10,
	"een": 1, "één": 1, "twee": 2, "drie": 3, "vijf": 5, "zes": 6, "zeven": 7, "negen": 9, "tien": 10,
	"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
	"dieci": 10, "quindici": 15,
}
