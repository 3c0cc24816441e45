package notes

import (
	"reflect"
	"strings"
	"testing"
)

type extractCase struct {
	name string
	text string
	want []Item
}

func d(text string) Item      { return Item{Kind: Decision, Text: text} }
func r(text string) Item      { return Item{Kind: Reframe, Text: text} }
func a(text, due string) Item { return Item{Kind: Action, Text: text, Due: due} }
func items(it ...Item) []Item { return it }

// extractCases are read against wedRef (Wednesday 11 February 2026, Paris).
var extractCases = []extractCase{
	// Plain sentences.
	{"she decided", "She decided to move the weekly staff meeting to Mondays.",
		items(d("She decided to move the weekly staff meeting to Mondays."))},
	{"we agreed that", "We agreed that Priya owns the roadmap from now on.",
		items(d("We agreed that Priya owns the roadmap from now on."))},
	{"he'll with a date", "He'll talk to the CFO before the board meeting on 3 March.",
		items(a("He'll talk to the CFO before the board meeting on 3 March.", "2026-03-03"))},
	{"he'll without a date", "He'll talk to the CFO before the board meeting.",
		items(a("He'll talk to the CFO before the board meeting.", ""))},
	{"subjectless will", "Will talk to the head of sales by Friday.",
		items(a("Will talk to the head of sales by Friday.", "2026-02-13"))},
	{"named subject", "Maya will send the reorg memo tomorrow.",
		items(a("Maya will send the reorg memo tomorrow.", "2026-02-12"))},
	{"going to", "She's going to block two mornings a week for strategy work.",
		items(a("She's going to block two mornings a week for strategy work.", ""))},
	{"commitment label", "Commitment: share the draft with the team by next week",
		items(a("Share the draft with the team by next week", "2026-02-20"))},
	{"reframe label", "Reframe: it's not a people problem, it's a priorities problem",
		items(r("It's not a people problem, it's a priorities problem"))},
	{"realised that", "Realised that the team is waiting for her permission, not her answers.",
		items(r("Realised that the team is waiting for her permission, not her answers."))},
	{"shifted from", "Shifted from 'I have to fix this' to 'I need to make sure it gets fixed'.",
		items(r("Shifted from 'I have to fix this' to 'I need to make sure it gets fixed'."))},
	{"not X, it's Y", "It's not a capability gap, it's a clarity gap.",
		items(r("It's not a capability gap, it's a clarity gap."))},
	{"decision label", "Decision: pause hiring until the Series A closes.",
		items(d("Pause hiring until the Series A closes."))},
	{"decision with a deadline is an action", "She decided to tell the team about the reorg by Friday.",
		items(a("She decided to tell the team about the reorg by Friday.", "2026-02-13"))},
	{"starting is not a deadline", "She decided to stop attending the ops review starting next week.",
		items(d("She decided to stop attending the ops review starting next week."))},
	{"needs to without a date is not an action", "He needs to be more visible with the board.", nil},
	{"needs to with a date is", "He needs to send the board pack by Monday.",
		items(a("He needs to send the board pack by Monday.", "2026-02-16"))},
	{"clause narrowed", "We talked about the CFO; she realised every budget talk had become a negotiation.",
		items(r("She realised every budget talk had become a negotiation."))},
	{"plain lines after an inline label keep their own cues",
		"Reframe: the CEO's requests are questions, not orders.\nWill talk to the CFO before the board meeting on 24 March.\nFollow up with HR about the promotion by the end of the month.",
		items(r("The CEO's requests are questions, not orders."),
			a("Will talk to the CFO before the board meeting on 24 March.", "2026-03-24"),
			a("Follow up with HR about the promotion by the end of the month.", "2026-02-28"))},
	{"a plain line without cues does not go on with the label", "Decision: keep the platform team together.\nThe reorg waits until after the launch.",
		items(d("Keep the platform team together."))},
	{"a line after a label that is an item by itself", "Action: call Alex by Friday\nBook the offsite for March\nThe board meets on 3 March.",
		items(a("Call Alex by Friday", "2026-02-13"), a("Book the offsite for March", ""))},
	{"the writer's own wish is a topic, not an action", "For tomorrow: I want to work on saying no to the CEO.", nil},
	{"we would like to", "We would like to revisit the pricing next week.", nil},
	{"I really want to", "I really want to fix the hiring plan by Friday.", nil},
	{"someone's wish with a date is an action", "She wants to tell the team about the reorg by Friday.",
		items(a("She wants to tell the team about the reorg by Friday.", "2026-02-13"))},
	// The coach's private observations: never items, whatever they follow.
	{"obs after a decision label", "Decision: move the 1:1s to biweekly\nObs: seemed more relaxed than last time, less defensive",
		items(d("Move the 1:1s to biweekly"))},
	{"demeanour after an action label", "Action: send the memo by Friday\nShe seemed tired.",
		items(a("Send the memo by Friday", "2026-02-13"))},
	{"private label after a decision label", "Decision: keep the platform team together\nPrivate: she sounds exhausted",
		items(d("Keep the platform team together"))},
	{"demeanour with a decision cue", "Action: send the memo by Friday\nHe looked relieved when we agreed he would delegate the forecast.",
		items(a("Send the memo by Friday", "2026-02-13"))},
	{"verbless state among bullets", "Actions\n- Send the memo by Friday\nEnergy low.\n- Call Alex",
		items(a("Send the memo by Friday", "2026-02-13"), a("Call Alex", ""))},
	{"indented observation under a numbered item", "Next steps\n1. Send the memo by Friday\n   She seemed tired at the end\n2. Call Alex",
		items(a("Send the memo by Friday", "2026-02-13"), a("Call Alex", ""))},
	{"lower-case observation after a long item", "Action: send the quarterly memo to the whole leadership team by Friday\nshe looked exhausted and close to tears",
		items(a("Send the quarterly memo to the whole leadership team by Friday", "2026-02-13"))},
	{"unknown label after an item", "Decision: keep the platform team together\nMood: flat, distracted",
		items(d("Keep the platform team together"))},
	{"note to self after a reframe", "Reframe: the team isn't slow, the priorities are unclear\nNote to self: she avoids the topic of her manager",
		items(r("The team isn't slow, the priorities are unclear"))},
	{"private heading runs to the next heading", "Observations\n- tired, defensive\n- She decided to hire a deputy\n\nShe'll tell the team by Friday.\n\nActions\n- Hire a deputy by 3 March",
		items(a("Hire a deputy by 3 March", "2026-03-03"))},
	{"private label runs to the blank line", "Private: she sounds exhausted\nShe'll take Friday off.\n\nShe'll tell the team by Friday.",
		items(a("She'll tell the team by Friday.", "2026-02-13"))},
	{"private aside cut off an item", "Send the memo by Friday (private: she's exhausted)",
		items(a("Send the memo by Friday", "2026-02-13"))},
	{"observation clause cut off an item", "- Send the memo by Friday - she seemed tired",
		items(a("Send the memo by Friday", "2026-02-13"))},
	{"line marked private", "She'll send the memo by Friday (private)", nil},
	{"bracketed private label", "[Obs] tired\n(Private) she seems exhausted", nil},
	{"private sentence ends its paragraph", "She'll send the memo by Friday. Private: she sounds exhausted. She'll call Alex tomorrow.",
		items(a("She'll send the memo by Friday.", "2026-02-13"))},
	{"the coach's own reading", "I noticed she lit up when we talked about product, and she decided to explore it.", nil},
	{"key observations heading", "Key observations:\n- She decided to stop fighting the reorg", nil},
	{"the leader's own decision after an observation", "She was exhausted, and decided to take Friday off.",
		items(a("Decided to take Friday off.", "2026-02-13"))},
	{"a sentence addressed to the leader under actions", "Actions\n\nYou own the roadmap from now on.",
		items(a("You own the roadmap from now on.", ""))},
	{"a commitment after a comma and so", "The team is stretched, so she'll hire a contractor by 3 March.",
		items(a("The team is stretched, so she'll hire a contractor by 3 March.", "2026-03-03"))},
	{"a clause that goes on with the observation", "Actions\n- She seemed tired, especially when the CEO came up", nil},
	{"an energy log is no observation", "Homework\n- Keep an energy log for two weeks",
		items(a("Keep an energy log for two weeks", ""))},
	{"looked at is no observation", "She looked at the numbers and decided to cut the travel budget.",
		items(d("She looked at the numbers and decided to cut the travel budget."))},
	{"French private labels", "Décision : garder l'équipe\nPrivé : elle semblait épuisée\nObservation : très tendue au début",
		items(d("Garder l'équipe"))},
	{"German private labels", "Entscheidung: Das Team bleibt zusammen\nNotiz für mich: wirkte erschöpft\nBeobachtung: sehr angespannt",
		items(d("Das Team bleibt zusammen"))},
	{"Spanish private labels", "Decisión: mantener el equipo\nNota privada: parecía agotada\nObservación: muy tensa",
		items(d("Mantener el equipo"))},
	{"Portuguese private labels", "Decisão: manter a equipa\nObservação: parecia cansada\nObs.: muito tensa",
		items(d("Manter a equipa"))},
	{"Dutch private labels", "Besluit: het team blijft bij elkaar\nNotitie voor mezelf: leek moe",
		items(d("Het team blijft bij elkaar"))},
	{"Italian private labels", "Decisione: tenere il team\nOsservazione: sembrava stanca",
		items(d("Tenere il team"))},
	// Shorthand labels of terse notes.
	{"shorthand labels", "Dec: stop attending the weekly ops sync\nReframe: saying no protects the team's focus\nAct: agree escalation path w/ Paolo by Fri\nObs: seemed more relaxed than last time",
		items(d("Stop attending the weekly ops sync"), r("Saying no protects the team's focus"), a("Agree escalation path w/ Paolo by Fri", "2026-02-13"))},
	{"plural and dotted shorthand", "Decs.: keep the team\nActs: call Alex by Mon; book the room",
		items(d("Keep the team"), a("Call Alex by Mon", "2026-02-16"), a("Book the room", ""))},
	{"action item and to do", "AI: call the CFO by Thu\nTo do: book the offsite\nTodo: send the memo next Mon",
		items(a("Call the CFO by Thu", "2026-02-12"), a("Book the offsite", ""), a("Send the memo next Mon", "2026-02-16"))},
	{"AI as a topic is no action", "AI: she wants to pilot it in finance", nil},
	{"ref is a reference, not a reframe", "Ref: coaching agreement, section 3", nil},
	{"a month is no decision label", "Dec 3: offsite in Lisbon", nil},
	{"Dec before a day is a date", "Dec: 12 — board meeting", nil},
	{"shorthand in other languages", "Déc : garder l'équipe\nEntsch.: Team bleibt zusammen\nBesl: team blijft bij elkaar\nAufg.: Budget bis Mo klären\nAcc: llamar a Marta hasta el jue\nAz: inviare il piano entro ven",
		items(d("Garder l'équipe"), d("Team bleibt zusammen"), d("Team blijft bij elkaar"),
			a("Budget bis Mo klären", "2026-02-16"), a("Llamar a Marta hasta el jue", "2026-02-12"), a("Inviare il piano entro ven", "2026-02-13"))},
	// Actions that open with their deadline.
	{"deadline then a comma", "By Thursday, send Karin the draft escalation policy.",
		items(a("By Thursday, send Karin the draft escalation policy.", "2026-02-12"))},
	{"deadline with an event", "Before the board meeting on 12 May, brief the CFO.",
		items(a("Before the board meeting on 12 May, brief the CFO.", "2026-05-12"))},
	{"deadline then a commitment", "By Friday she will send the memo.",
		items(a("By Friday she will send the memo.", "2026-02-13"))},
	{"deadline of several words without a comma", "By the 15th of March send the board pack to Karin.",
		items(a("By the 15th of March send the board pack to Karin.", "2026-03-15"))},
	{"deadline first as a bullet", "- By next Friday, hand the Q2 forecast to Omar",
		items(a("By next Friday, hand the Q2 forecast to Omar", "2026-02-20"))},
	{"deadline first in other languages", "D’ici vendredi, envoyer le plan à Karin.\nBis Freitag schickt sie Karin den Entwurf.\nAntes del 3 de marzo, enviar el borrador.\nAté sexta-feira, enviar o rascunho.\nVoor vrijdag stuurt ze de memo naar Karin.\nEntro venerdì, inviare la bozza a Karin.",
		items(a("D’ici vendredi, envoyer le plan à Karin.", "2026-02-13"), a("Bis Freitag schickt sie Karin den Entwurf.", "2026-02-13"),
			a("Antes del 3 de marzo, enviar el borrador.", "2026-03-03"), a("Até sexta-feira, enviar o rascunho.", "2026-02-13"),
			a("Voor vrijdag stuurt ze de memo naar Karin.", "2026-02-13"), a("Entro venerdì, inviare la bozza a Karin.", "2026-02-13"))},
	{"a dated description is no action", "By Friday the team was exhausted. Before the reorg, she ran the Berlin office.", nil},
	// Reframes in the shape of what something is, not what it is not.
	{"your job is X, not Y", "Your job is to build judgment in the team, not to be the last line of defence.",
		items(r("Your job is to build judgment in the team, not to be the last line of defence."))},
	{"X is Y, not Z", "The goal is progress, not perfection.",
		items(r("The goal is progress, not perfection."))},
	{"your role is", "Your role as CEO is to set direction and get out of the way.",
		items(r("Your role as CEO is to set direction and get out of the way."))},
	{"the real question is", "The real question is what she wants the next two years to look like.",
		items(r("The real question is what she wants the next two years to look like."))},
	{"less about, more about", "It's less about the plan and more about who owns it.",
		items(r("It's less about the plan and more about who owns it."))},
	{"reframe shapes in other languages", "Son rôle est de faire grandir l'équipe, pas de tout contrôler.\nDie eigentliche Frage ist, wem sie vertraut.\nTu trabajo es formar criterio en el equipo, no ser la última línea de defensa.\nO seu papel é desenvolver a equipa, não fazer tudo sozinha.\nHet echte probleem is vertrouwen.\nIl tuo ruolo è far crescere il team, non controllare tutto.",
		items(r("Son rôle est de faire grandir l'équipe, pas de tout contrôler."), r("Die eigentliche Frage ist, wem sie vertraut."),
			r("Tu trabajo es formar criterio en el equipo, no ser la última línea de defensa."), r("O seu papel é desenvolver a equipa, não fazer tudo sozinha."),
			r("Het echte probleem is vertrouwen."), r("Il tuo ruolo è far crescere il team, non controllare tutto."))},
	{"a corrected fact is no reframe", "The deadline is Friday, not Monday. The budget is 2M, not 3M. Her job is to ship the roadmap.", nil},
	// A sentence's own decision cue under an action heading.
	{"decided under next steps", "Next steps\n- He decided to hire a deputy\n- Call Alex",
		items(d("He decided to hire a deputy"), a("Call Alex", ""))},
	{"decided with a deadline under next steps stays an action", "Next steps\n- She decided to tell the team by Friday",
		items(a("She decided to tell the team by Friday", "2026-02-13"))},
	{"agreed to do under next steps stays an action", "Next steps\n- We agreed she will call Alex\n- Tell the team what was decided",
		items(a("We agreed she will call Alex", ""), a("Tell the team what was decided", ""))},
	{"decided under prochaines étapes", "Prochaines étapes\n1. Il a décidé de recruter un adjoint plutôt que de tout porter seul.\n2. Poser deux jours de congé avant la fin de l'année.",
		items(d("Il a décidé de recruter un adjoint plutôt que de tout porter seul."), a("Poser deux jours de congé avant la fin de l'année.", "2026-12-31"))},
	{"a dated commitment under a decision heading", "Acuerdos\n- Marta decidió no aceptar el nuevo proyecto.\n- Hablará con su jefe antes del viernes.\n- Hire a deputy, not a second VP\n- Keep the team together until 1 April",
		items(d("Marta decidió no aceptar el nuevo proyecto."), a("Hablará con su jefe antes del viernes.", "2026-02-13"),
			d("Hire a deputy, not a second VP"), d("Keep the team together until 1 April"))},
	{"a lower-case fragment after a label is no item", "Action: talk to the CFO about budget\nnumbers before Friday",
		items(a("Talk to the CFO about budget", ""))},
	{"decided after an action label", "Action: she decided to keep the team together",
		items(d("She decided to keep the team together"))},
	// Boilerplate.
	{"greeting and thanks", "Hi Sam,\n\nThanks for a great session today!", nil},
	{"see you", "See you next time!", nil},
	{"sign-off and signature", "Best,\nSam Jones\nLeadership coach\n+44 20 7946 0958\nwww.samjones.example", nil},
	{"notes from our session", "Notes from our session, 11 February", nil},
	{"date line", "Wednesday 11 February, 16:00-17:00", nil},
	{"context paragraph", "We spent most of the hour on the reorg. Priya is carrying the design team's conflicts herself and feels exhausted.", nil},
	{"reach out is not social", "She'll reach out to the CFO by Friday.",
		items(a("She'll reach out to the CFO by Friday.", "2026-02-13"))},
	{"enjoyed is not social", "She realised she enjoyed the conflict more than she admits.",
		items(r("She realised she enjoyed the conflict more than she admits."))},
	{"next meeting logistics", "We agreed to meet again in two weeks.", nil},
	{"question", "Will she talk to the CFO before the board?", nil},
	{"coach's own promise", "I'll send you the article on radical candour.", nil},
	{"this will is not a person", "This will take time to settle.", nil},
	{"will not", "She will not attend the offsite.", nil},
	// Headings and lists.
	{"bullets under headings", "Decisions\n- Keep the platform team together\n\nActions\n- Draft the hiring plan by Friday\n- Talk to HR",
		items(d("Keep the platform team together"), a("Draft the hiring plan by Friday", "2026-02-13"), a("Talk to HR", ""))},
	{"heading with colon and name", "Maya's commitments:\n1. Call the head of sales\n2. Book the offsite",
		items(a("Call the head of sales", ""), a("Book the offsite", ""))},
	{"markdown heading and emphasis", "## Next steps\n* **Write** the 60-day plan by *Friday*\n* Book a 1:1 with HR _next week_",
		items(a("Write the 60-day plan by Friday", "2026-02-13"), a("Book a 1:1 with HR next week", "2026-02-20"))},
	{"checkboxes without heading", "☐ Call the head of sales by Thursday\n☑ Share the reorg memo",
		items(a("Call the head of sales by Thursday", "2026-02-12"), a("Share the reorg memo", ""))},
	{"markdown checkboxes", "- [ ] Draft the hiring plan\n- [x] Send the offer to Alex",
		items(a("Draft the hiring plan", ""), a("Send the offer to Alex", ""))},
	{"numbered with letters", "Actions\na) Call Alex\nb) Prepare the budget review by 3/3",
		items(a("Call Alex", ""), a("Prepare the budget review by 3/3", "2026-03-03"))},
	{"outlook pasted levels", "Actions\n•\tCall Alex\n    o\tBook the room first\n1 - Send the memo",
		items(a("Call Alex", ""), a("Book the room first", ""), a("Send the memo", ""))},
	{"question headings", "What did you decide?\n- To stop approving every expense under 5k\n\nWhat will you do before next time?\n- Talk to Finance about delegated authority by 20 Feb\n\nWhat shifted for you?\n- Trust is something I give, not something they earn",
		items(d("To stop approving every expense under 5k"), a("Talk to Finance about delegated authority by 20 Feb", "2026-02-20"), r("Trust is something I give, not something they earn"))},
	{"placeholder under a heading", "Decisions:\n- None this time\n\nActions:\n- n/a", nil},
	{"label with an owner", "Action (Maya): send the org chart to HR",
		items(a("Send the org chart to HR", ""))},
	{"insights heading is reframes", "Insights\n- The VP's issue is clarity of expectations, not capability",
		items(r("The VP's issue is clarity of expectations, not capability"))},
	{"wrapped bullet", "Actions\n- Talk to the CFO about the budget before the board\n  meeting on 3 March\n- Draft the plan",
		items(a("Talk to the CFO about the budget before the board meeting on 3 March", "2026-03-03"), a("Draft the plan", ""))},
	{"section ends at prose", "Actions\n- Call Alex\n\nIt was a heavy session and she seemed tired at the end.",
		items(a("Call Alex", ""))},
	{"struck-through item withdrawn", "Actions\n- ~~Call the recruiter~~\n- Call Alex",
		items(a("Call Alex", ""))},
	{"duplicates dropped", "Actions\n- Call Alex by Friday\n\nRecap: call Alex by Friday.\n- Call Alex by Friday",
		items(a("Call Alex by Friday", "2026-02-13"))},
	{"inline list of actions", "Next steps: call Alex by Friday; draft the hiring plan",
		items(a("Call Alex by Friday", "2026-02-13"), a("Draft the hiring plan", ""))},
	{"mixed outcome heading", "Outcomes\n- Keep the current structure\n- She'll brief the team on Monday",
		items(d("Keep the current structure"), a("She'll brief the team on Monday", "2026-02-16"))},
	{"context heading yields only cues", "Context\n- Board meeting on 3 March\n- Two directs want the same scope", nil},
	{"imperative bullet outside sections", "- Book the offsite venue\n- Team morale is low",
		items(a("Book the offsite venue", ""))},
	{"quoted reframe in markdown", "Reframe\n> \"I'm not slowing the company down, I'm protecting the runway.\"",
		items(r("I'm not slowing the company down, I'm protecting the runway."))},
	{"setext heading", "Decisions\n=========\nKeep Alex on the platform team.",
		items(d("Keep Alex on the platform team."))},
	{"not X but a plain clause is no reframe", "It's not easy, but she's trying.", nil},
	{"please before an imperative", "Please complete the attached questionnaire by Friday.",
		items(a("Please complete the attached questionnaire by Friday.", "2026-02-13"))},
	{"a board is not a person", "The board will decide on the budget in April.", nil},
	{"will be is not an action", "I will be travelling next week, so replies may be slow.", nil},
	{"aha label", "Big aha: the team isn't slow, they're waiting for him.",
		items(r("The team isn't slow, they're waiting for him."))},
	{"committed to", "He committed to cancelling two recurring meetings by Monday.",
		items(a("He committed to cancelling two recurring meetings by Monday.", "2026-02-16"))},
	{"takeaways are reframes", "Key takeaways:\n- Silence in the room isn't agreement",
		items(r("Silence in the room isn't agreement"))},
	{"agreed actions heading", "Agreed actions:\n1. Journal for 5 minutes after each exec meeting",
		items(a("Journal for 5 minutes after each exec meeting", ""))},
	{"from-to reframe", "Reframes\n1. From \"I need to have all the answers\" to \"I need to ask better questions\"",
		items(r("From \"I need to have all the answers\" to \"I need to ask better questions\""))},
	// Other languages.
	{"French headings", "Décisions\n- Garder l'équipe produit telle quelle\n\nProchaines étapes\n- Parler au DAF avant le 3 mars",
		items(d("Garder l'équipe produit telle quelle"), a("Parler au DAF avant le 3 mars", "2026-03-03"))},
	{"French prose", "Elle a décidé de confier la revue design à Léo. Elle va parler au DAF d'ici vendredi.",
		items(d("Elle a décidé de confier la revue design à Léo."), a("Elle va parler au DAF d'ici vendredi.", "2026-02-13"))},
	{"German headings", "Entscheidungen:\n1. Das Team bleibt in der jetzigen Aufstellung.\n\nNächste Schritte:\n1. Bis Freitag mit der Finanzchefin sprechen.",
		items(d("Das Team bleibt in der jetzigen Aufstellung."), a("Bis Freitag mit der Finanzchefin sprechen.", "2026-02-13"))},
	{"Spanish prose", "Decidió pausar las contrataciones. Se dio cuenta de que no es un problema de personas, es un problema de prioridades.",
		items(d("Decidió pausar las contrataciones."), r("Se dio cuenta de que no es un problema de personas, es un problema de prioridades."))},
	{"German prose", "Sie hat entschieden, die Teamleitung an Paul abzugeben. Sie wird bis Ende März ein Gespräch mit dem Vorstand führen.",
		items(d("Sie hat entschieden, die Teamleitung an Paul abzugeben."), a("Sie wird bis Ende März ein Gespräch mit dem Vorstand führen.", "2026-03-31"))},
	{"Portuguese prose", "Percebeu que o medo dela não é de falhar, é de desiludir a equipa. Vai falar com o diretor até sexta-feira.",
		items(r("Percebeu que o medo dela não é de falhar, é de desiludir a equipa."), a("Vai falar com o diretor até sexta-feira.", "2026-02-13"))},
	{"Portuguese headings", "Compromissos\n- Falar com o CFO até sexta-feira",
		items(a("Falar com o CFO até sexta-feira", "2026-02-13"))},
	{"Dutch headings", "Inzichten\n- Het is geen mensenprobleem maar een prioriteitenprobleem\n\nActiepunten\n- Volgende week het team informeren",
		items(r("Het is geen mensenprobleem maar een prioriteitenprobleem"), a("Volgende week het team informeren", "2026-02-20"))},
	{"Italian headings", "Decisioni\n- Sospendere le assunzioni\n\nProssimi passi\n- Parlare con il CFO entro venerdì",
		items(d("Sospendere le assunzioni"), a("Parlare con il CFO entro venerdì", "2026-02-13"))},
	// Hostile or odd input.
	{"empty", "", nil},
	{"only whitespace", " \n\t\n ", nil},
	{"CRLF and NBSP", "Actions\r\n-\u00a0Call\u00a0Alex by Friday\r\n",
		items(a("Call Alex by Friday", "2026-02-13"))},
	{"zero-width characters", "Decision:\u200b keep\u200b the team",
		items(d("Keep the team"))},
}

func TestExtract(t *testing.T) {
	for _, tc := range extractCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Extract(tc.text, wedRef)
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Extract(%q)\n got  %+v\n want %+v", tc.text, got, tc.want)
			}
		})
	}
}

func TestExtractCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("Actions\n")
	for i := 0; i < 50; i++ {
		b.WriteString("- Call contact number ")
		b.WriteString(strings.Repeat("x", i+1))
		b.WriteString("\n")
	}
	got := Extract(b.String(), wedRef)
	if len(got) != MaxItems {
		t.Fatalf("len(Extract(50 actions)) = %d, want %d", len(got), MaxItems)
	}
	if want := "Call contact number x"; got[0].Text != want {
		t.Errorf("first item = %q, want %q (items keep their order)", got[0].Text, want)
	}
}
