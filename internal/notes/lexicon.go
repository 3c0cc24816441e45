package notes

import (
	"regexp"
	"strings"
)

// The words coaches use, in English, French, German, Spanish, Portuguese,
// Dutch and Italian, all lower-cased. Matching runs on a lower-cased copy of
// the text with curly apostrophes made straight.

// section is what a heading or a label announces.
type section uint8

const (
	secNone     section = iota
	secDecision         // "Decisions", "Entscheidungen"
	secReframe          // "Reframe", "Insights", "Prises de conscience"
	secAction           // "Actions", "Next steps", "Commitments", "Homework"
	secOutcome          // "Outcomes": each item by its own cues, else a decision
	secTakeaway         // "Takeaways", "Learnings": each item by its cues, else a reframe
	secContext          // "Context", "Discussion", "Date": not outcomes
	secPrivate          // "Obs", "Private notes", "Note to self": the coach's own, never items
)

// headingWords maps heading keywords (one or more words, as tokens joined by
// spaces) to what they announce.
var headingWords = map[string]section{}

func init() {
	add := func(s section, phrases ...string) {
		for _, p := range phrases {
			headingWords[p] = s
		}
	}
	add(secDecision,
		"decision", "decisions", "decided", "key decisions", "agreed", "agreement", "agreements",
		"what did you decide", "what have you decided", "what you decided",
		"décision", "décisions", "décidé", "decide", "accords", "accord",
		"entscheidung", "entscheidungen", "beschluss", "beschlüsse", "beschlossen", "entschieden",
		"vereinbarungen", "vereinbarung", "vereinbart",
		"decisión", "decisiones", "decidido", "acuerdos", "acordado",
		"decisão", "decisao", "decisões", "decisoes", "acordos", "combinado", "combinados",
		"besluit", "besluiten", "beslissing", "beslissingen", "besloten", "afspraken", "afspraak",
		"decisione", "decisioni", "deciso", "accordi")
	add(secReframe,
		"reframe", "reframes", "reframed", "reframing", "reframings", "insight", "insights",
		"realisation", "realisations", "realization", "realizations", "shift", "shifts",
		"mindset shift", "perspective", "perspective shift", "new perspective", "aha", "aha moment",
		"aha moments", "lightbulb", "lightbulb moment", "epiphany", "what shifted",
		"what has shifted", "what did you learn", "what did you notice", "what you learned",
		"recadrage", "recadrages", "prise de conscience", "prises de conscience", "déclic", "déclics",
		"changement de perspective", "nouvelle perspective",
		"umdeutung", "perspektivwechsel", "neue perspektive", "erkenntnis", "erkenntnisse",
		"einsicht", "einsichten", "aha erlebnis",
		"reencuadre", "replanteamiento", "cambio de perspectiva", "toma de conciencia", "reflexión",
		"reenquadramento", "mudança de perspectiva", "tomada de consciência", "percepção", "percepções",
		"herkadering", "inzicht", "inzichten", "nieuw perspectief", "perspectief",
		"riformulazione", "cambio di prospettiva", "consapevolezza", "consapevolezze", "intuizioni")
	add(secAction,
		"action", "actions", "action item", "action items", "action point", "action points",
		"action plan", "next step", "next steps", "commitment", "commitments", "committed", "to do", "to dos",
		"todo", "todos list", "homework", "follow up", "follow ups", "followups", "task", "tasks",
		"assignment", "assignments", "experiment", "experiments", "practice", "between sessions",
		"what will you do", "what you will do", "what will you commit to", "what are you committing to",
		"before next time", "before our next session", "before the next session",
		"action", "actions", "plan d action", "prochaine étape", "prochaines étapes", "prochaines etapes",
		"engagement", "engagements", "à faire", "a faire", "devoirs", "tâches", "pistes d action",
		"aktion", "aktionen", "maßnahme", "maßnahmen", "massnahmen", "nächste schritte",
		"nächsten schritte", "naechste schritte", "aufgabe", "aufgaben", "hausaufgaben",
		"verpflichtungen", "zusagen", "vorhaben",
		"acción", "acciones", "próximos pasos", "proximos pasos", "siguientes pasos", "compromiso",
		"compromisos", "tarea", "tareas", "pendientes", "plan de acción",
		"ação", "ações", "acao", "acoes", "próximos passos", "proximos passos", "compromisso",
		"compromissos", "tarefa", "tarefas", "plano de ação",
		"actie", "acties", "actiepunt", "actiepunten", "volgende stappen", "volgende stap",
		"toezegging", "toezeggingen", "huiswerk", "taken", "te doen",
		"azione", "azioni", "prossimi passi", "impegno", "impegni", "compiti", "cose da fare")
	add(secOutcome,
		"outcome", "outcomes", "results", "key outcomes", "leave with", "leaves with", "leaving with",
		"takes away", "take away", "walks away with", "walk away with",
		"résultats", "ergebnisse", "resultados", "uitkomsten", "resultaten", "risultati")
	add(secTakeaway,
		"takeaway", "takeaways", "learning", "learnings", "lessons", "lessons learned", "lessons learnt",
		"à retenir", "a retenir", "apprentissages", "learnings", "aprendizajes", "aprendizados",
		"leerpunten", "lezioni")
	add(secContext,
		"context", "background", "discussion", "discussed", "what we discussed", "talked about",
		"topic", "topics", "theme", "themes", "focus", "agenda", "notes", "session notes",
		"summary", "recap", "goal", "goals", "situation", "challenge", "the ask",
		"date", "time", "when", "where", "attendees", "participants", "present", "leader", "coach",
		"client", "coachee", "session", "next session", "next meeting", "duration", "location",
		"subject", "re", "from", "to", "cc", "sent", "fwd", "fw",
		"contexte", "sujet", "sujets", "thème", "thèmes", "résumé", "objectif", "heure",
		"prochaine séance", "prochaine session", "séance", "de", "à", "envoyé", "objet",
		"kontext", "hintergrund", "diskussion", "themen", "thema", "notizen", "zusammenfassung",
		"ziel", "anliegen", "datum", "uhrzeit", "teilnehmer", "nächste sitzung", "nächster termin",
		"sitzung", "termin", "von", "an", "betreff", "gesendet",
		"contexto", "tema", "temas", "notas", "resumen", "objetivo", "situación", "fecha", "hora",
		"participantes", "próxima sesión", "sesión", "asunto", "enviado", "para",
		"resumo", "situação", "data", "próxima sessão", "sessão", "assunto",
		"achtergrond", "onderwerp", "onderwerpen", "thema s", "notities", "samenvatting", "doel",
		"tijd", "deelnemers", "volgende sessie", "sessie", "aan", "verzonden",
		"contesto", "temi", "note", "riassunto", "obiettivo", "ora", "partecipanti",
		"prossima sessione", "sessione", "oggetto", "inviato", "da")
}

// headingFiller are words a heading may carry besides its keyword: "Your
// key decisions from today's session", "Nos prochaines étapes".
var headingFiller = set(
	"the", "a", "an", "our", "your", "my", "his", "her", "their", "key", "main", "top", "today",
	"today s", "s", "from", "for", "of", "and", "made", "session", "sessions", "this", "next", "time",
	"new", "what", "we", "you", "i", "she", "he", "they", "some", "list", "items", "few", "week",
	"on", "in", "with", "at", "coaching", "call", "meeting", "open", "agreed", "personal",
	"le", "la", "les", "l", "des", "du", "d", "nos", "vos", "mes", "tes", "ses", "notre", "votre",
	"mon", "ton", "son", "ce", "qui", "a", "été", "que", "nous", "avons", "vous", "avez", "clés",
	"clé", "principales", "principaux", "pour", "prochaine", "fois", "séance", "aujourd", "hui",
	"et", "jour",
	"die", "der", "das", "den", "dem", "unsere", "ihre", "deine", "meine", "wichtigste",
	"wichtigsten", "für", "nächste", "mal", "heute", "aus", "und", "sitzung", "was", "wir",
	"haben", "hast", "du", "bis", "zur", "zum",
	"los", "las", "el", "del", "tus", "sus", "mis", "nuestros", "nuestras", "próxima", "sesión",
	"hoy", "y", "lo", "hemos", "clave",
	"os", "as", "o", "do", "dos", "das", "seus", "suas", "meus", "nossos", "sessão", "hoje", "e",
	"het", "een", "je", "jouw", "onze", "mijn", "voor", "volgende", "keer", "sessie", "vandaag",
	"en", "wat", "hebben", "belangrijkste",
	"i", "il", "gli", "di", "della", "tuoi", "tue", "nostri", "per", "prossima", "volta",
	"sessione", "oggi", "che", "abbiamo", "chiave")

// Sentence cues. Each list is a set of lower-cased phrases matched on word
// boundaries (Unicode-aware, unlike RE2's \b); a phrase may hold a regular
// expression.

var decisionCue = cue(
	`decided`, `decides`, `decide to`, `decision is`, `made the decision`, `made a decision`,
	`made the call`, `agreed that`, `we agreed`, `agreed on`, `chose to`, `chosen to`, `opted to`,
	`opted for`, `settled on`, `will go with`, `is going with`, `going ahead with`, `landed on`,
	`the call is`, `resolved to`,
	`a décidé`, `décidé`, `avons décidé`, `décide de`, `a choisi de`, `avons convenu`, `convenu que`,
	`a tranché`, `est décidé`,
	`entschieden`, `entschied`, `beschlossen`, `beschließt`, `vereinbart`, `geeinigt`, `einigten`,
	`decidió`, `decidimos`, `ha decidido`, `decide que`, `acordamos`, `acordó`, `hemos acordado`,
	`optó por`, `eligió`,
	`decidiu`, `decidimos`, `combinamos`, `optou por`, `escolheu`, `ficou decidido`,
	`besloot`, `besloten`, `heeft besloten`, `afgesproken`, `spraken af`, `kiest ervoor`, `koos ervoor`,
	`ha deciso`, `abbiamo deciso`, `deciso di`, `decide di`, `abbiamo concordato`, `ha scelto`)

// undecided marks sentences that talk about a decision not yet made.
var undecided = cue(
	`not decided`, `hasn't decided`, `has not decided`, `haven't decided`, `undecided`,
	`still deciding`, `trying to decide`, `needs to decide`, `need to decide`, `can't decide`,
	`cannot decide`, `couldn't decide`, `didn't decide`, `hard to decide`, `whether to`,
	`yet to decide`, `n'a pas décidé`, `pas encore décidé`, `noch nicht entschieden`,
	`no ha decidido`, `não decidiu`, `nog niet besloten`, `non ha deciso`)

var reframeCue = cue(
	`realised`, `realized`, `realises`, `realizes`, `realising`, `realizing`, `came to see`,
	`now sees`, `sees it as`, `see it as`, `seeing it as`, `instead of seeing`, `rather than seeing`,
	`reframed`, `reframe`, `reframing`, `shifted from`, `shift from`, `shifted (?:her|his|their|my|our|the) \w+`,
	`moved from seeing`, `went from seeing`, `recogni[sz]ed that`, `recogni[sz]es that`,
	`understood that`, `now understands`, `insight`, `aha`, `lightbulb`, `light bulb`,
	`the (?:real|actual|true|underlying|bigger|deeper|key) (?:issue|problem|question|challenge|risk|work|job|task|goal|point|constraint|bottleneck|opportunity|need|fear|story|test|lever|ask)s? (?:here |now )?(?:is|was|isn't|are)`,
	`(?:it's|it is|is) really about`,
	// "Your job is to build judgment in the team, not to be the last line
	// of defence", "The goal is progress, not perfection": what something
	// is for, set against what it is not.
	`(?:job|role|task|work|goal|point|aim|purpose|focus|priority|question|issue|problem|challenge|answer|value|strength|risk|lever|mission|responsibility|contribution|skill|measure) (?:[^,;.]+ )?(?:is|are|was|'s) [^,;.]+(?:, not|, rather than| rather than| instead of|, and not)`,
	`your (?:real |actual |main |only )?(?:job|role|work|task|contribution|value)(?: as [^,;.]+)? (?:is|isn't|is not|now is|is now)`,
	`(?:less|more) about [^,;.]+(?: than|,? and (?:more|less) about|, (?:more|less) about)`,
	`(?:le vrai|la vraie|le véritable|la véritable|el verdadero|la verdadera|o verdadeiro|a verdadeira|il vero|la vera|het echte|de echte|het eigenlijke|de eigenlijke|die eigentliche|das eigentliche|der eigentliche) \p{L}{4,} (?:est|c'est|es|é|è|is|ist|era|était|war|was)`,
	`(?:ton|son|votre|deine|ihre|seine|tu|su|teu|seu|je|jouw|haar|zijn|tuo|suo) (?:rôle|travail|job|métier|boulot|aufgabe|rolle|trabajo|rol|papel|tarea|trabalho|taak|werk|lavoro|ruolo|compito) (?:[^,;.]+ )?(?:est|c'est|ist|es|é|is|è) [^;.]+, (?:pas|non|et non|nicht|no|não|niet|e non|y no|e não|en niet)`,
	`(?:it's|it is|this is|that's|that is|it was) not (?:about )?[^,;.]+[,;:—–-]+ *(?:but )?(?:it's|it is|this is|that's|it was|rather|about)`,
	`(?:isn't|is not|wasn't|was not|aren't|are not|'re not|'m not|am not) [^,;.]+[,;:—–-]+ *(?:but )?(?:it's|it is|they're|they are|you're|you are|i'm|i am|she's|he's|we're|it was|rather|about)`,
	`not (?:a|an) [^,;.]+ (?:problem|issue)[,;:—–-]+`,
	`(?:problem|issue|question|conversation), not (?:a|an) `,
	`about [^,;.]+, not `, `[^,;.]{3,}, not (?:a|an|the|about|because|something|someone|just|my|his|her|their|our|your|me|him|them|us)`, `from "?[^"]+"? to "`,
	`a réalisé`, `réalisé que`, `rendu compte`, `rendue compte`, `prise de conscience`,
	`pris conscience`, `voit désormais`, `voit maintenant`, `compris que`, `recadr\w*`,
	`n'est pas [^,;.]+[,;:—–-]+ *c'est`, `ce n'est pas un problème de`,
	`erkannt`, `erkannte`, `wurde klar`, `klar geworden`, `wurde bewusst`, `bewusst geworden`,
	`sieht jetzt`, `verstanden, dass`, `umgedeutet`, `perspektivwechsel`,
	`nicht [^,;.]+, sondern`, `kein \w*problem`,
	`se dio cuenta`, `se ha dado cuenta`, `nos dimos cuenta`, `dio cuenta`, `entendió que`,
	`comprendió que`, `ahora ve`, `tomó conciencia`, `no es un problema de`, `replante\w*`,
	`reencuadr\w*`, `no es [^,;.]+, (?:es|sino)`,
	`percebeu`, `se deu conta`, `deu se conta`, `tomou consciência`, `entendeu que`,
	`compreendeu que`, `agora vê`, `não é um problema de`, `reenquadr\w*`, `não é [^,;.]+, (?:é|mas)`,
	`besefte`, `realiseerde`, `realiseert zich`, `kwam tot het inzicht`, `ziet nu`, `zag in`,
	`het is geen [^,;.]*probleem`, `herkader\w*`, `geen [^,;.]+, maar`,
	`si è reso conto`, `si è resa conto`, `ha realizzato`, `ha capito che`, `non è un problema di`,
	`ora vede`, `riformul\w*`, `non è [^,;.]+, (?:è|ma)`)

// strongAction are commitments: "will", "is going to", "commits to".
var strongActionEN = regexp.MustCompile(`^(?:(?i:and|so|then|also|next|finally|now|first|second|third|plus|but|afterwards)[,]?\s+)?(?:[^,;]+,\s+(?:(?i:and|so|but|then)\s+)?)?` +
	`((?i:i|we|you|she|he|they)|[A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?)?\s*` +
	`(?i:will|'ll|shall|is going to|are going to|am going to|'m going to|'s going to|'re going to|plans to|plan to|intends to|is planning to|commits to|is committing to|committed to|has committed to|is committed to|promised to|has promised to|agreed to|has agreed to|offered to|volunteered to|undertook to|is to|going to)` +
	`\s+(?:(?i:also|then|now|first|still|finally|actually)\s+)?(\p{L}+)`)

// notSubject are capitalised words that start a sentence without being a
// person: "This will take time", "The board will meet".
var notSubject = set("this", "that", "it", "there", "which", "what", "who", "these", "those", "the",
	"a", "an", "everything", "nothing", "something", "someone", "everyone", "nobody", "time",
	"things", "that'll", "it'll", "when", "if", "how", "why", "where")

// notActionVerb follow "will" without making an action: "she will not",
// "he'll be away".
var notActionVerb = set("not", "never", "be", "probably", "likely", "need", "see", "feel", "want")

var strongActionOther = cue(
	// French
	`(?:je|j'|nous|tu|vous|il|elle|ils|elles|on) (?:va|vais|vas|allons|allez|vont) \p{L}+(?:er|ir|re|oir)`,
	`s'engage à`, `s'engagent à`, `s'est engagée? à`, `a promis de`, `prévoit de`,
	`(?:je|j'|nous|il|elle|on|ils|elles) (?:\p{L}{2,}(?:erai|era|erons|eront|irai|ira|irons|iront|rai|ra|rons|ront))`,
	// German
	`(?:ich|wir|du|sie|er) (?:wird|werde|werden|wirst) `, `nimmt sich vor`, `nehmen uns vor`,
	`hat sich vorgenommen`, `verpflichtet sich`, `sagt zu`, `hat zugesagt`,
	// Spanish
	`(?:voy|vas|va|vamos|van) a \p{L}+(?:ar|er|ir)`, `se compromete a`, `se comprometió a`,
	`quedó en`, `quedamos en`, `prometió`, `se propone`,
	`\p{L}{3,}(?:ará|erá|irá|aré|eré|iré|arán|erán|irán)`,
	// Portuguese
	`(?:vou|vai|vamos|vão|vao) \p{L}+(?:ar|er|ir)`, `se compromete a`, `se comprometeu a`,
	`comprometeu se a`, `ficou de`, `prometeu`, `\p{L}{3,}(?:arei|erei|irei|arão|erão|irão)`,
	// Dutch
	`(?:ik|we|wij|je|jij|hij|zij|ze) (?:gaat|ga|gaan|zal|zullen|zult) `, `neemt zich voor`,
	`heeft toegezegd`, `zegt toe`, `belooft`, `verbindt zich`,
	// Italian
	`\p{L}{3,}(?:erà|irà|erò|irò|eremo|iremo|eranno|iranno)`, `si impegna a`,
	`si è impegnat[oa] a`, `ha promesso di`, `promette di`)

// notFuture are words the future-tense patterns above would take for
// commitments but that only say what will be: "sera", "será", "sarà".
var notFuture = cue(`sera`, `seront`, `aura`, `auront`, `será`, `serão`, `serán`, `estará`,
	`estarán`, `habrá`, `haverá`, `sarà`, `saranno`, `avrà`, `avranno`, `tendrá`, `terá`)

// weakAction are obligations that count as actions only with a due date.
var weakAction = cue(`needs to`, `need to`, `has to`, `have to`, `must`, `should`,
	`is expected to`, `doit`, `devrait`, `muss`, `sollte`, `debe`,
	`tiene que`, `deve`, `tem que`, `precisa`, `moet`, `zou`, `dovrebbe`, `next step is`, `next steps are`)

// wish are wishes, which count as weakAction does when someone else holds
// them ("She wants to tell the team by Friday"); the writer's own ("For
// tomorrow: I want to work on saying no") say what to talk about, not what
// was committed to. See ownWish.
var wish = cue(`wants to`, `want to`, `would like to`)

// nextStep opens an action without a subject: "Next step is to call Alex".
var nextStep = cue(`next step (?:is|will be)`, `next steps (?:are|will be)`, `homework is`,
	`la prochaine étape`, `der nächste schritt`, `el próximo paso`, `o próximo passo`,
	`de volgende stap`, `il prossimo passo`)

// Boilerplate: greetings, thanks, sign-offs and the coach's social lines.

// greetingWords open a greeting ("Hi Sam,", "Bonjour à tous"): one word or
// two, followed by the end of the line, a space or punctuation.
var greetingWords = set(
	"hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening", "morning",
	"bonjour", "bonsoir", "salut", "coucou", "cher", "chère", "hallo", "liebe", "lieber",
	"guten tag", "guten morgen", "guten abend", "moin", "servus", "hola", "buenos días",
	"buenas tardes", "buenas", "querido", "querida", "estimado", "estimada", "olá", "ola", "oi",
	"bom dia", "boa tarde", "caro", "cara", "ciao", "buongiorno", "salve", "hoi", "beste",
	"goedemorgen", "goedemiddag", "dag")

// isGreeting reports whether low, a lower-cased line, opens with a
// greeting.
func isGreeting(low string) bool {
	end := strings.IndexAny(low, greetingEnd)
	if end < 0 {
		end = len(low)
	}
	if greetingWords[low[:end]] {
		return true
	}
	if end == len(low) || low[end] != ' ' {
		return false
	}
	next := strings.IndexAny(low[end+1:], greetingEnd)
	if next < 0 {
		return greetingWords[low]
	}
	return greetingWords[low[:end+1+next]]
}

// greetingEnd are what may follow a greeting's words. The white space is
// the ASCII set that regular expressions call \s.
const greetingEnd = "\t\n\f\r ,!.:"

// signoffs are closings: a line that is one of them, followed by nothing
// but spaces and punctuation, ends the notes ("Best,", "Talk soon!").
var signoffs = set(
	"best", "best wishes", "best regards", "kind regards", "warm regards", "warmest regards",
	"warmly", "regards", "cheers", "talk soon", "speak soon", "see you", "see you soon",
	"see you next time", "until next time", "all the best", "take care", "with gratitude",
	"gratefully", "thanks", "thank you", "thanks again", "many thanks", "sincerely", "yours",
	"yours truly", "love", "xx", "xo", "bien à vous", "bien à toi", "cordialement",
	"bien cordialement", "bonne journée", "bonne soirée", "à bientôt", "a bientôt", "amitiés",
	"bises", "belle journée", "à la prochaine", "merci", "viele grüße", "viele grüsse",
	"liebe grüße", "liebe grüsse", "beste grüße", "herzliche grüße", "mit freundlichen grüßen",
	"freundliche grüße", "lg", "vg", "bis bald", "bis zum nächsten mal", "tschüss", "danke",
	"saludos", "un saludo", "un abrazo", "abrazos", "hasta pronto", "hasta la próxima",
	"atentamente", "cordialmente", "gracias", "abraços", "abraço", "beijos", "até breve",
	"até a próxima", "até logo", "atenciosamente", "obrigado", "obrigada", "groeten",
	"met vriendelijke groet", "vriendelijke groet", "hartelijke groet", "groetjes", "tot snel",
	"tot de volgende keer", "tot volgende keer", "bedankt", "saluti", "cordiali saluti",
	"un saluto", "a presto", "alla prossima", "un abbraccio", "grazie")

// isSignoff reports whether low, a lower-cased line, is only a closing.
func isSignoff(low string) bool {
	return signoffs[strings.TrimRight(low, "\t\n\f\r ,!.")]
}

// sentFromPrefixes open a mobile client's signature ("Sent from my
// iPhone").
var sentFromPrefixes = []string{"sent from my", "sent from", "get outlook for", "envoyé de mon",
	"envoyé depuis", "von meinem", "gesendet von", "enviado desde", "enviado do meu",
	"enviado de meu", "inviato da", "verzonden vanaf mijn", "verzonden met mijn", "verstuurd vanaf"}

// isSentFrom reports whether low, a lower-cased line, opens with a mobile
// client's signature. The prefix must end a word in the ASCII sense, as
// the words it ends with are ASCII.
func isSentFrom(low string) bool {
	for _, p := range sentFromPrefixes {
		if strings.HasPrefix(low, p) && (len(low) == len(p) || !isASCIIWordByte(low[len(p)])) {
			return true
		}
	}
	return false
}

func isASCIIWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_'
}

var social = cue(
	`thanks`, `thank you`, `many thanks`, `merci`, `danke`, `vielen dank`, `gracias`, `obrigad[oa]`,
	`grazie`, `bedankt`, `dank je`, `dank u`,
	`see you`, `looking forward`, `look forward`, `talk soon`, `speak soon`, `great session`,
	`good session`, `lovely session`, `great conversation`, `powerful session`, `i enjoyed`,
	`really enjoyed`, `enjoyed our`, `enjoyed today`, `a pleasure`, `my pleasure`, `let me know`,
	`feel free`, `i hope`, `hope you`, `hope this`,
	`have a (?:great|good|lovely|nice|restful) (?:weekend|week|day|evening|holiday|break|time|trip)`,
	`enjoy your`, `well done`, `proud of you`,
	`here are (?:my|the|our|your|some) (?:\w+ )?notes`, `here's (?:a|the|my|your) (?:quick )?(?:recap|summary|notes)`,
	`notes from (?:our|today|the|this)`, `recap of (?:our|today|the)`, `summary of (?:our|today|the)`,
	`meet again`, `speak again`, `talk again`, `reconvene`, `next session is`, `next session will be`,
	`our next session on`, `next call is`, `on se revoit`, `nous nous reverrons`, `wir sehen uns`,
	`nos vemos el`, `até a próxima sessão`, `ci vediamo`, `we zien elkaar`,
	`as promised`, `in case you`, `don't hesitate`, `any questions`,
	`à bientôt`, `au plaisir`, `n'hésite pas`, `n'hésitez pas`, `belle séance`, `bonne séance`,
	`voici (?:mes|les|nos|tes|vos) notes`, `voici ce que`, `j'espère`, `hâte de`,
	`bis bald`, `freue mich`, `melde dich`, `hier (?:sind|meine|die) (?:\w+ )?notizen`,
	`schöne session`, `tolle session`, `ich hoffe`,
	`nos vemos`, `hasta pronto`, `aquí (?:tienes|van|están) (?:mis|las|tus) notas`, `espero que`,
	`gran sesión`, `no dudes`,
	`até breve`, `até a próxima`, `aqui (?:estão|vão|seguem) (?:as|minhas) notas`, `seguem as notas`,
	`ótima sessão`, `qualquer dúvida`,
	`tot snel`, `tot de volgende`, `hierbij (?:mijn|de) notities`, `ik hoop`, `fijne sessie`,
	`laat (?:het )?me weten`,
	`a presto`, `ecco (?:le|i) (?:mie |miei )?(?:note|appunti)`, `spero che`, `bella sessione`, `fammi sapere`)

// Imperative verbs that open an action when a line has no other cue:
// "Talk to the CFO", "Envoyer le plan". German and Dutch put the verb last:
// "Mit dem CFO sprechen", "De CFO bellen".
var imperativeFirst = set(
	"talk", "speak", "meet", "schedule", "book", "send", "email", "e", "call", "write", "draft",
	"prepare", "share", "ask", "tell", "review", "read", "finish", "complete", "start", "stop",
	"set", "block", "plan", "create", "build", "define", "delegate", "hire", "reach", "follow",
	"check", "update", "present", "pitch", "propose", "agree", "confirm", "clarify", "discuss",
	"have", "give", "get", "find", "run", "try", "practice", "practise", "reflect", "journal",
	"list", "identify", "map", "outline", "sketch", "arrange", "organise", "organize", "invite",
	"hold", "cancel", "move", "reduce", "increase", "protect", "spend", "take", "make", "put",
	"keep", "continue", "raise", "bring", "push", "escalate", "sign", "submit", "finalise",
	"finalize", "document", "do", "think", "consider", "explore", "test", "pilot", "interview",
	"announce", "communicate", "thank", "celebrate", "rehearse", "prioritise", "prioritize",
	"align", "sync", "connect", "introduce", "nominate", "approve", "ship", "launch", "close",
	"say", "decline", "drop", "pause", "notice", "observe", "track", "measure", "name", "own",
	"rewrite", "redo", "renegotiate", "negotiate", "set up", "write up", "look", "revisit",
	"brief", "debrief", "inform", "hand", "assign", "request", "resolve", "address", "tackle",
	"fix", "add", "remove", "replace", "gather", "collect", "circulate", "distribute",
	"decide", "choose", "pick", "settle", "secure", "deliver", "publish", "post", "calm",
	"parler", "envoyer", "préparer", "rédiger", "appeler", "planifier", "organiser", "réserver",
	"discuter", "demander", "écrire", "finir", "terminer", "faire", "prendre", "bloquer",
	"partager", "rencontrer", "définir", "lister", "réfléchir", "proposer", "valider",
	"confirmer", "relancer", "contacter", "fixer", "mettre", "présenter", "dire", "annoncer",
	"briefer", "informer", "transmettre", "finaliser", "caler", "poser", "décider", "trancher",
	"livrer", "publier", "clarifier", "recruter", "déléguer",
	"hablar", "enviar", "preparar", "redactar", "llamar", "planificar", "organizar", "reservar",
	"pedir", "escribir", "terminar", "hacer", "definir", "compartir", "reunirse", "proponer",
	"revisar", "contactar", "agendar", "bloquear", "delegar", "presentar", "confirmar",
	"informar", "entregar", "mandar", "cerrar", "decidir", "publicar", "aclarar",
	"falar", "redigir", "ligar", "planejar", "fazer", "compartilhar", "partilhar", "reunir",
	"propor", "contatar", "conversar", "escrever", "marcar", "fechar", "esclarecer",
	"parlare", "inviare", "mandare", "preparare", "scrivere", "chiamare", "pianificare",
	"organizzare", "prenotare", "chiedere", "finire", "fare", "condividere", "incontrare",
	"proporre", "rivedere", "contattare", "bloccare", "delegare", "presentare", "confermare",
	"informare", "consegnare", "chiudere", "decidere", "pubblicare", "chiarire")

var imperativeLast = set(
	"sprechen", "schicken", "senden", "vorbereiten", "schreiben", "planen", "anrufen", "klären",
	"besprechen", "buchen", "erstellen", "fertigstellen", "abschließen", "teilen", "einplanen",
	"blocken", "durchführen", "führen", "vereinbaren", "definieren", "entscheiden", "überlegen",
	"reflektieren", "nachdenken", "machen", "treffen", "festlegen", "ansprechen", "delegieren",
	"fragen", "informieren", "präsentieren", "abstimmen", "einladen", "absagen",
	"bellen", "mailen", "sturen", "versturen", "voorbereiden", "plannen", "inplannen",
	"bespreken", "vragen", "afmaken", "maken", "delen", "regelen", "praten", "spreken",
	"afspreken", "opstellen", "schrijven", "uitnodigen", "presenteren", "afronden")

// cues indexes the sentence cue lists above, one bit each, and the gate of
// strongActionEN.
var cues = indexCues([]*cueSet{decisionCue, undecided, reframeCue, strongActionOther, notFuture,
	weakAction, wish, nextStep, social}, &strongActionGate)

// strongActionGate is what strongActionEN cannot match without, in
// lower-cased text: one of its verbs.
var strongActionGate = gateOf(strongActionEN.String())

// strongActionGateBit is the bit cues.match sets for strongActionGate.
var strongActionGateBit = cues.gates[0].bit
