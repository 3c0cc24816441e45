package status

import (
	"sort"
	"unicode/utf8"
)

// phrase is one way of saying a status. A strict phrase is a short word that
// is also ordinary language ("no", "yes", "open", "ja"): it counts only when
// nothing but punctuation follows it, so "2 no, budget frozen" is a status
// and "2 no idea" is not.
type phrase struct {
	text   string
	value  Value
	strict bool
}

// phrases, longest first so that "not done" wins over "done" and "no longer
// relevant" over "no". Lower-case; English, French, German, Spanish,
// Portuguese, Italian, Dutch, Swedish, Danish, Norwegian, Polish, Chinese,
// Japanese and Korean.
var phrases = build(
	Done, []string{
		"done", "did it", "done it", "completed", "complete", "finished", "sorted", "handled",
		"achieved", "delivered", "nailed it", "got it done", "ticked", "✓", "✔", "✔️", "✅", "☑",
		"☑️", "[x]", "[X]", "👍", "👌", "💪",
		"fait", "faite", "faits", "faites", "c'est fait", "fini", "finie", "terminé", "terminée",
		"accompli", "accomplie", "réalisé", "réalisée",
		"erledigt", "gemacht", "fertig", "abgeschlossen", "geschafft", "erfüllt",
		"hecho", "hecha", "terminado", "terminada", "completado", "completada", "listo",
		"cumplido", "cumplida", "realizado", "realizada",
		"feito", "feita", "concluído", "concluída", "concluido", "concluida", "pronto",
		"cumprido", "cumprida",
		"fatto", "fatta", "completato", "completata", "finito", "finita", "terminato", "terminata",
		"gedaan", "klaar", "afgerond", "voltooid", "gelukt",
		"färdig", "färdigt", "gjort", "gjord", "avklarat", "avklarad", "fixat", "fixad", "slutfört",
		"slutförd", "genomfört", "genomförd", "levererat",
		"færdig", "færdigt", "klaret", "udført", "fuldført", "afsluttet", "ordnet",
		"ferdig", "fullført", "utført", "avsluttet", "fikset",
		"zrobione", "zrobiony", "zrobiona", "zrobiłem", "zrobiłam", "zrobiliśmy", "gotowe",
		"gotowy", "gotowa", "wykonane", "wykonany", "wykonana", "zakończone", "zakończony",
		"skończone", "skończony", "skończyłem", "skończyłam", "załatwione", "ukończone",
		"zrealizowane", "odhaczone",
		"已完成", "已经完成", "已經完成", "完成了", "完成", "做完了", "做完", "已做完", "搞定了", "搞定",
		"完了しました", "完了です", "完了", "済みです", "済み", "済", "終わりました", "終了しました", "終了",
		"できました", "やりました", "완료했습니다", "완료",
	},
	NotDone, []string{
		"not done", "not yet", "not finished", "not completed", "not complete", "not started",
		"not quite", "not really", "✗", "✘", "❌", "✖", "☐", "[ ]", "[]", "👎", "pending",
		"in progress", "ongoing", "started", "partly", "partially", "half done", "halfway",
		"almost done", "nearly done", "almost finished", "nearly finished", "mostly done",
		"working on it", "still working on it", "still open", "missed", "missed it", "delayed",
		"postponed", "didn't", "did not", "haven't", "have not", "couldn't", "could not",
		"didn't get to it", "didn't get round to it", "didn't get around to it", "didn't do it",
		"didn't manage", "didn't happen", "did not happen", "haven't started", "haven't done it",
		"no progress", "carry over", "carrying over", "carried over", "still to do", "nothing yet",
		"presque fini", "presque terminé", "presque fait", "fast fertig", "fast erledigt",
		"casi listo", "casi terminado", "casi hecho", "quase pronto", "quase feito",
		"quase terminado", "quasi finito", "quasi fatto", "bijna klaar", "bijna af",
		"pas fait", "pas faite", "pas encore", "pas encore fait", "en cours", "pas terminé",
		"pas fini", "commencé", "à moitié", "reporté", "pas eu le temps",
		"nicht erledigt", "noch nicht", "nicht gemacht", "nicht geschafft", "in arbeit",
		"angefangen", "teilweise", "verschoben", "noch offen", "läuft noch",
		"no hecho", "todavía no", "todavia no", "aún no", "aun no", "en curso", "en progreso",
		"en proceso", "pendiente", "empezado", "a medias", "no lo hice", "postergado",
		"não feito", "ainda não", "ainda nao", "em andamento", "em curso", "em progresso",
		"pendente", "começado", "pela metade", "não fiz", "adiado",
		"non fatto", "non ancora", "in corso", "in sospeso", "iniziato", "a metà", "rimandato",
		"non ho fatto",
		"niet gedaan", "nog niet", "mee bezig", "bezig", "gestart", "deels", "uitgesteld",
		"niet gelukt",
		"inte än", "inte ännu", "ännu inte", "inte klar", "inte klart", "inte färdig",
		"inte gjort", "ej klar", "ej klart", "ej gjort", "pågår", "pågående", "påbörjad",
		"påbörjat", "försenad", "försenat", "uppskjuten", "uppskjutet", "hann inte",
		"inte hunnit", "halvvägs", "nästan klar", "nästan klart", "nästan färdig",
		"ikke endnu", "endnu ikke", "ikke færdig", "ikke gjort", "ikke klar", "i gang", "igang",
		"påbegyndt", "udsat", "forsinket", "næsten færdig", "nåede det ikke", "nåede ikke",
		"ikke ennå", "ikke enda", "ennå ikke", "ikke ferdig", "påbegynt", "utsatt",
		"nesten ferdig", "rakk ikke", "rakk det ikke",
		"jeszcze nie", "nie zrobione", "niezrobione", "nie zrobiłem", "nie zrobiłam",
		"nie skończone", "nieskończone", "nie gotowe", "niegotowe", "w toku", "w trakcie",
		"w realizacji", "rozpoczęte", "zaczęte", "przełożone", "przesunięte", "opóźnione",
		"nie udało się", "nie zdążyłem", "nie zdążyłam", "prawie gotowe", "prawie skończone",
		"prawie zrobione", "w połowie",
		"未完成", "还没完成", "还没有", "还没", "還沒完成", "還沒有", "還沒", "尚未完成", "尚未", "没完成",
		"沒完成", "没做", "沒做", "进行中", "進行中", "まだです", "まだ", "未完了", "未了", "未着手", "途中",
		"できていません", "やっていません", "아직", "진행 중", "진행중", "못했습니다",
	},
	Dropped, []string{
		"dropped", "drop", "dropping", "drop it", "dropped it", "dropping it", "abandoned",
		"abandon", "abandoning", "cancelled", "canceled", "cancel", "cancel it", "scrapped",
		"scrap it", "scrap", "no longer relevant", "not relevant", "not relevant anymore",
		"irrelevant", "skip", "skipped", "skipping", "skip it", "removed", "remove", "remove it",
		"killed", "kill it", "parked", "park it", "parking it", "shelved", "won't do", "will not do",
		"not doing it", "not doing", "no longer needed", "not needed", "obsolete", "moot",
		"let it go", "letting it go", "deprioritised", "deprioritized", "withdrawn", "gave up",
		"giving up", "descoped", "🗑", "🗑️",
		"abandonné", "abandonnée", "abandonner", "annulé", "annulée", "supprimé", "supprimée",
		"laissé tomber", "on laisse tomber", "je laisse tomber", "plus d'actualité",
		"plus pertinent", "retiré", "caduc", "sans objet",
		"verworfen", "gestrichen", "fallengelassen", "fallen gelassen", "abgebrochen", "entfällt",
		"storniert", "aufgegeben", "nicht mehr relevant", "hinfällig",
		"descartado", "descartada", "abandonado", "abandonada", "cancelado", "cancelada",
		"eliminado", "eliminada", "ya no aplica", "ya no es relevante", "lo dejo", "lo dejamos",
		"desisti", "não se aplica", "não é mais relevante", "removido", "deixei de lado",
		"abbandonato", "abbandonata", "annullato", "annullata", "scartato", "scartata",
		"eliminato", "eliminata", "non più rilevante", "lasciato perdere",
		"geschrapt", "vervallen", "laten vallen", "laat ik vallen", "afgeblazen", "geannuleerd",
		"niet meer relevant", "vervalt",
		"stryker den", "stryker det", "stryker", "struken", "struket", "strukit", "släpper den",
		"släpper det", "släpper", "släppt", "avbruten", "avbrutet", "inställt", "inställd",
		"skippar", "skippat", "inte längre aktuellt", "inte längre aktuell", "inte aktuellt",
		"ej aktuellt", "lägger ner", "lagt ner", "avskrivet", "avskriven",
		"droppet", "dropper", "dropper det", "aflyst", "annulleret", "opgivet",
		"ikke længere relevant", "ikke relevant", "ikke aktuelt", "skrinlagt", "strøget",
		"avlyst", "kansellert", "ikke lenger aktuelt", "strøket", "gitt opp",
		"rezygnuję", "rezygnujemy", "zrezygnowałem", "zrezygnowałam", "zrezygnowaliśmy",
		"porzucone", "anulowane", "odwołane", "skreślone", "skreślam", "nieaktualne",
		"już nieaktualne", "nie dotyczy", "odpuszczam", "odpuszczone", "usunięte",
		"放弃了", "放弃", "放棄", "取消了", "取消", "不做了", "中止", "やめました", "やめます", "取りやめ",
		"見送り", "キャンセル", "断念", "취소", "포기",
	},
)

// strictPhrases are ordinary words that are a status only when they stand
// alone in their segment. "klar" is German for "clear" as well as Swedish
// and Danish for "done".
var strictPhrases = build(
	Done, []string{"yes", "yep", "yeah", "y", "ok", "okay", "check", "tick", "oui", "ja", "sí",
		"si", "sim", "sì", "af", "lista", "pronta", "klar", "klart", "klara", "japp", "tak"},
	NotDone, []string{"no", "nope", "n", "open", "late", "behind", "non", "nein", "offen", "não",
		"nao", "nee", "nada", "half", "next time", "nej", "nei", "nie", "öppen", "otwarte"},
	Dropped, []string{"n/a", "na", "nvm"},
)

func build(groups ...any) []phrase {
	var out []phrase
	for i := 0; i+1 < len(groups); i += 2 {
		v := groups[i].(Value)
		for _, t := range groups[i+1].([]string) {
			out = append(out, phrase{text: t, value: v})
		}
	}
	return out
}

// table is every phrase, longest first.
var table = func() []phrase {
	var all []phrase
	all = append(all, phrases...)
	for _, p := range strictPhrases {
		p.strict = true
		all = append(all, p)
	}
	sort.SliceStable(all, func(i, j int) bool {
		return utf8.RuneCountInString(all[i].text) > utf8.RuneCountInString(all[j].text)
	})
	return all
}()

// byFirst indexes table by the first two bytes of each phrase, for speed:
// a reply is tried for a status at every word. Phrases of one byte ("y",
// "n") are in short, by that byte; each list keeps table's order.
var byFirst, short = func() (map[uint16][]phrase, [256][]phrase) {
	two := map[uint16][]phrase{}
	var one [256][]phrase
	for _, p := range table {
		if len(p.text) == 1 {
			one[p.text[0]] = append(one[p.text[0]], p)
			continue
		}
		k := uint16(p.text[0])<<8 | uint16(p.text[1])
		two[k] = append(two[k], p)
	}
	return two, one
}()

// doneVerbs open a sentence that reports a commitment by its words rather
// than its number: "finished the board deck", "sent the memo".
var doneVerbs = []string{"done with", "finished with", "finished", "completed", "did", "sent",
	"had", "wrote", "booked", "talked to", "talked with", "spoke to", "spoke with", "met with",
	"met", "shared", "delivered", "drafted", "submitted", "scheduled", "called", "emailed",
	"j'ai fait", "j'ai fini", "j'ai terminé", "j'ai envoyé", "fini", "terminé", "fertig mit",
	"habe", "ya hice", "hice", "terminé", "envié", "terminei", "fiz", "enviei", "ho finito",
	"ho fatto", "ho mandato", "klaar met", "heb", "gjorde", "skickade", "pratade med",
	"talade med", "klar med", "färdig med", "bokade", "träffade", "færdig med", "ferdig med",
	"sendte", "talte med", "snakkede med", "snakket med", "zrobiłem", "zrobiłam", "skończyłem",
	"skończyłam", "wysłałem", "wysłałam", "rozmawiałem z", "rozmawiałam z", "przygotowałem",
	"przygotowałam", "napisałem", "napisałam"}

var notDoneVerbs = []string{"didn't get to", "did not get to", "didn't get round to",
	"didn't get around to", "haven't got to", "haven't done", "haven't", "have not", "didn't",
	"did not", "couldn't", "could not", "still need to", "still haven't", "ran out of time on",
	"ran out of time for", "no progress on", "missed", "postponed", "pushed back",
	"pas eu le temps de", "pas encore", "je n'ai pas", "noch nicht", "nicht geschafft",
	"no pude", "todavía no", "aún no", "não consegui", "ainda não", "non sono riuscito a",
	"non sono riuscita a", "non ancora", "nog niet", "niet gelukt", "niet aan toegekomen",
	"hann inte", "har inte", "har ännu inte", "inte än", "ännu inte", "har ikke", "nåede ikke",
	"endnu ikke", "rakk ikke", "ennå ikke", "nie zdążyłem", "nie zdążyłam", "nie zrobiłem",
	"nie zrobiłam", "jeszcze nie", "nie udało mi się", "nie rozmawiałem z",
	"nie rozmawiałam z"}

var droppedVerbs = []string{"dropped", "dropping", "drop", "skip", "scrap", "cancel", "gave up on", "giving up on", "abandoned",
	"decided not to", "decided against", "not doing", "won't do", "won't pursue", "scrapped",
	"cancelled", "canceled", "skipping", "skipped", "parking", "parked", "abandonné",
	"j'abandonne", "verworfen", "descarté", "desisti de", "abbandonato", "geschrapt", "stryker",
	"släpper", "skippar", "dropper", "rezygnuję z", "odpuszczam", "zrezygnowałem z",
	"zrezygnowałam z"}

// verbsByFirst indexes the verbs by their first byte, the not-done verbs
// first, then the dropped and the done ones, each list in its order: the
// first verb that fits wins.
var verbsByFirst = func() map[byte][]phrase {
	m := map[byte][]phrase{}
	for _, group := range []struct {
		v     Value
		verbs []string
	}{{NotDone, notDoneVerbs}, {Dropped, droppedVerbs}, {Done, doneVerbs}} {
		for _, verb := range group.verbs {
			m[verb[0]] = append(m[verb[0]], phrase{text: verb, value: group.v})
		}
	}
	return m
}()

// subjects may open a sentence before its verb: "I finished", "We dropped".
var subjects = []string{"i've", "i have", "i", "we've", "we have", "we", "j'ai", "ich habe",
	"ich", "wir", "yo", "eu", "io", "ik", "jag har", "jag", "jeg har", "jeg", "vi har", "vi"}

// stopwords are left out when comparing a reply with a commitment's text.
var stopwords = map[string]bool{}

func init() {
	for _, w := range []string{
		"a", "an", "the", "to", "of", "with", "on", "for", "about", "and", "or", "my", "our",
		"your", "his", "her", "their", "it", "its", "this", "that", "in", "at", "by", "from", "up",
		"i", "we", "me", "be", "is", "are", "was", "get", "got", "have", "had", "do", "did", "done",
		"before", "after", "next", "week", "session", "all", "new", "still", "thing", "one",
		"stuff", "part", "bit", "also", "just", "so", "now", "yet", "really", "already",
		"le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "avec", "pour", "sur",
		"au", "aux", "mon", "ma", "mes", "son", "sa", "ses",
		"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "und", "mit", "für", "zu",
		"zum", "zur", "mein", "meine", "von", "vor",
		"el", "los", "las", "del", "con", "para", "por", "y", "mi", "mis", "su", "sus",
		"o", "os", "as", "do", "da", "dos", "das", "com", "e", "meu", "minha",
		"il", "lo", "gli", "di", "con", "per", "mio", "mia",
		"het", "een", "en", "met", "voor", "van", "mijn",
		"och", "med", "om", "att", "för", "till", "på", "ett", "den", "det", "av", "min", "mitt",
		"mina", "vår", "är", "jag", "vi", "inte", "n", "og", "af", "mit", "er", "jeg", "ikke", "at",
		"z", "ze", "na", "w", "we", "dla", "od", "po", "przed", "się", "jest", "mój", "moja", "nie",
		"oraz", "że",
	} {
		stopwords[w] = true
	}
}

// ordinals name a commitment by its place: "the first one done".
var ordinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1,
	"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
	"premier": 1, "première": 1, "deuxième": 2, "seconde": 2, "troisième": 3, "quatrième": 4,
	"erste": 1, "ersten": 1, "erstes": 1, "zweite": 2, "zweiten": 2, "dritte": 3, "dritten": 3, "vierte": 4,
	"primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3, "cuarto": 4,
	"primeiro": 1, "primeira": 1, "terceiro": 3, "terceira": 3, "quarto": 4,
	"primo": 1, "secondo": 2, "terzo": 3, "terza": 3,
	"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4,
}

// ordinalNouns may follow an ordinal: "the first one", "second item".
var ordinalNouns = []string{"one", "item", "commitment", "point", "action", "un", "une", "punkt",
	"punto", "ponto", "actie", "engagement", "compromiso", "compromisso", "impegno"}

// yetWords complete a not-done status: "not done yet", "pas fini encore".
var yetWords = set("yet", "encore", "noch", "todavía", "todavia", "aún", "aun", "ainda", "ancora",
	"nog", "än", "ännu", "jeszcze", "endnu", "ennå", "enda")

// conditions right after a status make it one that has not happened: "done
// once Priya signs", "erledigt, wenn ...".
var conditions = set("if", "once", "unless", "when", "whenever", "si", "quand", "lorsque", "wenn",
	"sobald", "falls", "cuando", "quando", "caso", "zodra", "wanneer", "indien", "när", "ifall",
	"jeśli", "jeżeli", "gdy", "kiedy", "hvis", "når")

// laterWords put a done status in the future on their own ("done
// tomorrow", "fertig nächste Woche"); timeWords only after one of
// futurePreps ("done by Friday", "klar till fredag").
var laterWords = set("tomorrow", "tonight", "later", "soon", "next", "eventually", "demain",
	"bientôt", "prochaine", "prochain", "morgen", "bald", "später", "nächste", "nächsten", "mañana",
	"próxima", "próximo", "amanhã", "domani", "presto", "prossima", "prossimo", "binnenkort",
	"straks", "volgende", "imorgon", "snart", "senare", "nästa", "jutro", "wkrótce", "później",
	"następnym", "następnej", "senere", "næste", "neste")

var timeWords = set("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "wed", "thu", "fri", "end", "eod", "eow", "eom", "cob", "noon", "midday",
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "fin", "midi", "ce",
	"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "ende",
	"mittag", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "final",
	"segunda", "terça", "quarta", "quinta", "sexta", "lunedì", "martedì", "mercoledì",
	"giovedì", "venerdì", "sabato", "domenica", "fine", "maandag", "dinsdag", "woensdag",
	"donderdag", "vrijdag", "zaterdag", "zondag", "eind", "einde", "måndag", "tisdag", "onsdag",
	"torsdag", "fredag", "lördag", "söndag", "slutet", "lunch", "poniedziałku", "wtorku", "środy",
	"czwartku", "piątku", "soboty", "niedzieli", "końca", "jutra", "mandag", "tirsdag", "lørdag",
	"søndag", "slutten", "slutningen", "morgen")

// futurePreps put a done status before a time to come: "done by Friday".
var futurePreps = set("by", "before", "until", "till", "til", "d'ici", "avant", "pour", "bis",
	"vor", "zum", "am", "para", "antes", "hasta", "até", "entro", "per", "voor", "uiterlijk",
	"innan", "do", "przed", "na", "inden", "innen", "før", "i", "på")

// determiners may stand between one of futurePreps and a time: "by the end
// of", "bis nächsten Freitag".
var determiners = set("the", "this", "next", "le", "la", "ce", "cette", "der", "den", "dem", "diesen",
	"el", "este", "esta", "del", "o", "a", "il", "questo", "het", "deze", "de", "nästa")

// linkWords may stand between a commitment's name and its status: "the
// deck is finished", "CFO still pending", "le plan est enfin terminé".
var linkWords = set("is", "are", "was", "were", "has", "have", "been", "got", "now", "finally",
	"already", "still", "all", "fully", "completely", "officially", "just", "also", "too",
	"est", "sont", "été", "était", "enfin", "déjà", "bien", "toujours", "aussi",
	"ist", "sind", "war", "wurde", "wurden", "jetzt", "endlich", "schon", "bereits", "auch",
	"está", "están", "fue", "ha", "sido", "ya", "sigue", "también",
	"foi", "já", "finalmente", "é", "também",
	"è", "stato", "stata", "già", "ormai", "anche",
	"al", "nu", "eindelijk", "inmiddels", "ook", "zijn",
	"är", "var", "blev", "äntligen", "redan", "fortfarande", "också",
	"jest", "już", "został", "została", "zostało", "wreszcie", "nadal", "wciąż", "też",
	"er", "ble", "nå", "endelig", "allerede", "stadig", "fortsatt", "også")

// intentWords want, plan, must or ask: a clause that holds one speaks of a
// commitment's future ("I want it done by Friday", "muss erledigt werden",
// "Today is about getting the hiring plan to a yes"), not of its state.
var intentWords = set("will", "would", "should", "must", "need", "needs", "want", "wants", "hope",
	"hoping", "going", "gonna", "get", "getting", "can", "could", "may", "might", "if", "whether",
	"try", "trying", "aim", "planning", "let's", "i'll", "we'll", "it'll", "is", "be",
	"veux", "voudrais", "dois", "doit", "faut", "vais", "va", "sera", "devrait", "pourrait", "peux",
	"espère", "aimerais", "muss", "müssen", "soll", "sollte", "möchte", "werde", "wird",
	"würde", "kann", "könnte", "hoffe", "quiero", "tengo", "tiene", "debo", "debe", "voy",
	"necesito", "puedo", "será", "espero", "quero", "preciso", "tenho", "tem", "devo", "deve",
	"vou", "vai", "voglio", "vado", "sarà", "spero", "bisogna", "posso", "wil", "moet", "ga",
	"gaat", "zal", "zou", "hoop", "ska", "skall", "måste", "vill", "kommer", "borde", "bör",
	"hoppas", "muszę", "musi", "chcę", "trzeba", "będzie", "powinien", "powinno", "mogę",
	"zamierzam", "skal", "må", "vil", "håber", "håper", "soit", "soient", "seront", "estará",
	"estarán", "quedará", "ficará", "ficar", "serà", "se", "als")

// negations in what follows a done verb take it back: "had no time for
// the 1:1s", "habe noch keine Zeit für den Plan gehabt".
var negations = set("no", "not", "never", "nothing", "none", "without", "nicht", "kein", "keine",
	"keinen", "nie", "pas", "jamais", "rien", "sans", "ningún", "ninguna", "nunca", "sin", "nada",
	"não", "nenhum", "nenhuma", "sem", "non", "mai", "nessun", "nessuna", "senza", "niet", "geen",
	"nooit", "zonder", "inte", "ej", "aldrig", "ingen", "utan", "bez", "ikke", "aldri", "uden",
	"uten")

// partWords after a done verb say only part of the work is done: "did a
// first pass on the plan", "sent some of the invites".
var partWords = set("some", "part", "half", "first", "start", "bit", "most", "partie", "moitié",
	"teil", "hälfte", "parte", "mitad", "metade", "metà", "deel", "helft", "del", "hälften",
	"część", "połowę", "halvdelen", "halvparten")

// copulas after a status make it part of a subject: "Getting the plan
// done is my focus".
var copulas = set("is", "was", "will", "would", "should", "must", "means", "matters", "est",
	"sera", "ist", "wird", "es", "será", "é", "è", "sarà", "är", "blir", "jest", "będzie", "er",
	"bliver")

// forNow, anywhere in a statement that drops a commitment by name, say it
// is dropped for a while only: "skipping the 1:1s this week".
var forNow = []string{"today", "tonight", "tomorrow", "this week", "for now", "for the moment",
	"for the time being", "aujourd'hui", "cette semaine", "pour l'instant", "pour le moment",
	"heute", "diese woche", "vorerst", "erstmal", "hoy", "esta semana", "por ahora",
	"por el momento", "hoje", "por enquanto", "por agora", "oggi", "questa settimana", "per ora",
	"per il momento", "vandaag", "deze week", "voorlopig", "voor nu", "idag", "i dag",
	"den här veckan", "denna vecka", "tills vidare", "för tillfället", "dziś", "dzisiaj",
	"w tym tygodniu", "na razie", "denne uge", "denne uken", "foreløbig", "foreløpig", "for nu",
	"for nå"}

// hedges just before a status by name make it a guess or a promise:
// "Hiring plan hopefully done", "probably finished".
var hedges = set("almost", "nearly", "mostly", "partly", "basically", "practically", "hopefully",
	"probably", "maybe", "perhaps", "soon", "presque", "bientôt", "probablement", "fast", "bald",
	"hoffentlich", "vielleicht", "wahrscheinlich", "casi", "quizás", "quizá", "probablemente",
	"ojalá", "quase", "talvez", "provavelmente", "quasi", "forse", "probabilmente", "bijna",
	"misschien", "hopelijk", "waarschijnlijk", "nästan", "kanske", "förhoppningsvis", "troligen",
	"prawie", "może", "chyba", "næsten", "nesten", "måske", "kanskje", "forhåpentligvis",
	"forhåbentlig")

// topicWords in a sentence after a status turn to the day's focus: "Today
// is all about the CFO conversation", "My priority is the reorg".
var topicWords = set("today", "focus", "priority", "important", "tomorrow", "aujourd'hui",
	"priorité", "importante", "heute", "fokus", "priorität", "wichtig", "wichtigste", "hoy",
	"foco", "prioridad", "hoje", "prioridade", "oggi", "priorità", "vandaag", "prioriteit",
	"belangrijk", "belangrijkste", "idag", "viktigast", "viktigt", "dziś", "dzisiaj",
	"najważniejsze", "najważniejszy", "priorytet", "vigtigst", "viktigst")

// topicPhrases are topicWords of more than one word, or of the scripts
// that write no spaces. They are looked for in text as written, too, so
// "I dag" has its capital.
var topicPhrases = []string{"i dag", "I dag", "今天", "今日", "重点", "重點", "오늘", "중요"}

// plans in a sentence after a status that does not name its commitment
// again turn to what the leader means to do: "I want to talk about
// delegation".
var plans = set("want", "wants", "need", "needs", "hope", "going", "gonna", "will", "i'll",
	"we'll", "let's", "i'd", "planning", "veux", "voudrais", "dois", "faut", "vais", "muss",
	"möchte", "werde", "quiero", "necesito", "voy", "tengo", "quero", "preciso", "vou", "voglio",
	"devo", "wil", "moet", "vill", "måste", "ska", "chcę", "muszę", "skal")

// quantities after a number make it a count, not a commitment's number:
// "2 weeks went by, nothing done".
var quantities = set("week", "weeks", "day", "days", "hour", "hours", "minute", "minutes",
	"month", "months", "year", "years", "people", "person", "times", "time", "things", "thing",
	"more", "of", "out", "x", "semaines", "jours", "heures", "mois", "wochen", "tage", "stunden",
	"monate", "semanas", "días", "dias", "horas", "meses", "settimane", "giorni", "ore", "mesi",
	"weken", "dagen", "uur", "maanden", "veckor", "dagar", "timmar", "tygodnie", "dni", "godziny",
	"uger", "uker", "dage", "timer")

// strictLinks are, for a strict phrase, the verbs after which it is a
// status said of a commitment by name; see saidOf.
var strictLinks = map[string]map[string]bool{
	"klar":  set("är", "blev", "er", "blevet", "ble"),
	"klart": set("är", "blev", "er", "blevet", "ble"),
	"klara": set("är", "blev", "er", "blevet", "ble"),
}
