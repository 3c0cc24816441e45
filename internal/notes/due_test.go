package notes

import (
	"testing"
	"time"
)

// Fixed reference times: a Wednesday afternoon in Paris, a Friday, and a
// Wednesday in New York.
var (
	paris   = time.FixedZone("", 3600)
	wedRef  = time.Date(2026, 2, 11, 17, 30, 0, 0, paris) // Wednesday 11 February 2026
	friRef  = time.Date(2026, 2, 13, 9, 0, 0, 0, paris)   // Friday 13 February 2026
	newYork = mustLoad("America/New_York")
	usRef   = time.Date(2026, 2, 11, 11, 30, 0, 0, newYork)
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The zone database may be missing on a minimal machine; the offset
		// and abbreviation carry the same cue.
		return time.FixedZone("EST", -5*3600)
	}
	return loc
}

func TestFindDue(t *testing.T) {
	cases := []struct {
		text string
		ref  time.Time
		want string // "" when no due date
	}{
		{"Draft the hiring plan by Friday", wedRef, "2026-02-13"},
		{"Draft the hiring plan by Friday", friRef, "2026-02-20"}, // on a Friday, a week later
		{"Send it this Friday", friRef, "2026-02-13"},
		{"Send it this Friday", wedRef, "2026-02-13"},
		{"Book the offsite by next Friday", wedRef, "2026-02-20"},
		{"Call Alex by Monday", wedRef, "2026-02-16"},
		{"Call Alex by Wednesday", wedRef, "2026-02-18"},
		{"Talk to Alex on Thursday", wedRef, "2026-02-12"},
		{"Finish before 3 March", wedRef, "2026-03-03"},
		{"Finish by 3/3", wedRef, "2026-03-03"},
		{"Finish by 3/4", wedRef, "2026-04-03"},   // day-first
		{"Finish by 3/4", usRef, "2026-03-04"},    // English text, US zone: month-first
		{"Finish by 25/12", usRef, "2026-12-25"},  // unambiguous
		{"Finish by 12/25", wedRef, "2026-12-25"}, // unambiguous
		{"Finish by 3/3/27", wedRef, "2027-03-03"},
		{"Finish by 03.03.2026", wedRef, "2026-03-03"},
		{"Bis 3.3. fertigstellen", wedRef, "2026-03-03"},
		{"Review it next week", wedRef, "2026-02-20"},
		{"Review it this week", wedRef, "2026-02-13"},
		{"Close the books by the end of the month", wedRef, "2026-02-28"},
		{"Close the books by end of month", wedRef, "2026-02-28"},
		{"Close the books by EOM", wedRef, "2026-02-28"},
		{"Hire by the end of next month", wedRef, "2026-03-31"},
		{"Hire next month", wedRef, "2026-03-31"},
		{"Ship by end of Q2", wedRef, "2026-06-30"},
		{"Ship by the end of the quarter", wedRef, "2026-03-31"},
		{"Ship by the end of March", wedRef, "2026-03-31"},
		{"Ship by end of year", wedRef, "2026-12-31"},
		{"Call her tomorrow", wedRef, "2026-02-12"},
		{"Call her the day after tomorrow", wedRef, "2026-02-13"},
		{"Send the memo by EOD", wedRef, "2026-02-11"},
		{"Send the memo by end of day", wedRef, "2026-02-11"},
		{"Send the memo today", wedRef, "2026-02-11"},
		{"Check in again in two weeks", wedRef, "2026-02-25"},
		{"Check in again in 2 weeks", wedRef, "2026-02-25"},
		{"Check in again in 10 days", wedRef, "2026-02-21"},
		{"Check in within a week", wedRef, "2026-02-18"},
		{"Check in in a month", wedRef, "2026-03-11"},
		{"Check in in a fortnight", wedRef, "2026-02-25"},
		{"Check in two weeks from today", wedRef, "2026-02-25"},
		{"Renew the contract on 2026-12-01", wedRef, "2026-12-01"},
		{"Renew the contract by Dec 1", wedRef, "2026-12-01"},
		{"Renew the contract by 1 December", wedRef, "2026-12-01"},
		{"Renew the contract by December 1st", wedRef, "2026-12-01"},
		{"Renew the contract by the 1st of December", wedRef, "2026-12-01"},
		{"Renew the contract by March 3rd, 2027", wedRef, "2027-03-03"},
		{"Renew the contract by 10 January", wedRef, "2027-01-10"}, // passed: next year
		{"Talk to the CFO before the board meeting on 3 March", wedRef, "2026-03-03"},
		{"Pay by the 15th", wedRef, "2026-02-15"},
		{"Pay by the 5th", wedRef, "2026-03-05"},
		{"Talk to Alex on Monday and finish the deck before 3 March", wedRef, "2026-03-03"}, // the deadline wins
		// French
		{"Préparer le plan d'ici vendredi", wedRef, "2026-02-13"},
		{"Parler au DAF avant le 3 mars", wedRef, "2026-03-03"},
		{"Relancer l'équipe la semaine prochaine", wedRef, "2026-02-20"},
		{"Clôturer à la fin du mois", wedRef, "2026-02-28"},
		{"Faire le point dans deux semaines", wedRef, "2026-02-25"},
		{"Appeler Marc demain", wedRef, "2026-02-12"},
		{"Appeler Marc après-demain", wedRef, "2026-02-13"},
		{"Envoyer le mail vendredi prochain", wedRef, "2026-02-20"},
		// German
		{"Bis Freitag mit der CFO sprechen", wedRef, "2026-02-13"},
		{"Den Plan bis zum 3. März fertigstellen", wedRef, "2026-03-03"},
		{"Nächste Woche das Team informieren", wedRef, "2026-02-20"},
		{"Bis Ende des Monats abschließen", wedRef, "2026-02-28"},
		{"In zwei Wochen nachfassen", wedRef, "2026-02-25"},
		{"Morgen anrufen", wedRef, "2026-02-12"},
		{"Am Morgen joggen", wedRef, ""},
		// Spanish
		{"Hablar con el CFO antes del viernes", wedRef, "2026-02-13"},
		{"Enviar el plan antes del 3 de marzo", wedRef, "2026-03-03"},
		{"Revisarlo la próxima semana", wedRef, "2026-02-20"},
		{"Revisarlo la semana que viene", wedRef, "2026-02-20"},
		{"Llamar mañana", wedRef, "2026-02-12"},
		{"Correr por la mañana", wedRef, ""},
		{"Volver a hablar en dos semanas", wedRef, "2026-02-25"},
		// Portuguese
		{"Falar com o CFO até sexta-feira", wedRef, "2026-02-13"},
		{"Enviar o plano até 3 de março", wedRef, "2026-03-03"},
		{"Rever na próxima semana", wedRef, "2026-02-20"},
		{"Fechar até o fim do mês", wedRef, "2026-02-28"},
		// Dutch
		{"Voor vrijdag de CFO bellen", wedRef, "2026-02-13"},
		{"Volgende week het team informeren", wedRef, "2026-02-20"},
		{"Over twee weken terugkoppelen", wedRef, "2026-02-25"},
		{"Voor het eind van de maand afronden", wedRef, "2026-02-28"},
		// Italian
		{"Parlare con il CFO entro venerdì", wedRef, "2026-02-13"},
		{"Rivedere la settimana prossima", wedRef, "2026-02-20"},
		{"Risentirsi tra due settimane", wedRef, "2026-02-25"},
		// Weekday abbreviations, and the words they also are
		{"Agree the escalation path by Fri", wedRef, "2026-02-13"},
		{"Publish the priorities by Thu.", wedRef, "2026-02-12"},
		{"Call the CFO by Mon", wedRef, "2026-02-16"},
		{"Book the venue before Sat", wedRef, "2026-02-14"},
		{"Send the memo next Mon", wedRef, "2026-02-16"},
		{"Send the memo by weds", wedRef, "2026-02-18"},
		{"Envoyer le plan d'ici ven.", wedRef, "2026-02-13"},
		{"Appeler Marc avant jeu", wedRef, "2026-02-12"},
		{"Prioritäten bis Fr. schicken", wedRef, "2026-02-13"},
		{"Budget bis Mo klären", wedRef, "2026-02-16"},
		{"Am Do mit Karin sprechen", wedRef, "2026-02-12"},
		{"Enviar el plan antes del vie", wedRef, "2026-02-13"},
		{"Llamar a Marta hasta el jue", wedRef, "2026-02-12"},
		{"Enviar o plano até sex", wedRef, "2026-02-13"},
		{"Plan voor vr naar Karin sturen", wedRef, "2026-02-13"},
		{"Inviare il piano entro gio", wedRef, "2026-02-12"},
		{"Préparer le plan avant mon départ", wedRef, ""},
		{"Revoir le jeu de données", wedRef, ""},
		{"She sat on the board for years", wedRef, ""},
		{"Fechar o plano antes do prazo", wedRef, ""},
		{"Das Team bis so weit bringen", wedRef, ""},
		// Not due dates
		{"Run the stand-up every Friday", wedRef, ""},
		{"Since last Friday she has been quieter", wedRef, ""},
		{"Stop attending the ops review from next week", wedRef, ""},
		{"Starting Monday, delegate the reporting", wedRef, ""},
		{"Be reachable 24/7 no more", wedRef, ""},
		{"Spend 3.5 hours a week on strategy", wedRef, ""},
		{"Have a 1:1 with Alex", wedRef, ""},
		{"Plan 3-4 weeks of onboarding", wedRef, ""},
		{"Talk to the CFO after the board meeting on 3 March", wedRef, ""},
		{"She may 2x the team", wedRef, ""},
		{"Talk to Marco 3 times", wedRef, ""},
		{"Draft the hiring plan", wedRef, ""},
	}
	for _, tc := range cases {
		d, ok := findDue(tc.text, tc.ref, guessOrder(tc.text, tc.ref, english(tc.text)))
		got := ""
		if ok {
			got = d.Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("findDue(%q, %s) = %q, want %q", tc.text, tc.ref.Format("Mon 2006-01-02 MST"), got, tc.want)
		}
	}
}

func TestDueEdges(t *testing.T) {
	cases := []struct {
		text string
		ref  time.Time
		want string
	}{
		// 29 February rolls to the next leap year.
		{"Celebrate by 29 February", time.Date(2027, 3, 1, 9, 0, 0, 0, paris), "2028-02-29"},
		// A month from 31 January is the end of February, not 3 March.
		{"Review in a month", time.Date(2026, 1, 31, 9, 0, 0, 0, paris), "2026-02-28"},
		// The day is the reference's own: late evening in New York is
		// already the next day in UTC.
		{"Send it tomorrow", time.Date(2026, 2, 11, 23, 30, 0, 0, time.FixedZone("", -5*3600)), "2026-02-12"},
		// "end of this week" on a Saturday is the coming Friday.
		{"Wrap up by end of the week", time.Date(2026, 2, 14, 9, 0, 0, 0, paris), "2026-02-20"},
		// Today is the last day of the month.
		{"Close by end of month", time.Date(2026, 2, 28, 9, 0, 0, 0, paris), "2026-02-28"},
		// 31 April does not exist.
		{"Submit by 31 April", wedRef, ""},
	}
	for _, tc := range cases {
		d, ok := findDue(tc.text, tc.ref, dayFirst)
		got := ""
		if ok {
			got = d.Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("findDue(%q, %s) = %q, want %q", tc.text, tc.ref.Format(time.RFC3339), got, tc.want)
		}
	}
}

func TestGuessOrder(t *testing.T) {
	cases := []struct {
		name string
		text string
		ref  time.Time
		want numOrder
	}{
		{"Paris, English", "Send it by 3/4", wedRef, dayFirst},
		{"New York, English", "Send it by 3/4", usRef, monthFirst},
		{"numeric US offset, English", "Send it by 3/4", time.Date(2026, 2, 11, 9, 0, 0, 0, time.FixedZone("", -7*3600)), monthFirst},
		{"PST abbreviation", "Send it by 3/4", time.Date(2026, 2, 11, 9, 0, 0, 0, time.FixedZone("PST", -8*3600)), monthFirst},
		{"Mexico offset, Spanish", "Enviar el plan antes del 3/4 para que el equipo lo revise", time.Date(2026, 2, 11, 9, 0, 0, 0, time.FixedZone("", -6*3600)), dayFirst},
		{"text settles it", "Review on 12/20, then send by 3/4", wedRef, monthFirst},
		{"text settles it the other way", "Review on 20/12, then send by 3/4", usRef, dayFirst},
		{"UTC", "Send it by 3/4", time.Date(2026, 2, 11, 9, 0, 0, 0, time.UTC), dayFirst},
	}
	for _, tc := range cases {
		if got := guessOrder(tc.text, tc.ref, english(tc.text)); got != tc.want {
			t.Errorf("%s: guessOrder(%q) = %v, want %v", tc.name, tc.text, got, tc.want)
		}
	}
}
