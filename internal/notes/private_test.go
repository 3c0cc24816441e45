package notes

import (
	"strings"
	"testing"
)

// TestPrivateNeverItem feeds notes that mix items with the coach's private
// observations, in the shapes coaches write them, and checks that no item
// carries a word of the observation while the leader's item is still found.
func TestPrivateNeverItem(t *testing.T) {
	cases := []struct {
		name, text, secret, item string
	}{
		{"observation line after an action label", "Action: send the memo by Friday\nShe seemed tired.", "tired", "memo"},
		{"private label after a decision label", "Decision: keep the team as it is\nPrivate: she sounds exhausted", "exhausted", "keep the team"},
		{"obs after shorthand lines", "Decision: stop attending the ops sync\nReframe: saying no protects the team's focus\nobs: lots of \"we should\", energy low", "we should", "ops sync"},
		{"demeanour after a long label line", "Commitment: send the quarterly memo to the whole leadership team by Friday\nHe looked relieved when we agreed he would delegate.", "relieved", "quarterly memo"},
		{"lower-case remark after a long label line", "Commitment: send the quarterly memo to the whole leadership team by Friday\nworried about how Paolo will take it", "paolo", "quarterly memo"},
		{"remark among bullets", "Next steps\n- Send the memo by Friday\nHis energy was much lower than last time\n- Call Alex", "energy", "memo"},
		{"indented remark under a bullet", "Actions\n- Send the memo by Friday\n  She was close to tears when we got to the reorg\n- Call Alex", "tears", "memo"},
		{"remark in a plain-line section", "Actions\n\nSend the memo by Friday.\n\nShe sounded flat all session.", "flat", "memo"},
		{"paragraph's later sentence", "Decisions\nKeep the platform team together. She seemed relieved to have decided.", "relieved", "platform team"},
		{"note to self in prose", "She'll send the memo by Friday. Note to self: she avoids her manager.", "manager", "memo"},
		{"coach notes heading", "Decisions\n- Keep the team\n\nCoach notes\n- She decided to quit if the reorg goes ahead\n- Will tell nobody yet", "quit", "keep the team"},
		{"for me label", "Actions\n- Send the memo by Friday\nFor me: check in on burnout next time", "burnout", "memo"},
		{"private aside", "- Send the memo by Friday (note to self: she dreads it)", "dreads", "memo"},
		{"abbreviated label after a sentence", "- Send the memo by Friday. Obs. lots of we-should talk", "should", "memo"},
		{"trailing remark", "- Send the memo by Friday — seemed anxious about it", "anxious", "memo"},
		{"French", "Décision : garder l'équipe actuelle\nPrivé : elle semblait épuisée et au bord des larmes", "larmes", "garder"},
		{"French observation label", "Action : envoyer le plan d'ici vendredi\nObservation : très tendue au début", "tendue", "plan"},
		{"German", "Nächste Schritte: Bis Freitag mit dem CFO sprechen\nNotiz für mich: wirkte erschöpft und gereizt", "gereizt", "cfo"},
		{"German observation label", "Entscheidung: Das Team bleibt zusammen\nBeobachtung: sehr angespannt beim Thema Vorstand", "vorstand", "team"},
		{"Spanish", "Decisión: mantener el equipo actual\nNota privada: parecía agotada, casi llora", "llora", "equipo"},
		{"Spanish observation label", "Acción: enviar el plan antes del viernes\nObservación: muy tensa con su jefe", "jefe", "plan"},
		{"Portuguese", "Decisão: manter a equipa atual\nObservação: parecia cansada e na defensiva", "defensiva", "equipa"},
		{"Dutch", "Besluit: het team blijft bij elkaar\nNotitie voor mezelf: leek moe, weinig energie", "moe", "team"},
		{"Italian", "Decisione: tenere il team com'è\nOsservazione: sembrava stanca e preoccupata", "preoccupata", "team"},
		{"second sentence after a label", "Decision: keep the team as it is. She was clearly relieved.", "relieved", "keep the team"},
		{"note label before an observation", "Actions\n- Send the memo by Friday\nNote: she seemed tired", "tired", "memo"},
		{"ratings among bullets", "Actions\n- Send the memo by Friday\n- Energy: 4/10\n- Mood: flat", "mood", "memo"},
		{"heading marked private, then a blank line", "Coach reflections (private)\n\n- She decided she will quit if the reorg goes ahead\n\nActions\n- Send the memo by Friday", "quit", "memo"},
		{"not for the leader", "Notes (not for Maya):\n\n- She decided she will quit if the reorg goes ahead\n\nDecisions\n- Keep the team as it is", "quit", "keep the team"},
		{"not-for aside", "Decision: keep the team as it is (not for Maya: she is exhausted)", "exhausted", "keep the team"},
		{"coach's reading with a decision", "I noticed she lit up about product, and she decided to explore it.\n\nShe'll send the memo by Friday.", "explore", "memo"},
		{"description among plain-line actions", "Actions\n\nSend the memo by Friday.\n\nShe has been carrying the team alone for months.", "carrying", "memo"},
		{"Spanish without a subject", "Acción: enviar el plan antes del viernes\nSe la veía cansada.\nEstaba agotada al final.", "agotada", "plan"},
		{"Portuguese without a subject", "Ação: enviar o plano até sexta\nEstava visivelmente cansada.", "cansada", "plano"},
		{"private heading then prose", "Observations\nShe decided she will leave if nothing changes.\n\nActions\n- Send the memo by Friday", "leave", "memo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Extract(tc.text, wedRef)
			found := false
			for _, it := range got {
				low := strings.ToLower(it.Text)
				if strings.Contains(low, tc.secret) {
					t.Errorf("item %s %q carries the private %q", it.Kind, it.Text, tc.secret)
				}
				found = found || strings.Contains(low, tc.item)
			}
			if !found {
				t.Errorf("no item holds %q: %+v", tc.item, got)
			}
		})
	}
}

func TestObservation(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"She seemed tired.", true},
		{"Seemed more relaxed than last time", true},
		{"He looked relieved when we agreed he would delegate the forecast.", true},
		{"Maya sounded flat.", true},
		{"Energy low.", true},
		{"Her energy was much lower than last session", true},
		{"Low energy today", true},
		{"Visibly relieved.", true},
		{"She visibly relaxed once we named it.", true},
		{"He was on the defensive about Paolo", true},
		{"She's exhausted", true},
		{"Exhausted, close to tears.", true},
		{"I noticed she lit up when talking about product.", true},
		{"My sense is that he is scared of the CEO.", true},
		{"Elle semblait épuisée.", true},
		{"Il avait l'air soulagé.", true},
		{"Sie wirkte erschöpft.", true},
		{"Ich hatte den Eindruck, dass er Angst hat.", true},
		{"Parecía agotada.", true},
		{"Ella estaba muy tensa.", true},
		{"Parecia cansada.", true},
		{"Ze leek moe.", true},
		{"Sembrava stanca.", true},
		// Items and other sentences that are no observations.
		{"Keep an energy log for the next two weeks", false},
		{"She looked at the numbers and decided to cut the travel budget.", false},
		{"He looks forward to the offsite", false},
		{"She'll send the memo by Friday.", false},
		{"It's not a capability gap, it's a clarity gap.", false},
		{"I'm not slowing the company down, I'm protecting the runway.", false},
		{"She is not failing at delegation; she is delegating without context.", false},
		{"Feedback is a gift not an attack", false},
		{"The team isn't slow, they're waiting for him.", false},
		{"Il semble que la meilleure option soit de garder l'équipe.", false},
		{"Her team is low on capacity, so she'll hire a contractor.", false},
		{"Hannah keeps the Berlin team as a separate unit.", false},
		{"Book the energy audit", false},
		{"You seem to believe you must have every answer.", false},
		{"You seemed tired today.", true},
		{"Energy: 4/10", true},
		{"A bit flat.", true},
		{"ben v stressed re: reorg, sleeping badly", true},
		{"Alex tired but ok", true},
		{"She teared up when we talked about her father", true},
		{"She's under a lot of pressure from the board", true},
		{"Close to burnout.", true},
		{"Close the Graz pilot at the end of the quarter", false},
		{"Review the stressed systems with the CTO", false},
		{"Se la veía cansada.", true},
		{"Estaba agotada al final.", true},
		{"Estava visivelmente cansada.", true},
		{"Era molto stanca.", true},
		{"Era evidente que el plan funcionaba.", false},
		{"Stress high", true},
		{"Rate energy 1-10 each evening", false},
		{"Calmer meetings: start each with the decision needed", false},
		{"Frustrated customers: call the top 5 by Friday", false},
	}
	for _, tc := range cases {
		if got := observation(tc.text); got != tc.want {
			t.Errorf("observation(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestPrivateLine(t *testing.T) {
	cases := []struct {
		text        string
		whole, priv bool
	}{
		{"Obs: seemed tired", false, true},
		{"obs. tired", false, true},
		{"Observations", true, true},
		{"Key observations:", true, true},
		{"Private notes", true, true},
		{"Note to self - ask about her manager", false, true},
		{"Coach's notes: avoids conflict", false, true},
		{"My notes:", true, true},
		{"Seemed tired today (private)", false, true},
		{"(Private) she seems exhausted", false, true},
		{"Privé : elle semblait épuisée", false, true},
		{"Notiz für mich: wirkte erschöpft", false, true},
		{"Nota privada: parecía agotada", false, true},
		{"Observação: parecia cansada", false, true},
		{"Notitie voor mezelf: leek moe", false, true},
		{"Osservazione: sembrava stanca", false, true},
		{"Coach reflections (private)", true, true},
		{"Notes (not for Maya):", true, true},
		{"Pas pour Claire : elle semblait épuisée", false, true},
		{"Just for me: she reminds me of my old boss", false, true},
		{"Coach’s notes: avoids the CEO topic", false, true},
		{"Watch: her energy when the CEO comes up", false, true},
		{"PRIVATE", true, true},
		// Not private.
		{"My notes from today's session", false, false},
		{"Session notes", false, false},
		{"Notes: call Alex", false, false},
		{"Decision: keep the team", false, false},
		{"Send the memo by Friday (private: she is tired)", false, false}, // only the aside: see dropPrivate
		{"Observe how the team reacts", false, false},
	}
	for _, tc := range cases {
		whole, priv := privateLine(tc.text)
		if priv != tc.priv || (priv && whole != tc.whole) {
			t.Errorf("privateLine(%q) = %v, %v; want %v, %v", tc.text, whole, priv, tc.whole, tc.priv)
		}
	}
}

// TestUnits checks which lines are joined as one wrapped item and which
// start one of their own.
func TestUnits(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"wrapped at the client's width",
			"She'll talk to the CFO about the budget before the board meeting\non 3 March and the offsite.",
			[]string{"She'll talk to the CFO about the budget before the board meeting on 3 March and the offsite."}},
		{"short line ending on an article", "Send the memo to the\nboard by Friday",
			[]string{"Send the memo to the board by Friday"}},
		{"short line then a linking word", "Send the draft escalation policy\nbefore the board meeting",
			[]string{"Send the draft escalation policy before the board meeting"}},
		{"wrapped before a name", "Action: talk to the head of engineering and to\nKarin about the budget",
			[]string{"Action: talk to the head of engineering and to Karin about the budget"}},
		{"short line then a sentence", "Action: send the memo by Friday\nShe seemed tired.",
			[]string{"Action: send the memo by Friday", "She seemed tired."}},
		{"short line then lower case", "Act: send memo by Fri\nenergy low",
			[]string{"Act: send memo by Fri", "energy low"}},
		{"long line then a sentence opener", "Reframe: the team isn't slow, the priorities are unclear to them\nThe board meets on Monday",
			[]string{"Reframe: the team isn't slow, the priorities are unclear to them", "The board meets on Monday"}},
		{"long line then an unknown label", "Reframe: the team isn't slow, the priorities are unclear to them\nMood: flat",
			[]string{"Reframe: the team isn't slow, the priorities are unclear to them", "Mood: flat"}},
		{"long line then a private label", "Reframe: the team isn't slow, the priorities are unclear to them\nobs: lots of we should",
			[]string{"Reframe: the team isn't slow, the priorities are unclear to them", "obs: lots of we should"}},
		{"long line then an observation", "Commitment: send the quarterly memo to the leadership team by Friday\nshe looked exhausted",
			[]string{"Commitment: send the quarterly memo to the leadership team by Friday", "she looked exhausted"}},
		{"indented under a bullet", "- Talk to the CFO about the budget\n  before the board meeting",
			[]string{"Talk to the CFO about the budget before the board meeting"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := strings.Split(tc.text, "\n")
			ls := make([]line, len(raw))
			for i, r := range raw {
				ls[i] = parseLine(r)
			}
			var got []string
			for _, u := range units(ls) {
				got = append(got, u.text)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("units(%q)\n got  %q\n want %q", tc.text, got, tc.want)
			}
		})
	}
}
