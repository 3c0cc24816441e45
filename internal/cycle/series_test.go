package cycle_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/calendar"
	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
)

// The series of these tests: Mondays at 09:00 in New York from 7 December
// 2026, twenty of them, the last on 19 April 2027. New York moves to
// daylight time on Sunday 14 March 2027, after the first horizon.
const (
	seriesUID   = "weekly-42@practice.example"
	seriesCount = 20
)

func newYork(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// mondays returns the starts of the series, by the calendar of the wall
// clock in New York.
func mondays(t *testing.T) []time.Time {
	ny := newYork(t)
	var out []time.Time
	for i := range seriesCount {
		out = append(out, time.Date(2026, 12, 7+7*i, 9, 0, 0, 0, ny))
	}
	return out
}

// vcalendar wraps events in a calendar object of the given method.
func vcalendar(method string, events ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//series//EN\r\nMETHOD:" + method + "\r\n" +
		strings.Join(events, "") + "END:VCALENDAR\r\n"
}

// vevent is one VEVENT of the series with the given SEQUENCE and lines.
func vevent(seq int, lines ...string) string {
	return "BEGIN:VEVENT\r\nUID:" + seriesUID + "\r\n" + fmt.Sprintf("SEQUENCE:%d\r\n", seq) +
		"ORGANIZER:mailto:" + coachAddr + "\r\nATTENDEE;CN=Dana Lee:mailto:" + leaderAddr + "\r\n" +
		"SUMMARY:Coaching\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\n"
}

// master is the series' own VEVENT, at 09:00 New York time.
func master(seq int, extra ...string) string {
	return vevent(seq, append([]string{
		"DTSTART;TZID=America/New_York:20261207T090000", "DTEND;TZID=America/New_York:20261207T100000",
		fmt.Sprintf("RRULE:FREQ=WEEKLY;COUNT=%d", seriesCount),
	}, extra...)...)
}

func (w *world) apply(ics string) cycle.InviteResult {
	w.t.Helper()
	inv, err := calendar.Read([]byte(ics))
	if err != nil {
		w.t.Fatalf("read invitation: %v", err)
	}
	coach, err := w.store.CoachByEmail(w.ctx, coachAddr)
	if err != nil {
		w.t.Fatal(err)
	}
	res, err := w.in.Cycle.ApplyInvite(w.ctx, coach, inv, []string{notesAddr})
	if err != nil {
		w.t.Fatalf("ApplyInvite: %v", err)
	}
	return res
}

// topUp moves the clock to now and tops the series up there.
func (w *world) topUp(now time.Time) cycle.TopUpResult {
	w.t.Helper()
	w.clock.Set(now)
	res, err := w.in.Cycle.TopUp(w.ctx, now)
	if err != nil || res.Failed > 0 {
		w.t.Fatalf("TopUp at %v = %+v, %v", now, res, err)
	}
	return res
}

// sessions lists the series' sessions, by start, and the scheduled ones
// starting at or after from.
func (w *world) sessions(from time.Time) (all, ahead []coaching.Session) {
	w.t.Helper()
	all, err := w.store.SessionsByCalendar(w.ctx, seriesUID)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, s := range all {
		if s.Status == coaching.SessionScheduled && !s.Start.Before(from) {
			ahead = append(ahead, s)
		}
	}
	return all, ahead
}

func starts(ss []coaching.Session) []time.Time {
	out := make([]time.Time, len(ss))
	for i, s := range ss {
		out[i] = s.Start.UTC()
	}
	return out
}

func utcAll(ts []time.Time) []time.Time {
	out := make([]time.Time, len(ts))
	for i, t := range ts {
		out[i] = t.UTC()
	}
	return out
}

// checkUnique fails when two sessions are of one occurrence.
func checkUnique(t *testing.T, all []coaching.Session) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s.RecurrenceID] {
			t.Errorf("occurrence %s has two sessions", s.RecurrenceID)
		}
		seen[s.RecurrenceID] = true
	}
}

// A weekly series of twenty: eight sessions when the invitation arrives,
// then, week after week, always the next eight until the series runs
// out, each at 09:00 in New York across the change to daylight time, each
// with its emails scheduled; a second top-up changes nothing.
func TestSeriesTopUpKeepsHorizon(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		ny := newYork(t)
		occ := mondays(t)
		w.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		if res := w.apply(vcalendar("REQUEST", master(0))); res.Created != cycle.Horizon {
			t.Fatalf("ApplyInvite created %d sessions, want %d", res.Created, cycle.Horizon)
		}
		if res := w.topUp(w.clock.Now()); res.Series != 0 || res.Created != 0 {
			t.Errorf("TopUp before any occurrence passed = %+v, want nothing read", res)
		}
		offsets := map[int]bool{}
		for passed := 1; passed <= seriesCount; passed++ {
			now := occ[passed-1].Add(time.Minute)
			w.topUp(now)
			all, ahead := w.sessions(now)
			want := occ[passed:min(passed+cycle.Horizon, seriesCount)]
			if got := starts(ahead); !slices.Equal(got, utcAll(want)) {
				t.Fatalf("after %d passed, sessions ahead start at %v, want %v", passed, got, utcAll(want))
			}
			for _, s := range ahead {
				if local := s.Start.In(ny); local.Hour() != 9 || local.Minute() != 0 || local.Weekday() != time.Monday {
					t.Errorf("session at %v, want Monday 09:00 in New York", local)
				}
				_, off := s.Start.In(ny).Zone()
				offsets[off] = true
			}
			checkUnique(t, all)

			again := w.topUp(now.Add(time.Second))
			allAgain, _ := w.sessions(now)
			if again.Created != 0 || len(allAgain) != len(all) {
				t.Fatalf("a second TopUp after %d passed = %+v and %d sessions, want no change from %d", passed, again, len(allAgain), len(all))
			}
		}
		if len(offsets) != 2 {
			t.Errorf("sessions seen at %d UTC offsets, want both of New York's (the series crosses 14 March)", len(offsets))
		}
		all, _ := w.sessions(time.Time{})
		if got := starts(all); !slices.Equal(got, utcAll(occ)) {
			t.Errorf("the series' sessions start at %v, want %v", got, utcAll(occ))
		}
		// A session made by a top-up has its emails, computed from its start.
		late := all[len(all)-1]
		emails, err := w.store.EmailsOfSession(w.ctx, late.ID)
		if err != nil {
			t.Fatal(err)
		}
		var prompt *coaching.ScheduledEmail
		for i, e := range emails {
			if e.Kind == coaching.EmailPrompt {
				prompt = &emails[i]
			}
		}
		if prompt == nil || !prompt.Due.Equal(late.Start.Add(-24*time.Hour)) {
			t.Errorf("emails of the last session = %+v, want a prompt due a day before it", emails)
		}
		s, err := w.store.SeriesByUID(w.ctx, seriesUID)
		if err != nil || s.Active() {
			t.Errorf("series after its last occurrence = %+v, %v; want stored and no longer active", s, err)
		}
	})
}

// Exclusions and changes of occurrences beyond the first horizon are
// honoured when the series gets there: an EXDATE with a time and one given
// as a DATE, an occurrence moved to the next day, one cancelled.
func TestSeriesTopUpHonoursExceptions(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		ny := newYork(t)
		occ := mondays(t)
		ics := vcalendar("REQUEST",
			master(2, "EXDATE;TZID=America/New_York:20270215T090000", "EXDATE;VALUE=DATE:20270405"),
			vevent(2, "RECURRENCE-ID;TZID=America/New_York:20270301T090000",
				"DTSTART;TZID=America/New_York:20270302T140000", "DTEND;TZID=America/New_York:20270302T150000"),
			vevent(2, "RECURRENCE-ID;TZID=America/New_York:20270322T090000", "STATUS:CANCELLED",
				"DTSTART;TZID=America/New_York:20270322T090000", "DTEND;TZID=America/New_York:20270322T100000"),
		)
		w.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		if res := w.apply(ics); res.Created != cycle.Horizon {
			t.Fatalf("ApplyInvite created %d, want %d (no exception in the first horizon)", res.Created, cycle.Horizon)
		}
		for passed := 1; passed <= seriesCount; passed++ {
			w.topUp(occ[passed-1].Add(time.Minute))
		}
		var want []time.Time
		for _, o := range occ {
			switch o.Format(time.DateOnly) {
			case "2027-02-15", "2027-04-05", "2027-03-22":
			case "2027-03-01":
				want = append(want, time.Date(2027, 3, 2, 14, 0, 0, 0, ny))
			default:
				want = append(want, o)
			}
		}
		all, _ := w.sessions(time.Time{})
		checkUnique(t, all)
		if got := starts(all); !slices.Equal(got, utcAll(want)) {
			t.Errorf("sessions start at\n  %v\nwant\n  %v", got, utcAll(want))
		}
		for _, s := range all {
			if s.Status != coaching.SessionScheduled {
				t.Errorf("session %s is %s; a cancelled occurrence should have none", s.RecurrenceID, s.Status)
			}
		}
	})
}

// Messages about one occurrence beyond the horizon, as Outlook sends them:
// a cancellation and a move, each alone. The cancelled one never becomes a
// session; the moved one is made at once at its new time, and not again.
func TestSeriesOccurrenceMessagesBeyondHorizon(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		ny := newYork(t)
		occ := mondays(t)
		w.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		w.apply(vcalendar("REQUEST", master(0)))
		w.apply(vcalendar("CANCEL", vevent(1, "RECURRENCE-ID;TZID=America/New_York:20270222T090000",
			"DTSTART;TZID=America/New_York:20270222T090000", "DTEND;TZID=America/New_York:20270222T100000", "STATUS:CANCELLED")))
		if res := w.apply(vcalendar("REQUEST", vevent(1, "RECURRENCE-ID;TZID=America/New_York:20270308T090000",
			"DTSTART;TZID=America/New_York:20270308T160000", "DTEND;TZID=America/New_York:20270308T170000"))); res.Created != 1 {
			t.Fatalf("moving one occurrence created %d, want 1", res.Created)
		}
		// The master sent again (a duplicate delivery) keeps both changes,
		// and makes nothing up to the moved occurrence months ahead.
		if res := w.apply(vcalendar("REQUEST", master(0))); res.Created+res.Updated+res.Cancelled != 0 {
			t.Errorf("the master sent again = %+v, want no change", res)
		}
		for passed := 1; passed <= seriesCount; passed++ {
			w.topUp(occ[passed-1].Add(time.Minute))
		}
		var want []time.Time
		for _, o := range occ {
			switch o.Format(time.DateOnly) {
			case "2027-02-22":
			case "2027-03-08":
				want = append(want, time.Date(2027, 3, 8, 16, 0, 0, 0, ny))
			default:
				want = append(want, o)
			}
		}
		all, _ := w.sessions(time.Time{})
		checkUnique(t, all)
		if got := starts(all); !slices.Equal(got, utcAll(want)) {
			t.Errorf("sessions start at\n  %v\nwant\n  %v", got, utcAll(want))
		}
	})
}

// A cancelled series is not topped up: its sessions are cancelled and no
// new one is made as the weeks pass.
func TestSeriesCancelledNotToppedUp(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		occ := mondays(t)
		w.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		w.apply(vcalendar("REQUEST", master(0)))
		w.topUp(occ[0].Add(2 * time.Hour)) // the first is over; nine sessions
		if res := w.apply(vcalendar("CANCEL", master(1, "STATUS:CANCELLED"))); res.Cancelled != cycle.Horizon {
			t.Errorf("cancelling the series cancelled %d sessions, want the %d ahead", res.Cancelled, cycle.Horizon)
		}
		for passed := 2; passed <= seriesCount; passed++ {
			if res := w.topUp(occ[passed-1].Add(time.Minute)); res.Series != 0 || res.Created != 0 {
				t.Fatalf("TopUp of a cancelled series = %+v, want nothing", res)
			}
		}
		all, ahead := w.sessions(time.Time{})
		if len(all) != cycle.Horizon+1 || len(ahead) != 1 {
			t.Errorf("%d sessions, %d of them scheduled; want %d, only the one before the cancellation scheduled", len(all), len(ahead), cycle.Horizon+1)
		}
		// The cancellation sent again, or an older revision, revives nothing.
		w.apply(vcalendar("REQUEST", master(0)))
		if res := w.topUp(occ[seriesCount-1].Add(time.Hour)); res.Series != 0 {
			t.Errorf("TopUp after an older revision arrived = %+v, want nothing", res)
		}
	})
}

// A new revision (a higher SEQUENCE) moving the series to 10:00 is what
// later top-ups follow; the older one arriving late changes nothing.
func TestSeriesRevision(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		ny := newYork(t)
		occ := mondays(t)
		w.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		w.apply(vcalendar("REQUEST", master(0)))
		for passed := 1; passed <= 3; passed++ {
			w.topUp(occ[passed-1].Add(time.Minute))
		}
		w.clock.Set(occ[2].Add(24 * time.Hour)) // the day after the third
		later := vevent(1, "DTSTART;TZID=America/New_York:20261207T100000", "DTEND;TZID=America/New_York:20261207T110000",
			fmt.Sprintf("RRULE:FREQ=WEEKLY;COUNT=%d", seriesCount))
		w.apply(vcalendar("REQUEST", later))
		w.apply(vcalendar("REQUEST", master(0))) // the old one, late
		for passed := 4; passed <= seriesCount; passed++ {
			w.topUp(occ[passed-1].Add(time.Minute))
		}
		all, _ := w.sessions(time.Time{})
		checkUnique(t, all)
		var scheduled []coaching.Session
		for _, s := range all {
			if s.Status == coaching.SessionScheduled {
				scheduled = append(scheduled, s)
			}
		}
		// Three at 09:00 before the change, seventeen at 10:00 after.
		var want []time.Time
		for i, o := range occ {
			if i >= 3 {
				o = o.Add(time.Hour)
			}
			want = append(want, o)
		}
		if got := starts(scheduled); !slices.Equal(got, utcAll(want)) {
			t.Errorf("scheduled sessions start at\n  %v\nwant\n  %v", got, utcAll(want))
		}
		for _, s := range scheduled[3:] {
			if s.Sequence != 1 || s.Start.In(ny).Hour() != 10 {
				t.Errorf("session at %v of revision %d, want 10:00 of revision 1", s.Start.In(ny), s.Sequence)
			}
		}
	})
}

// A series in a zone the invitation defines itself (a VTIMEZONE with a
// name no zone database knows, as Outlook writes) keeps its local time
// across the change to daylight time, which comes after the first horizon.
func TestSeriesOwnZone(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		ny := newYork(t)
		occ := mondays(t)
		const zone = "Eastern Time (Corporate)"
		vtz := "BEGIN:VTIMEZONE\r\nTZID:" + zone + "\r\n" +
			"BEGIN:STANDARD\r\nDTSTART:16011104T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD\r\n" +
			"BEGIN:DAYLIGHT\r\nDTSTART:16010311T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT\r\n" +
			"END:VTIMEZONE\r\n"
		ev := vevent(0, "DTSTART;TZID=\""+zone+"\":20261207T090000", "DTEND;TZID=\""+zone+"\":20261207T100000",
			fmt.Sprintf("RRULE:FREQ=WEEKLY;COUNT=%d", seriesCount))
		w.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		w.apply(vcalendar("REQUEST", vtz+ev))
		s, err := w.store.SeriesByUID(w.ctx, seriesUID)
		if err != nil || s.TimeZone != zone || len(s.ZoneData) == 0 {
			t.Fatalf("stored series zone %q with %d bytes of rules, %v; want %q with its rules", s.TimeZone, len(s.ZoneData), err, zone)
		}
		// Its rules, as TZif, give New York's offsets hour by hour for
		// years ahead.
		loc, err := time.LoadLocationFromTZData(s.TimeZone, s.ZoneData)
		if err != nil {
			t.Fatalf("stored zone rules: %v", err)
		}
		for at := w.clock.Now(); at.Before(w.clock.Now().AddDate(9, 0, 0)); at = at.Add(time.Hour) {
			_, got := at.In(loc).Zone()
			if _, want := at.In(ny).Zone(); got != want {
				t.Fatalf("stored zone at %v: offset %d, want %d", at, got, want)
			}
		}
		for passed := 1; passed <= seriesCount; passed++ {
			w.topUp(occ[passed-1].Add(time.Minute))
		}
		all, _ := w.sessions(time.Time{})
		if got := starts(all); !slices.Equal(got, utcAll(occ)) {
			t.Errorf("sessions start at\n  %v\nwant (09:00 in New York)\n  %v", got, utcAll(occ))
		}
		for _, s := range all {
			if s.TimeZone != zone {
				t.Errorf("session zone %q, want %q", s.TimeZone, zone)
			}
			if local := s.Start.In(ny); local.Hour() != 9 {
				t.Errorf("session at %v, want 09:00", local)
			}
		}
	})
}

// Two dispatchers topping up at once make each occurrence one session.
func TestSeriesConcurrentTopUps(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		occ := mondays(t)
		w.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		w.apply(vcalendar("REQUEST", master(0)))
		for passed := 1; passed <= 4; passed++ {
			now := occ[passed-1].Add(time.Minute)
			w.clock.Set(now)
			var wg sync.WaitGroup
			results := make([]cycle.TopUpResult, 2)
			for i := range results {
				wg.Go(func() {
					res, err := w.in.Cycle.TopUp(w.ctx, now)
					if err != nil {
						t.Errorf("TopUp: %v", err)
					}
					results[i] = res
				})
			}
			wg.Wait()
			if n := results[0].Created + results[1].Created; n != 1 {
				t.Errorf("two TopUps after %d passed created %d sessions, want 1", passed, n)
			}
		}
		all, ahead := w.sessions(occ[3].Add(time.Minute))
		checkUnique(t, all)
		if len(all) != cycle.Horizon+4 || len(ahead) != cycle.Horizon {
			t.Errorf("%d sessions, %d ahead; want %d and %d", len(all), len(ahead), cycle.Horizon+4, cycle.Horizon)
		}
	})
}

// A leader erased from coachmail is left out of later sessions of a group
// series; when no leader is left, the series is gone.
func TestSeriesLeaderErased(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		occ := mondays(t)
		group := strings.Replace(master(0), "SUMMARY:", "ATTENDEE:mailto:sam@example.org\r\nSUMMARY:", 1)
		w.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		w.apply(vcalendar("REQUEST", group))
		sam, err := w.store.LeaderByEmail(w.ctx, "sam@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.store.EraseLeader(w.ctx, sam.ID); err != nil {
			t.Fatal(err)
		}
		w.topUp(occ[0].Add(time.Minute))
		all, _ := w.sessions(time.Time{})
		if last := all[len(all)-1]; len(last.LeaderIDs) != 1 || last.LeaderIDs[0] == sam.ID {
			t.Errorf("session made after the erasure has leaders %v, want only the other one", last.LeaderIDs)
		}
		dana, err := w.store.LeaderByEmail(w.ctx, leaderAddr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.store.EraseLeader(w.ctx, dana.ID); err != nil {
			t.Fatal(err)
		}
		// The last leader's erasure takes the series (its title may name
		// them): nothing is left to top up.
		if res := w.topUp(occ[1].Add(time.Minute)); res.Series != 0 || res.Created != 0 {
			t.Errorf("TopUp with no leader left = %+v, want nothing read", res)
		}
		uid := all[0].CalendarUID
		if _, err := w.store.SeriesByUID(w.ctx, uid); !coaching.IsNotFound(err) {
			t.Errorf("SeriesByUID after the last leader's erasure: %v, want not found", err)
		}
	})
}
