package cycle

import (
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// The wall clock of the leader's zone decides, across DST changes.
func TestBeforeAcrossDST(t *testing.T) {
	london := mustZone(t, "Europe/London")
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		name  string
		start time.Time
		d     time.Duration
		loc   *time.Location
		want  time.Time
	}{
		// Clocks go forward on Sunday 29 March 2026 in London: a Monday
		// 10:00 session gets its prompt on Sunday 10:00 BST, 23 hours before.
		{"london spring prompt", time.Date(2026, 3, 30, 10, 0, 0, 0, london), 24 * time.Hour, london, time.Date(2026, 3, 29, 10, 0, 0, 0, london)},
		// A session on the Sunday of the change itself, 10:00 BST.
		{"london spring sunday", time.Date(2026, 3, 29, 10, 0, 0, 0, london), 24 * time.Hour, london, time.Date(2026, 3, 28, 10, 0, 0, 0, london)},
		{"london autumn sunday", time.Date(2026, 10, 25, 9, 0, 0, 0, london), 24 * time.Hour, london, time.Date(2026, 10, 24, 9, 0, 0, 0, london)},
		{"london brief 2h over the gap", time.Date(2026, 3, 29, 3, 0, 0, 0, london), 2 * time.Hour, london, time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)},
		// New York: second Sunday of March and first Sunday of November.
		{"ny spring sunday", time.Date(2026, 3, 8, 10, 0, 0, 0, ny), 24 * time.Hour, ny, time.Date(2026, 3, 7, 10, 0, 0, 0, ny)},
		{"ny autumn sunday", time.Date(2026, 11, 1, 10, 0, 0, 0, ny), 24 * time.Hour, ny, time.Date(2026, 10, 31, 10, 0, 0, 0, ny)},
		{"ny three days", time.Date(2026, 11, 3, 9, 30, 0, 0, ny), 72 * time.Hour, ny, time.Date(2026, 10, 31, 9, 30, 0, 0, ny)},
		{"utc 26h", time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC), 26 * time.Hour, nil, time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got := Before(tt.start, tt.d, tt.loc)
		if !got.Equal(tt.want) {
			t.Errorf("%s: Before(%v, %v) = %v, want %v", tt.name, tt.start, tt.d, got.In(tt.want.Location()), tt.want)
		}
	}
}

func TestPreSession(t *testing.T) {
	london := mustZone(t, "Europe/London")
	start := time.Date(2026, 3, 30, 10, 0, 0, 0, london)
	s := coaching.Session{ID: "s1", CoachID: "c1", LeaderIDs: []string{"l1", "l2", "l3"}, Start: start, End: start.Add(time.Hour), Status: coaching.SessionScheduled}
	p := Party{
		Coach: coaching.Coach{ID: "c1", TimeZone: "Europe/London"},
		Leaders: []coaching.Leader{
			{ID: "l1", TimeZone: "Europe/London"},
			{ID: "l2", TimeZone: "America/New_York", Offsets: coaching.Offsets{Prompt: 48 * time.Hour}},
			{ID: "l3", Unsubscribed: true},
		},
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	got := PreSession(s, p, now)
	if len(got) != 3 {
		t.Fatalf("PreSession = %d emails, want 3 (two prompts, one brief)", len(got))
	}
	want := map[string]time.Time{
		"prompt/l1": time.Date(2026, 3, 29, 10, 0, 0, 0, london),
		"prompt/l2": start.Add(-48 * time.Hour), // no DST change in New York between those days
		"brief/":    time.Date(2026, 3, 30, 8, 0, 0, 0, london),
	}
	for _, e := range got {
		key := string(e.Kind) + "/" + e.LeaderID
		if w, ok := want[key]; !ok || !e.Due.Equal(w) {
			t.Errorf("%s due %v, want %v", key, e.Due, w)
		}
		if e.State != coaching.EmailPending || e.SessionID != "s1" || e.CoachID != "c1" || e.ID == "" {
			t.Errorf("%s = %+v, want a pending email of s1 for c1 with an id", key, e)
		}
	}
	// Late booking: the prompt goes now, not never; a past session gets nothing.
	late := now.Add(-time.Hour)
	s.Start, s.End = now.Add(3*time.Hour), now.Add(4*time.Hour)
	for _, e := range PreSession(s, p, now) {
		if !e.Due.Equal(now) && e.Kind == coaching.EmailPrompt {
			t.Errorf("late prompt due %v, want now %v", e.Due, now)
		}
	}
	s.Start = late
	if got := PreSession(s, p, now); len(got) != 0 {
		t.Errorf("PreSession of a past session = %d emails, want 0", len(got))
	}
}

func TestPostSession(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := coaching.Session{ID: "s1", CoachID: "c1", LeaderIDs: []string{"l1"}, Start: start, End: start.Add(time.Hour)}
	p := Party{Coach: coaching.Coach{ID: "c1"}, Leaders: []coaching.Leader{{ID: "l1"}}}
	notes := start.Add(2 * time.Hour)
	next := coaching.Session{Start: start.AddDate(0, 0, 14)}
	tests := []struct {
		name string
		next map[string]coaching.Session
		want time.Time
	}{
		{"before next session", map[string]coaching.Session{"l1": next}, next.Start.AddDate(0, 0, -3)},
		{"no next session", nil, s.End.AddDate(0, 0, 7)},
		{"next too close", map[string]coaching.Session{"l1": {Start: s.End.Add(24 * time.Hour)}}, s.End.AddDate(0, 0, 7)},
	}
	for _, tt := range tests {
		got := PostSession(s, p, notes, tt.next)
		if len(got) != 2 || got[0].Kind != coaching.EmailRecap || got[1].Kind != coaching.EmailReminder {
			t.Fatalf("%s: PostSession = %+v, want a recap and a reminder", tt.name, got)
		}
		if !got[0].Due.Equal(notes.Add(30 * time.Minute)) {
			t.Errorf("%s: recap due %v, want notes + 30m", tt.name, got[0].Due)
		}
		if !got[1].Due.Equal(tt.want) {
			t.Errorf("%s: reminder due %v, want %v", tt.name, got[1].Due, tt.want)
		}
	}
}
