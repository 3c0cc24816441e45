package status

import (
	"reflect"
	"strings"
	"testing"
)

// three is the list a typical prompt shows.
var three = []string{
	"Draft the hiring plan",
	"Talk to the CFO about the budget before the board meeting",
	"Have a 1:1 with Alex about the promotion",
}

type parseCase struct {
	name        string
	text        string
	commitments []string
	want        []Update
}

func u(ref int, v Value, c string) Update { return Update{Ref: ref, Status: v, Comment: c} }

var parseCases = []parseCase{
	{"one done", "1 done", three, []Update{u(1, Done, "")}},
	{"dotted ref", "1. done", three, []Update{u(1, Done, "")}},
	{"hash and dash with comment", "#2 - not yet, budget frozen", three, []Update{u(2, NotDone, "budget frozen")}},
	{"colon and em dash", "2: not done — waiting on legal", three, []Update{u(2, NotDone, "waiting on legal")}},
	{"dropped before hash ref", "dropped #3", three, []Update{u(3, Dropped, "")}},
	{"paren ref dropping it", "3) dropping it, no longer relevant", three, []Update{u(3, Dropped, "no longer relevant")}},
	{"all done", "All done!", three, []Update{u(1, Done, ""), u(2, Done, ""), u(3, Done, "")}},
	{"all done without a list says nothing", "all done", nil, nil},
	{"done with by name", "done with the hiring plan", three, []Update{u(1, Done, "")}},
	{"finished by name", "finished the board deck", []string{"Send the reorg memo", "Prepare the board deck"}, []Update{u(2, Done, "")}},
	{"didn't get to by name", "didn't get to the 1:1 with Alex", three, []Update{u(3, NotDone, "")}},
	{"check mark", "1 ✓", three, []Update{u(1, Done, "")}},
	{"cross mark", "2 ✗", three, []Update{u(2, NotDone, "")}},
	{"yes and no per number", "1 yes\n2 no\n3 yes", three, []Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Done, "")}},
	{"one line, several", "1 done, 2 not yet, 3 dropped", three, []Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"one line with comments", "1 done - sent it Monday; 2 not yet, CFO is travelling", three,
		[]Update{u(1, Done, "sent it Monday"), u(2, NotDone, "CFO is travelling")}},
	{"French", "1 fait\n2 pas encore, le budget est gelé\n3 abandonné", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "le budget est gelé"), u(3, Dropped, "")}},
	{"German", "1 erledigt\n2 noch nicht – Budget eingefroren\n3 verworfen", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "Budget eingefroren"), u(3, Dropped, "")}},
	{"Spanish", "1 hecho\n2 todavía no, presupuesto congelado\n3 descartado", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "presupuesto congelado"), u(3, Dropped, "")}},
	{"Portuguese", "1 feito\n2 ainda não\n3 abandonado", three,
		[]Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"Italian", "1 fatto\n2 non ancora\n3 abbandonato", three,
		[]Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"Dutch", "1 gedaan\n2 nog niet, wacht op juridische zaken\n3 geschrapt", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "wacht op juridische zaken"), u(3, Dropped, "")}},
	{"ref outside the list is ignored", "4 done\n1 done", three, []Update{u(1, Done, "")}},
	{"without a list any small ref counts", "4 done", nil, []Update{u(4, Done, "")}},
	{"the last statement wins", "1 done\nActually, 1 not yet - I only started", three, []Update{u(1, NotDone, "I only started")}},
	{"focus answer yields nothing", "The most important thing is how I handle the reorg with my 2 directs.", three, nil},
	{"focus with numbers is not a status", "1 thing on my mind: the board meeting.\n3 people have resigned this month.", three, nil},
	{"1:1 is not a reference", "1:1 with Alex went well, I think.", nil, nil},
	{"no idea is not a no", "2 no idea how to start on this", three, nil},
	{"status after focus paragraph", "I want to talk about delegation.\n\nCommitments:\n1 - done\n2 - not yet (budget frozen)\n3 - dropped", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "budget frozen"), u(3, Dropped, "")}},
	{"copied list with status after dash", "1. Draft the hiring plan — done\n2. Talk to the CFO about the budget - not yet, she's away", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "she's away")}},
	{"copied list with status on the next line", "1. Draft the hiring plan\nDone, shared with HR\n2. Talk to the CFO about the budget\nNot yet", three,
		[]Update{u(1, Done, "shared with HR"), u(2, NotDone, "")}},
	{"inline answers under quoted prompt", "> 1. Draft the hiring plan\nDone\n> 2. Talk to the CFO about the budget\nnope, next week", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "next week")}},
	{"ticked boxes", "[x] 1. Draft the hiring plan\n[ ] 2. Talk to the CFO\n[x] 3. Have a 1:1 with Alex", three,
		[]Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Done, "")}},
	{"name then status", "Hiring plan: done\nCFO conversation - postponed to March", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "to March")}},
	{"name then tick", "Hiring plan ✓", three, []Update{u(1, Done, "")}},
	{"names and symbols on one line", "Hiring plan ✅ CFO ❌", three, []Update{u(1, Done, ""), u(2, NotDone, "")}},
	{"name, symbol and comment", "Hiring plan ✅ - sent to HR", three, []Update{u(1, Done, "sent to HR")}},
	{"refs joined", "1 and 3 done, 2 not yet", three, []Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Done, "")}},
	{"refs with commas", "1, 2 done", three, []Update{u(1, Done, ""), u(2, Done, "")}},
	{"status then refs", "Done: 1, 3", three, []Update{u(1, Done, ""), u(3, Done, "")}},
	{"is between", "#1 is done", three, []Update{u(1, Done, "")}},
	{"prefix label", "Update: 1 done, 2 dropped", three, []Update{u(1, Done, ""), u(2, Dropped, "")}},
	{"commitment word before ref", "Commitment 2 - not yet", three, []Update{u(2, NotDone, "")}},
	{"emoji", "1 ✅\n2 ❌ no time", three, []Update{u(1, Done, ""), u(2, NotDone, "no time")}},
	{"in progress", "2 in progress, halfway through the deck", three, []Update{u(2, NotDone, "halfway through the deck")}},
	{"n/a is dropped", "3 n/a", three, []Update{u(3, Dropped, "")}},
	{"none done", "None done yet, sorry - a crazy week", three,
		[]Update{u(1, NotDone, "sorry - a crazy week"), u(2, NotDone, "sorry - a crazy week"), u(3, NotDone, "sorry - a crazy week")}},
	{"both done with two", "Both done.", three[:2], []Update{u(1, Done, ""), u(2, Done, "")}},
	{"single commitment bare status", "Done! It went better than I expected.", three[:1], []Update{u(1, Done, "It went better than I expected")}},
	{"bare status with several commitments says nothing", "Done!", three, nil},
	{"French by name", "J'ai fini le plan de recrutement", []string{"Finaliser le plan de recrutement", "Parler au DAF"}, []Update{u(1, Done, "")}},
	{"German not yet by name", "Noch nicht mit dem CFO gesprochen, er ist im Urlaub", []string{"Einstellungsplan schreiben", "Mit dem CFO über das Budget sprechen"},
		[]Update{u(2, NotDone, "er ist im Urlaub")}},
	{"ambiguous name matches nothing", "finished the plan", []string{"Draft the hiring plan", "Draft the budget plan"}, nil},
	{"curly apostrophe", "didn’t get to the 1:1 with Alex", three, []Update{u(3, NotDone, "")}},
	{"CRLF", "1 done\r\n2 not yet\r\n", three, []Update{u(1, Done, ""), u(2, NotDone, "")}},
	{"upper case", "1 DONE\n2 NOT YET", three, []Update{u(1, Done, ""), u(2, NotDone, "")}},
	{"bulleted statuses", "- 1 done\n- 2 dropped, no longer needed", three, []Update{u(1, Done, ""), u(2, Dropped, "no longer needed")}},
	{"times are not refs", "Meeting at 10:30 done", three, nil},
	{"a quantity is not a status", "2 weeks went by and nothing happened", three, nil},
	{"several by name on one line", "Hiring plan is done, CFO still pending, and I dropped the Alex thing", three,
		[]Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"ordinals", "Re the commitments: first one done, second one not yet", three,
		[]Update{u(1, Done, ""), u(2, NotDone, "")}},
	{"the last one", "The last one dropped, it no longer matters", three, []Update{u(3, Dropped, "it no longer matters")}},
	{"emoji with variation selectors", "1) ✔️ 2) ✖️ 3) 🗑️", three,
		[]Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"ordinal word in a focus answer", "The first thing I want to talk about is my cofounder.", three, nil},
	{"commitment words in a focus answer", "The hiring plan is what keeps me up at night.", three, nil},
	{"spanish with dashes", "1 - hecho\n2 - no\n3 - descartado, ya no aplica", three,
		[]Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "ya no aplica")}},
	{"yes to numbers", "Yes to 1 and 2, no to 3", three, []Update{u(1, Done, ""), u(2, Done, ""), u(3, NotDone, "")}},
	{"no to a quantity is nothing", "No to 2 more meetings a week, that's my focus", three, nil},
	{"mobile signature", "1 done\n2 not yet\n\nSent from my iPhone", three, []Update{u(1, Done, ""), u(2, NotDone, "")}},
	{"empty", "", three, nil},
	// Several statements on one line, one per commitment.
	{"by name, sentence by sentence", "The hiring plan is done – sent it to HR on Monday. Haven’t talked to Priya yet.", reorg,
		[]Update{u(1, Done, "sent it to HR on Monday"), u(2, NotDone, "")}},
	{"three sentences, three commitments", "Done with the hiring plan. Still haven't talked to Priya, the budget is frozen until April so it can wait. Drop the strategy block, it never survived a single week.", reorg,
		[]Update{u(1, Done, ""), u(2, NotDone, "the budget is frozen until April so it can wait"), u(3, Dropped, "it never survived a single week")}},
	{"by name, then by number", "Done with the hiring plan. Dropped #3, no longer relevant after the merger.", reorg,
		[]Update{u(1, Done, ""), u(3, Dropped, "no longer relevant after the merger")}},
	{"a sentence on the same commitment is its comment", "Done with the hiring plan. The hiring plan is done, HR has it.", reorg,
		[]Update{u(1, Done, "The hiring plan is done, HR has it")}},
	{"statuses after a focus sentence", "Heute: mein Verhältnis zum neuen CFO. 1 erledigt, 3 fallen gelassen", reorg,
		[]Update{u(1, Done, ""), u(3, Dropped, "")}},
	// A comment ends where the reply turns to another subject.
	{"the focus after a status is no comment", "Dropped #3. Today is about getting the hiring plan to a yes.", three, []Update{u(3, Dropped, "")}},
	{"the focus after a status is no comment, without a list", "dropped #3. Today is about the reorg.", nil, []Update{u(3, Dropped, "")}},
	{"the focus after a comment is no comment", "Done with the hiring plan — it went to Priya this morning. Today is all about the CFO conversation.", three,
		[]Update{u(1, Done, "it went to Priya this morning")}},
	{"a plan after a status is no comment", "1 done. I want to talk about delegation. It keeps coming up.", three, []Update{u(1, Done, "")}},
	{"another commitment after a comment", "1 done. Priya loved it. Now the CFO conversation is what worries me.", three, []Update{u(1, Done, "Priya loved it")}},
	{"the focus after a comma comment", "3 dropped, Alex prefers fortnightly. The hiring plan is my focus.", three, []Update{u(3, Dropped, "Alex prefers fortnightly")}},
	{"the focus after a comma is no comment", "1 done - sent it Monday, today my focus is the reorg", three, []Update{u(1, Done, "sent it Monday")}},
	{"a sentence on the same commitment stays a comment", "2 not yet. The CFO is travelling until the 12th.", three, []Update{u(2, NotDone, "The CFO is travelling until the 12th")}},
	{"numbers inline, a capital after one", "1. done 2. Not yet 3. dropped", three, []Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"refs end a sentence", "Done with 1 and 3. Not yet 2.", three, []Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Done, "")}},
	// A numbered answer whose status follows a few words of its own.
	{"status later in a numbered answer", "1 Nearly there, not done yet.", three, []Update{u(1, NotDone, "Nearly there")}},
	{"status later, then a comment", "1 nearly there, not done yet, waiting on Priya", three, []Update{u(1, NotDone, "nearly there; waiting on Priya")}},
	{"status later after a linking word", "1 Good progress - still in progress.", three, []Update{u(1, NotDone, "Good progress")}},
	{"status later, dropped", "3 tough week, dropped it.", three, []Update{u(3, Dropped, "tough week")}},
	{"status later after the commitment's words", "2 Talk to the CFO about the budget, not yet", three, []Update{u(2, NotDone, "")}},
	{"inline answers numbered by the caller", "1 Nearly there, not done yet.\n2 Done — we agreed to hold two reqs until October.\n3 Dropping this one, the leads asked for fortnightly instead.", three,
		[]Update{u(1, NotDone, "Nearly there"), u(2, Done, "we agreed to hold two reqs until October"), u(3, Dropped, "the leads asked for fortnightly instead")}},
	{"status later, promised", "1 nearly there, done by Friday", three, nil},
	{"status later, a plain word", "1 great conversation, no", three, nil},
	{"status later after a quantity", "2 weeks went by, not done yet", three, nil},
	{"status later after a count", "1 thing on my mind, not done yet", three, nil},
	{"status later in a later sentence", "1 Nearly there. We are not done with the reorg, though.", three, nil},
	{"status later, not its clause's end", "1 tough week, not done anything else", three, nil},
	// Swedish, Polish, Danish and Norwegian.
	{"Swedish", "1 klar\n2 inte än, väntar på budget\n3 stryker den", sv,
		[]Update{u(1, Done, ""), u(2, NotDone, "väntar på budget"), u(3, Dropped, "")}},
	{"Swedish, one line", "1 klart, 2 inte klart än, 3 struken", sv, []Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"Swedish refs joined", "1 och 3 klara, 2 pågår", sv, []Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Done, "")}},
	{"Swedish all done", "Allt klart!", sv, []Update{u(1, Done, ""), u(2, Done, ""), u(3, Done, "")}},
	{"Swedish by name", "Rekryteringsplanen är klar.", sv, []Update{u(1, Done, "")}},
	{"Swedish done with", "Klar med rekryteringsplanen, skickade den till HR.", sv, []Update{u(1, Done, "skickade den till HR")}},
	{"Swedish not yet by name", "Jag hann inte prata med CFO:n.", sv, []Update{u(2, NotDone, "")}},
	{"Swedish focus", "Viktigast i dag är rekryteringsplanen, den ska till HR innan lunch.", sv, nil},
	{"Swedish shall be done", "Rekryteringsplanen ska vara klar till fredag.", sv, nil},
	{"Swedish must be done", "Rekryteringsplanen måste bli färdig i morgon.", sv, nil},
	{"Swedish focus after a status", "1 klar. I dag vill jag prata om delegering.", sv, []Update{u(1, Done, "")}},
	{"German clear is no status", "Das Gespräch mit dem CFO ist klar, wir machen es Montag.", de, nil},
	{"Polish", "1 zrobione\n2 jeszcze nie\n3 rezygnuję", pl, []Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"Polish with comments", "2 jeszcze nie zrobione, CFO na urlopie\n3 rezygnuję, spotkania będą co dwa tygodnie", pl,
		[]Update{u(2, NotDone, "CFO na urlopie"), u(3, Dropped, "spotkania będą co dwa tygodnie")}},
	{"Polish yes and no", "1 tak\n2 nie", pl, []Update{u(1, Done, ""), u(2, NotDone, "")}},
	{"Polish I don't know", "2 nie wiem jeszcze", pl, nil},
	{"Polish all done", "Wszystko zrobione.", pl, []Update{u(1, Done, ""), u(2, Done, ""), u(3, Done, "")}},
	{"Polish by name", "Plan rekrutacji jest gotowy.", pl, []Update{u(1, Done, "")}},
	{"Polish not yet by name", "Nie zdążyłem porozmawiać z CFO o budżecie.", pl, []Update{u(2, NotDone, "")}},
	{"Polish focus", "Dziś najważniejsze jest spotkanie z CFO o budżecie na Q3.", pl, nil},
	{"Polish must finish", "Plan rekrutacji. Muszę go skończyć do piątku.", pl, nil},
	{"Polish must be ready", "Plan rekrutacji musi być gotowy do piątku.", pl, nil},
	{"Norwegian", "1 ferdig\n2 ikke ennå, venter på budsjettet\n3 dropper det", []string{"Skrive rekrutteringsplanen", "Snakke med CFO om budsjettet", "Sette opp ukentlige 1:1"},
		[]Update{u(1, Done, ""), u(2, NotDone, "venter på budsjettet"), u(3, Dropped, "")}},
	{"Norwegian shall be done", "Rekrutteringsplanen skal være ferdig til fredag.", []string{"Skrive rekrutteringsplanen"}, nil},
	{"Danish", "1 færdig\n2 ikke endnu\n3 droppet", []string{"Skrive rekrutteringsplanen", "Tale med CFO om budgettet", "Oprette ugentlige 1:1"},
		[]Update{u(1, Done, ""), u(2, NotDone, ""), u(3, Dropped, "")}},
	{"a status symbol after a status is no comment", "Et le 2 c'est fait 👍", fr, []Update{u(2, Done, "")}},
	// Chinese, Japanese, Korean.
	{"Chinese done", "1 已完成", []string{"完成招聘计划"}, []Update{u(1, Done, "")}},
	{"Chinese done without a space", "1已完成", []string{"完成招聘计划"}, []Update{u(1, Done, "")}},
	{"Chinese not yet with a comment", "2 未完成，预算冻结了\n3 还没", three, []Update{u(2, NotDone, "预算冻结了"), u(3, NotDone, "")}},
	{"Chinese dropped", "3 放弃", three, []Update{u(3, Dropped, "")}},
	{"Chinese commitment repeated is no status", "1 完成招聘计划", []string{"完成招聘计划"}, nil},
	{"Japanese done, polite", "1 完了しました。", []string{"採用計画をまとめる"}, []Update{u(1, Done, "")}},
	{"Japanese done, inflected", "1 完了しています", three, []Update{u(1, Done, "")}},
	{"Japanese not yet", "2 まだです、予算が凍結されました\n3 未了", three, []Update{u(2, NotDone, "予算が凍結されました"), u(3, NotDone, "")}},
	{"Korean", "1 완료\n2 아직", three, []Update{u(1, Done, ""), u(2, NotDone, "")}},
	// What the leader calls the commitment is no comment.
	{"this one after the status", "> 3. Have a 1:1 with Alex\nDropping this one, it isn't realistic this quarter.", three,
		[]Update{u(3, Dropped, "it isn't realistic this quarter")}},
	{"that after the status", "2 done that, sent Monday", three, []Update{u(2, Done, "sent Monday")}},
	{"this week is a comment", "1 done this week", three, []Update{u(1, Done, "this week")}},
	// A "not yet" takes the words that complete it.
	{"not done yet", "2 not done yet", three, []Update{u(2, NotDone, "")}},
	{"not done yet, comment", "1 not done yet, nearly there", three, []Update{u(1, NotDone, "nearly there")}},
	{"not yet done", "2 not yet done - waiting on legal", three, []Update{u(2, NotDone, "waiting on legal")}},
	{"not finished yet", "2 not finished yet", three, []Update{u(2, NotDone, "")}},
	{"noch nicht erledigt", "2 noch nicht erledigt", three, []Update{u(2, NotDone, "")}},
	{"pas encore terminé", "2 pas encore terminé, le DAF est absent", three, []Update{u(2, NotDone, "le DAF est absent")}},
	{"todavía no empezado", "2 todavía no empezado", three, []Update{u(2, NotDone, "")}},
	{"not yet, then a dropped word is a comment", "2 not yet dropped", three, []Update{u(2, NotDone, "dropped")}},
	// A status asked, made conditional or promised for later is none.
	{"done by a day to come", "1 done by Friday", three, nil},
	{"done by the end of the week", "1 done by the end of the week", three, nil},
	{"done tomorrow", "1 done tomorrow", three, nil},
	{"done by someone is done", "1 done by Priya", three, []Update{u(1, Done, "by Priya")}},
	{"done before a meeting is done", "1 done before the board meeting", three, []Update{u(1, Done, "before the board meeting")}},
	{"German done by Friday", "1 erledigt bis Freitag", three, nil},
	{"French done by Friday", "1 fini d'ici vendredi", three, nil},
	{"Spanish done by Friday", "1 hecho para el viernes", three, nil},
	{"done, asked", "1 done?", three, nil},
	{"done once", "1 done once the board signs it", three, nil},
	{"by name, done by Friday", "Hiring plan: done by Friday", three, nil},
	{"by name, asked", "Is the hiring plan done? Not sure.", three, nil},
	{"by name, conditional", "If the hiring plan is done by Friday we can start.", three, nil},
	// A focus sentence that names a commitment is no status of it: the
	// status must be said of the commitment, not be a word further on.
	{"a yes in a focus sentence", "Today is about getting the hiring plan to a yes.", three, nil},
	{"a yes hoped for", "Getting the hiring plan approved, hopefully a yes from the board.", three, nil},
	{"wanted done", "The hiring plan. I want it done by Friday.", three, nil},
	{"will be done", "The hiring plan will be done soon.", three, nil},
	{"should be done", "The hiring plan should be done next week.", three, nil},
	{"need to get it done", "I need to get the hiring plan done today.", three, nil},
	{"hope to finish", "I hope to finish the hiring plan today.", three, nil},
	{"done as a subject", "Getting the hiring plan done is my focus today", three, nil},
	{"hedged", "Hiring plan hopefully done", three, nil},
	{"had to", "We had to postpone the 1:1 with Alex", three, nil},
	{"had no time", "I had no time for the 1:1 with Alex", three, nil},
	{"part of the work", "Did a first pass on the hiring plan", three, nil},
	{"asked by name", "Should I drop the 1:1 with Alex?", three, nil},
	{"a need after a negation", "Talk to the CFO about the budget before noon, without it I can't close anything.", three, nil},
	{"Spanish cannot", "Hablar con el director financiero antes de las 12, sin eso no puedo cerrar nada.", es, nil},
	{"Spanish has to be done", "El plan de contratación tiene que estar hecho el viernes.", es, nil},
	{"French wants to finish", "Le plan de recrutement, je veux le finir avant vendredi.", fr, nil},
	{"French must be finished", "Le plan de recrutement doit être fini vendredi.", fr, nil},
	{"German must be done", "Der Einstellungsplan muss erledigt werden.", de, nil},
	{"German had no time", "Habe noch keine Zeit für den Einstellungsplan gehabt", de, nil},
	{"German will", "Heute will ich den Einstellungsplan fertig machen.", de, nil},
	{"Dutch must be done", "Het wervingsplan moet vrijdag klaar zijn.", []string{"Het wervingsplan schrijven"}, nil},
	{"Italian must be finished", "Il piano delle assunzioni deve essere finito entro giovedì.", []string{"Scrivere il piano delle assunzioni"}, nil},
	{"conditional by name", "When the hiring plan is done I can relax.", three, nil},
	{"a list, then a status", "Hiring plan, then the CFO. Done.", three, nil},
	{"a yes with more to say", "Hiring plan: yes, that's the one.", three, nil},
	{"numbered, promised", "1 will be done by Friday", three, nil},
	{"numbered, hoped", "2 hopefully done by Monday", three, nil},
	{"numbered, French wants", "1 je veux le finir", three, nil},
	{"numbered, German must", "2 muss erledigt werden", three, nil},
	{"French wish", "J'aimerais que le plan de recrutement soit fait aujourd'hui.", fr, nil},
	{"French future", "Le plan de recrutement sera fini vendredi.", fr, nil},
	{"French condition", "Si le plan de recrutement est fini, je peux souffler.", fr, nil},
	{"French asked", "Parler au DAF, c'est fait ?", fr, nil},
	{"German condition", "Wenn der Einstellungsplan fertig ist, kann ich aufatmen.", de, nil},
	{"German hope", "Ich hoffe, der Einstellungsplan ist bald fertig.", de, nil},
	{"German future", "Der Einstellungsplan wird heute fertig.", de, nil},
	{"Spanish future", "El plan de contratación estará listo el viernes.", es, nil},
	{"Spanish condition", "Si el plan de contratación está listo, puedo respirar.", es, nil},
	{"Italian condition", "Se il piano delle assunzioni è finito, respiro.", []string{"Scrivere il piano delle assunzioni"}, nil},
	{"Portuguese future", "O plano de contratação vai ficar pronto amanhã.", []string{"Redigir o plano de contratação"}, nil},
	// ... while a status said of the commitment still counts.
	{"is finished", "The hiring plan is finished.", three, []Update{u(1, Done, "")}},
	{"finally done", "Hiring plan finally done, sent to Priya", three, []Update{u(1, Done, "sent to Priya")}},
	{"has been dropped", "The 1:1 with Alex has been dropped", three, []Update{u(3, Dropped, "")}},
	{"almost done is not done", "Hiring plan almost done", three, []Update{u(1, NotDone, "")}},
	{"almost done by number", "1 almost done", three, []Update{u(1, NotDone, "")}},
	{"skipped for a week is not dropped", "Skipping the 1:1 with Alex this week, he is on holiday", three, []Update{u(3, NotDone, "he is on holiday")}},
	{"a yes alone by name", "Hiring plan: yes", three, []Update{u(1, Done, "")}},
	{"an adverb before the status", "Re 2: still not done, the CFO is away.", three, []Update{u(2, NotDone, "the CFO is away")}},
	{"an adverb that opens a status", "2 still open", three, []Update{u(2, NotDone, "")}},
	{"dropped, then today", "Dropped the 1:1 with Alex, today I want to talk about delegation.", three, []Update{u(3, Dropped, "")}},
	{"cancelled this week by name and separator", "The 1:1 with Alex — cancelled this week because of the offsite.", three, []Update{u(3, NotDone, "this week because of the offsite")}},
	{"French is finished", "Le plan de recrutement est fini.", fr, []Update{u(1, Done, "")}},
	{"French by name and separator", "Plan de recrutement : terminé, envoyé à la DRH", fr, []Update{u(1, Done, "envoyé à la DRH")}},
	{"German is done", "Der Einstellungsplan ist erledigt.", de, []Update{u(1, Done, "")}},
	{"German still open", "Das Gespräch mit dem CFO ist noch offen", de, []Update{u(2, NotDone, "")}},
	{"Spanish is finished", "El plan de contratación está terminado.", es, []Update{u(1, Done, "")}},
}

// fr, de, sv, pl and es are lists a prompt in French, German, Swedish,
// Polish and Spanish shows.
var (
	fr = []string{"Finaliser le plan de recrutement", "Parler au DAF du budget T3", "Mettre en place des points hebdomadaires"}
	de = []string{"Einstellungsplan schreiben", "Mit dem CFO über das Q3-Budget sprechen", "Wöchentliche 1:1s mit den Teamleitern einrichten"}
	sv = []string{"Skriva rekryteringsplanen", "Prata med CFO:n om Q3-budgeten", "Boka veckovisa 1:1 med de nya teamledarna"}
	pl = []string{"Przygotować plan rekrutacji", "Porozmawiać z CFO o budżecie na Q3", "Ustalić cotygodniowe spotkania 1:1 z nowymi liderami zespołów"}
	es = []string{"Redactar el plan de contratación", "Hablar con el director financiero sobre el presupuesto del T3", "Organizar reuniones 1:1 semanales con los nuevos jefes de equipo"}
)

// reorg is the list of the reading package's whole-message fixtures.
var reorg = []string{"Draft the hiring plan for the platform team", "Talk to Priya about the budget overrun", "Block two hours a week for strategy"}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Parse(tc.text, tc.commitments)
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
		})
	}
}

func TestParseOrderAndRange(t *testing.T) {
	got := Parse("3 done\n1 dropped\n2 not yet\n0 done\n99 done", three)
	var refs []int
	for _, x := range got {
		refs = append(refs, x.Ref)
	}
	if want := []int{1, 2, 3}; !reflect.DeepEqual(refs, want) {
		t.Errorf("refs = %v, want %v", refs, want)
	}
}

func TestParseBounded(t *testing.T) {
	long := strings.Repeat("1 done, ", 100000)
	got := Parse(long, three)
	if len(got) != 1 || got[0].Ref != 1 {
		t.Errorf("Parse(long) = %+v, want one update for 1", got)
	}
}

func TestIsUnsubscribe(t *testing.T) {
	for _, tc := range unsubscribeCases {
		if got := IsUnsubscribe(tc.text); got != tc.want {
			t.Errorf("IsUnsubscribe(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestUnsubscribeShortcut checks that surelyNot, which turns most replies
// away before the phrases are replaced, never turns away a request, even
// one whose phrase starts or ends inside a word.
func TestUnsubscribeShortcut(t *testing.T) {
	texts := []string{"aopt outme", "xremove me", "please opt-outs", "take me offa", "no more emailsx please"}
	for _, tc := range unsubscribeCases {
		texts = append(texts, tc.text)
	}
	for _, tc := range parseCases {
		texts = append(texts, tc.text)
	}
	for _, text := range texts {
		if got, want := isUnsubscribe(text, true), isUnsubscribe(text, false); got != want {
			t.Errorf("IsUnsubscribe(%q) = %v with the shortcut, %v without", text, got, want)
		}
	}
}

var unsubscribeCases = []struct {
	text string
	want bool
}{
	{"unsubscribe", true},
	{"Unsubscribe.", true},
	{"STOP", true},
	{"stop", true},
	{"Please stop sending me these emails", true},
	{"please stop", true},
	{"Hi Sam,\n\nPlease unsubscribe me.\n\nThanks,\nMaya", true},
	{"Remove me from this list please", true},
	{"No more emails please", true},
	{"opt out", true},
	{"désabonner", true},
	{"Merci de me désabonner", true},
	{"Bitte abmelden", true},
	{"abmelden", true},
	{"Quiero darme de baja", true},
	{"descadastrar", true},
	{"Per favore cancellami", true},
	{"afmelden graag", true},
	{"uitschrijven", true},
	{"unsubscribe\n\n> On Monday, Coachmail wrote:\n> What's the most important thing?", true},
	{"I need to stop micromanaging my team.", false},
	{"Stop doing the weekly review is my commitment", false},
	{"1 done, 2 stop", false},
	{"The most important thing: how to stop firefighting", false},
	{"Don't stop these prompts, they help!", false},
	{"", false},
	{"Done", false},
}
