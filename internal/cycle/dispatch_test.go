package cycle_test

import (
	"sync"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/calendar"
	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamotest"
)

// withLeader adds a leader and a session at start and returns them.
func (w *world) withLeader(email string, start time.Time) (coaching.Leader, coaching.Session) {
	w.t.Helper()
	l := coaching.Leader{ID: coaching.NewID(), Email: email, Name: "Sam Lee", CoachID: "coach1", TimeZone: "Europe/London"}
	if err := w.store.CreateLeader(w.ctx, l); err != nil {
		w.t.Fatal(err)
	}
	s, err := w.in.Cycle.AddSession(w.ctx, coaching.Session{CoachID: "coach1", LeaderIDs: []string{l.ID}, Start: start, End: start.Add(time.Hour)})
	if err != nil {
		w.t.Fatal(err)
	}
	return l, s
}

func forEach(t *testing.T, f func(t *testing.T, w *world)) {
	for _, srv := range dynamotest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) { f(t, newWorld(t, srv)) })
	}
}

// Two dispatchers running at once send each due email once.
func TestConcurrentDispatchers(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		start := time.Date(2026, 12, 10, 10, 0, 0, 0, time.UTC)
		for i := 0; i < 6; i++ {
			w.withLeader("leader"+string(rune('a'+i))+"@example.org", start.Add(time.Duration(i)*time.Hour))
		}
		w.clock.Set(start) // every prompt and brief is due
		second := *w.disp
		var wg sync.WaitGroup
		results := make([]cycle.Result, 2)
		for i, d := range []*cycle.Dispatcher{w.disp, &second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := d.Run(w.ctx)
				if err != nil {
					t.Errorf("Run: %v", err)
				}
				results[i] = res
			}()
		}
		wg.Wait()
		sent := w.rec.take()
		// Six prompts (due 24 hours before each session) and the briefs of
		// the three sessions that start within two hours.
		if total := results[0].Sent + results[1].Sent; total != len(sent) || len(sent) != 9 {
			t.Errorf("dispatchers sent %d+%d, recorder saw %d; want 9 in all", results[0].Sent, results[1].Sent, len(sent))
		}
		seen := map[string]bool{}
		for _, s := range sent {
			id := s.msg.Header.Get("Message-Id")
			if seen[id] {
				t.Errorf("message %s sent twice", id)
			}
			seen[id] = true
		}
		if got := w.at(start.Add(time.Minute)); len(got) != 0 {
			t.Errorf("a later run sent %d more", len(got))
		}
	})
}

// A claim whose sender died is sent by a later run after the lease, once.
func TestLeaseExpiry(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		start := time.Date(2026, 12, 10, 10, 0, 0, 0, time.UTC)
		w.withLeader("sam@example.org", start)
		w.clock.Set(start.Add(-24 * time.Hour))
		due, err := w.store.DueEmails(w.ctx, w.clock.Now(), 10)
		if err != nil || len(due) != 1 {
			t.Fatalf("DueEmails = %d, %v; want the prompt", len(due), err)
		}
		// A dispatcher claims it and dies before sending.
		if _, err := w.store.ClaimEmail(w.ctx, due[0], w.clock.Now(), w.clock.Now().Add(5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := w.at(w.clock.Now().Add(time.Minute)); len(got) != 0 {
			t.Fatalf("sent %d while the lease holds", len(got))
		}
		if got := w.at(w.clock.Now().Add(5 * time.Minute)); len(got) != 1 {
			t.Fatalf("sent %d after the lease expired, want 1", len(got))
		}
		if got := w.at(w.clock.Now().Add(10 * time.Minute)); len(got) != 0 {
			t.Fatalf("sent %d more after that, want 0", len(got))
		}
	})
}

func TestMovedAndCancelledSessions(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		start := time.Date(2026, 12, 10, 10, 0, 0, 0, time.UTC)
		_, moved := w.withLeader("moved@example.org", start)
		_, cancelled := w.withLeader("cancelled@example.org", start)
		if _, err := w.in.Cycle.MoveSession(w.ctx, moved.ID, start.Add(48*time.Hour), start.Add(49*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := w.in.Cycle.CancelSession(w.ctx, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.at(start); len(got) != 0 {
			t.Fatalf("sent %d at the old time, want 0", len(got))
		}
		got := w.at(start.Add(24 * time.Hour))
		one(t, got, "moved@example.org", "")
		emails, _ := w.store.EmailsOfSession(w.ctx, cancelled.ID)
		for _, e := range emails {
			if e.State != coaching.EmailCancelled {
				t.Errorf("email %s of the cancelled session is %s", e.Kind, e.State)
			}
		}
		// Moving it again after the prompt went keeps that prompt sent.
		if _, err := w.in.Cycle.MoveSession(w.ctx, moved.ID, start.Add(72*time.Hour), start.Add(73*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := w.at(start.Add(48 * time.Hour)); len(got) != 0 {
			t.Errorf("a second prompt went out after the move: %d", len(got))
		}
	})
}

func TestUnreachableLeaders(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		start := time.Date(2026, 12, 10, 10, 0, 0, 0, time.UTC)
		l, _ := w.withLeader("gone@example.org", start)
		w.withLeader("bounced@example.org", start)
		l.Unsubscribed, l.Version = true, 1
		if err := w.store.UpdateLeader(w.ctx, l); err != nil {
			t.Fatal(err)
		}
		if err := w.store.Suppress(w.ctx, "bounced@example.org", "bounce", w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		w.clock.Set(start.Add(-24 * time.Hour))
		res, err := w.disp.Run(w.ctx)
		if err != nil || res.Sent != 0 || res.Skipped != 2 {
			t.Errorf("Run = %+v, %v; want both prompts skipped", res, err)
		}
	})
}

// A weekly series with one occurrence excluded and one moved.
func TestSeriesWithException(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n" +
			"BEGIN:VEVENT\r\nUID:s-7@practice.example\r\nSEQUENCE:1\r\nDTSTART;TZID=America/New_York:20261102T090000\r\n" +
			"DTEND;TZID=America/New_York:20261102T100000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=America/New_York:20261109T090000\r\n" +
			"ORGANIZER:mailto:" + coachAddr + "\r\nATTENDEE:mailto:" + leaderAddr + "\r\nEND:VEVENT\r\n" +
			"BEGIN:VEVENT\r\nUID:s-7@practice.example\r\nSEQUENCE:1\r\nRECURRENCE-ID;TZID=America/New_York:20261116T090000\r\n" +
			"DTSTART;TZID=America/New_York:20261117T140000\r\nDTEND;TZID=America/New_York:20261117T150000\r\n" +
			"ORGANIZER:mailto:" + coachAddr + "\r\nATTENDEE:mailto:" + leaderAddr + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		inv, err := calendar.Read([]byte(ics))
		if err != nil {
			t.Fatal(err)
		}
		coach, _ := w.store.CoachByEmail(w.ctx, coachAddr)
		w.clock.Set(time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC))
		res, err := w.in.Cycle.ApplyInvite(w.ctx, coach, inv, []string{notesAddr})
		if err != nil || res.Created != 3 {
			t.Fatalf("ApplyInvite = %+v, %v; want 3 sessions (4 less the EXDATE)", res, err)
		}
		ny, _ := time.LoadLocation("America/New_York")
		want := []time.Time{
			time.Date(2026, 11, 2, 9, 0, 0, 0, ny), // the Monday after New York's DST change
			time.Date(2026, 11, 17, 14, 0, 0, 0, ny),
			time.Date(2026, 11, 23, 9, 0, 0, 0, ny),
		}
		sessions, _ := w.store.SessionsByCalendar(w.ctx, "s-7@practice.example")
		starts := map[time.Time]bool{}
		for _, s := range sessions {
			starts[s.Start.UTC()] = true
		}
		for _, t0 := range want {
			if !starts[t0.UTC()] {
				t.Errorf("no session at %v among %v", t0, starts)
			}
		}
		// The same revision again changes nothing; an older one is ignored.
		res, err = w.in.Cycle.ApplyInvite(w.ctx, coach, inv, []string{notesAddr})
		if err != nil || res.Created+res.Updated+res.Cancelled != 0 {
			t.Errorf("re-applying = %+v, %v; want no change", res, err)
		}
		// The prompt of the first session (Monday 2 November, 09:00 New York,
		// the day after New York leaves DST) goes 24 hours before it on the
		// leader's wall clock: the leader was made from the invitation with
		// the coach's zone, Europe/London, already back on GMT.
		got := w.at(time.Date(2026, 11, 1, 9, 0, 0, 0, ny))
		one(t, got, leaderAddr, "")
	})
}

func TestEnsureCoaches(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		for i := 0; i < 2; i++ {
			if err := w.in.Cycle.EnsureCoaches(w.ctx, []string{coachAddr, "New.Coach@Practice.example"}); err != nil {
				t.Fatalf("EnsureCoaches (run %d): %v", i+1, err)
			}
		}
		c, err := w.store.CoachByEmail(w.ctx, "new.coach@practice.example")
		if err != nil || c.Name != "new.coach" {
			t.Errorf("bootstrap coach = %+v, %v", c, err)
		}
		if c, _ := w.store.CoachByEmail(w.ctx, coachAddr); c.ID != "coach1" {
			t.Errorf("an existing coach was replaced: %+v", c)
		}
	})
}
