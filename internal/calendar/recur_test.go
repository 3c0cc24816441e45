package calendar

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/teambition/rrule-go"
)

func readFixture(t testing.TB, name string) *Invite {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Read(data)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return inv
}

func readString(t testing.TB, ics string) *Invite {
	t.Helper()
	inv, err := Read([]byte(ics))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return inv
}

// TestOccurrencesKeepLocalTime checks series across daylight-saving
// changes: every occurrence keeps the wall-clock time of DTSTART in the
// event's zone, and its offset is the tz database's at that instant. The
// DST dates come from the tz database, not from the test.
func TestOccurrencesKeepLocalTime(t *testing.T) {
	for _, tt := range []struct {
		fixture, zone string
		clock         string // local start time of every occurrence
		n             int    // occurrences expected
		change        string // a DST change the series must cross (local date)
	}{
		{"google-weekly-london-exdate.ics", "Europe/London", "10:00", 7, "2024-10-27"},
		{"google-series-override.ics", "Europe/London", "08:30", 4, "2025-03-30"},
		{"thunderbird-london-march.ics", "Europe/London", "09:30", 4, "2024-03-31"},
		{"outlook-eastern-weekly-dst.ics", "America/New_York", "09:00", 5, "2025-03-09"},
		{"apple-biweekly-ny-dst.ics", "America/New_York", "07:15", 6, "2024-11-03"},
		{"outlook-mac-display-name-tz.ics", "America/New_York", "17:00", 4, "2025-11-02"},
		{"outlook-customized-tz.ics", "Europe/Berlin", "09:00", 5, "2025-03-30"},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			inv := readFixture(t, tt.fixture)
			loc := mustLoad(t, tt.zone)
			var offsets []int
			crossed := false
			n := 0
			for _, o := range inv.Occurrences(inv.Start, 50) {
				if o.RecurrenceID.Equal(o.Start) == false || o.Cancelled {
					continue // moved or cancelled by an override
				}
				n++
				local := o.Start.In(loc)
				if got := local.Format("15:04"); got != tt.clock {
					t.Errorf("occurrence %s starts at %s local, want %s", o.Start.Format(time.RFC3339), got, tt.clock)
				}
				_, want := local.Zone()
				if _, got := o.Start.Zone(); got != want {
					t.Errorf("occurrence %s has offset %d, want %d", o.Start.Format(time.RFC3339), got, want)
				}
				if len(offsets) > 0 && offsets[len(offsets)-1] != want {
					crossed = true
				}
				offsets = append(offsets, want)
				if got, want := o.End.Sub(o.Start), inv.End.Sub(inv.Start); got != want {
					t.Errorf("occurrence %s lasts %v, want %v", o.Start.Format(time.RFC3339), got, want)
				}
			}
			if n != tt.n {
				t.Errorf("%d regular occurrences, want %d", n, tt.n)
			}
			change, _ := time.ParseInLocation("2006-01-02", tt.change, loc)
			_, before := change.Add(-time.Hour).Zone()
			_, after := change.Add(25 * time.Hour).Zone()
			if before == after {
				t.Fatalf("test data: %s is no DST change in %s", tt.change, tt.zone)
			}
			if !crossed {
				t.Errorf("series never changed offset, but crosses %s", tt.change)
			}
		})
	}
}

// TestOccurrencesOverrides checks EXDATE, a moved and a cancelled
// occurrence, and that from filters on the moved start.
func TestOccurrencesOverrides(t *testing.T) {
	inv := readFixture(t, "google-series-override.ics")
	london := mustLoad(t, "Europe/London")
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, london)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	occ := inv.Occurrences(at("2025-03-25 00:00"), 10)
	want := []struct {
		start, rid string
		cancelled  bool
	}{
		{"2025-04-03 16:00", "2025-03-31 08:30", false}, // moved from Monday to Thursday
		{"2025-04-07 08:30", "2025-04-07 08:30", false},
		{"2025-04-14 08:30", "2025-04-14 08:30", true},
		{"2025-04-21 08:30", "2025-04-21 08:30", false},
	}
	if len(occ) != len(want) {
		t.Fatalf("Occurrences = %d, want %d: %v", len(occ), len(want), occ)
	}
	for i, w := range want {
		if !occ[i].Start.Equal(at(w.start)) || !occ[i].RecurrenceID.Equal(at(w.rid)) || occ[i].Cancelled != w.cancelled {
			t.Errorf("occurrence %d = %s (rid %s, cancelled %v), want %s (rid %s, cancelled %v)", i,
				occ[i].Start.In(london).Format("2006-01-02 15:04"), occ[i].RecurrenceID.In(london).Format("2006-01-02 15:04"),
				occ[i].Cancelled, w.start, w.rid, w.cancelled)
		}
	}
	if got := inv.Occurrences(at("2025-03-25 00:00"), 2); len(got) != 2 || !got[1].Start.Equal(at("2025-04-07 08:30")) {
		t.Errorf("Occurrences(max 2) = %v, want the moved one and 7 April", got)
	}
	if got := inv.Occurrences(at("2025-03-25 00:00"), 0); got != nil {
		t.Errorf("Occurrences(max 0) = %v, want nil", got)
	}
}

// TestOccurrencesBounded runs rules with very many occurrences and rules
// that never match: each call must return, with at most max results.
func TestOccurrencesBounded(t *testing.T) {
	t.Run("daily count 150000", func(t *testing.T) {
		inv := readFixture(t, "hostile-count-150000.ics")
		occ := inv.Occurrences(inv.Start, 10)
		if len(occ) != 10 {
			t.Fatalf("Occurrences(start, 10) = %d, want 10", len(occ))
		}
		for i := 1; i < len(occ); i++ {
			if got := occ[i].Start.Sub(occ[i-1].Start); got < 23*time.Hour || got > 25*time.Hour {
				t.Errorf("occurrences %d and %d are %v apart, want a day", i-1, i, got)
			}
		}
		// Reachable within the limit: about 200 years in.
		if got := inv.Occurrences(inv.Start.AddDate(200, 0, 0), 10); len(got) != 10 {
			t.Errorf("Occurrences(+200y, 10) = %d, want 10", len(got))
		}
		// Past the limit (occurrence 100,000 is in 2298): nothing, quickly.
		if got := inv.Occurrences(inv.Start.AddDate(300, 0, 0), 10); len(got) != 0 {
			t.Errorf("Occurrences(+300y, 10) = %d, want 0 (beyond ExpansionLimit)", len(got))
		}
		if got := inv.Occurrences(inv.Start, ExpansionLimit*10); len(got) != ExpansionLimit {
			t.Errorf("Occurrences(start, huge) = %d, want ExpansionLimit (%d)", len(got), ExpansionLimit)
		}
	})
	t.Run("secondly", func(t *testing.T) {
		inv := readFixture(t, "hostile-secondly.ics")
		if got := inv.Occurrences(inv.Start.Add(time.Hour), 5); len(got) != 5 || !got[0].Start.Equal(inv.Start.Add(time.Hour)) {
			t.Errorf("Occurrences(+1h, 5) = %v, want 5 from +1h", got)
		}
		if got := inv.Occurrences(inv.Start.AddDate(0, 0, 30), 5); len(got) != 0 {
			t.Errorf("Occurrences(+30d, 5) = %d, want 0 (beyond ExpansionLimit)", len(got))
		}
	})
	for _, tt := range []struct {
		rule string
		kept bool // false: Read finds the rule can never match and drops it
	}{
		{"FREQ=MINUTELY;INTERVAL=60;BYMINUTE=5", true},            // rrule-go never returns on this one
		{"FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=23", true}, // nor on this one
		{"FREQ=HOURLY;INTERVAL=24;BYHOUR=5", true},                // hours never reached
		{"FREQ=SECONDLY;INTERVAL=7;BYHOUR=0;BYMINUTE=0;BYSECOND=0", true},
		{"FREQ=WEEKLY;INTERVAL=1000;COUNT=1000000", true},
		{"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", true}, // every 28 years or so
		{"FREQ=YEARLY;BYWEEKNO=53;BYDAY=SU", true},
		{"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", false},
		{"FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", false},
		{"FREQ=MONTHLY;INTERVAL=12;BYMONTH=6;BYMONTHDAY=31", false},
	} {
		t.Run(tt.rule, func(t *testing.T) {
			inv := readString(t, "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:x\nORGANIZER:mailto:a@b.test\n"+
				"DTSTART:20250101T000000Z\nDURATION:PT1M\nRRULE:"+tt.rule+"\nEND:VEVENT\nEND:VCALENDAR\n")
			if got := inv.RRule != ""; got != tt.kept {
				t.Fatalf("rule kept = %v, want %v (warnings %q)", got, tt.kept, inv.Warnings)
			}
			for _, from := range []time.Time{inv.Start, inv.Start.AddDate(1, 0, 0), inv.Start.AddDate(500, 0, 0)} {
				if got := inv.Occurrences(from, 20); len(got) > 20 {
					t.Errorf("Occurrences(%s, 20) = %d, want at most 20", from.Format("2006"), len(got))
				}
			}
			if !tt.kept {
				if got := inv.Occurrences(inv.Start, 20); len(got) != 1 {
					t.Errorf("Occurrences of a never-matching rule = %d, want DTSTART only", len(got))
				}
			}
		})
	}
}

// TestSubDailyMatchesRRuleGo compares the bounded HOURLY, MINUTELY and
// SECONDLY expansion with rrule-go's on rules rrule-go handles safely.
func TestSubDailyMatchesRRuleGo(t *testing.T) {
	start := time.Date(2025, 1, 30, 22, 15, 10, 0, time.UTC)
	for _, rule := range []string{
		"FREQ=HOURLY",
		"FREQ=HOURLY;INTERVAL=5;BYDAY=MO,WE",
		"FREQ=HOURLY;BYMINUTE=0,30;COUNT=30",
		"FREQ=HOURLY;BYMINUTE=10,20,50;BYSETPOS=-1",
		"FREQ=HOURLY;INTERVAL=3;BYHOUR=1,9,10,22;BYMONTHDAY=1,-1",
		"FREQ=HOURLY;BYMONTH=3;BYHOUR=9",
		"FREQ=MINUTELY;INTERVAL=15;BYHOUR=9,10",
		"FREQ=MINUTELY;INTERVAL=7;BYSECOND=0,30;BYMONTHDAY=1,-1",
		"FREQ=MINUTELY;BYYEARDAY=32,-1;BYHOUR=0;BYMINUTE=0,59",
		"FREQ=MINUTELY;INTERVAL=90;UNTIL=20250202T000000Z",
		"FREQ=SECONDLY;INTERVAL=45;COUNT=50",
		"FREQ=SECONDLY;BYHOUR=23;BYMINUTE=59;BYSECOND=58,59",
		"FREQ=SECONDLY;INTERVAL=13;BYDAY=SA;BYMINUTE=0",
	} {
		t.Run(rule, func(t *testing.T) {
			opt, err := rrule.StrToROption(rule)
			if err != nil {
				t.Fatal(err)
			}
			opt.Dtstart = start
			ref, err := rrule.NewRRule(*opt)
			if err != nil {
				t.Fatal(err)
			}
			refNext := ref.Iterator()
			budget := ExpansionLimit
			next := subDaily(*opt, &budget)
			for i := 0; i < 200; i++ {
				want, wantOK := refNext()
				got, gotOK := next()
				if got != want || gotOK != wantOK {
					t.Fatalf("instance %d = %s %v, want %s %v", i, got.Format(time.RFC3339), gotOK, want.Format(time.RFC3339), wantOK)
				}
				if !wantOK {
					break
				}
			}
		})
	}
}

// TestOccurrencesHandBuilt checks that an Invite built by hand (not by
// Read) expands from its exported fields.
func TestOccurrencesHandBuilt(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	start := time.Date(2025, 3, 5, 9, 0, 0, 0, ny)
	inv := &Invite{
		Start:   start,
		End:     start.Add(45 * time.Minute),
		RRule:   "FREQ=WEEKLY;COUNT=4",
		ExDates: []time.Time{start.AddDate(0, 0, 14)},
	}
	occ := inv.Occurrences(start, 10)
	want := []time.Time{start, start.AddDate(0, 0, 7), start.AddDate(0, 0, 21)}
	if len(occ) != len(want) {
		t.Fatalf("Occurrences = %d, want %d", len(occ), len(want))
	}
	for i, w := range want {
		if !occ[i].Start.Equal(w) || occ[i].End.Sub(occ[i].Start) != 45*time.Minute {
			t.Errorf("occurrence %d = %s..%s, want %s for 45m", i, occ[i].Start, occ[i].End, w)
		}
	}
}

// TestOccurrencesAllDayDST checks that a daily all-day series keeps
// midnight-to-midnight days across a change (a 23-hour day).
func TestOccurrencesAllDayDST(t *testing.T) {
	inv := readString(t, "BEGIN:VCALENDAR\nMETHOD:REQUEST\nX-WR-TIMEZONE:Europe/London\nBEGIN:VEVENT\nUID:x\n"+
		"ORGANIZER:mailto:a@b.test\nDTSTART;VALUE=DATE:20250329\nRRULE:FREQ=DAILY;COUNT=3\nEND:VEVENT\nEND:VCALENDAR\n")
	london := mustLoad(t, "Europe/London")
	occ := inv.Occurrences(inv.Start, 10)
	if len(occ) != 3 {
		t.Fatalf("Occurrences = %d, want 3", len(occ))
	}
	for _, o := range occ {
		s, e := o.Start.In(london), o.End.In(london)
		if s.Format("15:04") != "00:00" || e.Format("15:04") != "00:00" || e.YearDay()-s.YearDay() != 1 {
			t.Errorf("all-day occurrence %s..%s, want midnight to next midnight", s, e)
		}
	}
	if got := occ[1].End.Sub(occ[1].Start); got != 23*time.Hour {
		t.Errorf("30 March 2025 lasts %v in London, want 23h", got)
	}
}

// TestOccurrencesConcurrent runs Occurrences from several goroutines on an
// invite whose zone is a VTIMEZONE definition (which caches transitions).
func TestOccurrencesConcurrent(t *testing.T) {
	inv := readFixture(t, "custom-tzid-history.ics")
	want := fmt.Sprint(inv.Occurrences(inv.Start, 4))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := fmt.Sprint(inv.Occurrences(inv.Start, 4)); got != want {
				t.Errorf("concurrent Occurrences = %s, want %s", got, want)
			}
		}()
	}
	wg.Wait()
}

func BenchmarkOccurrences(b *testing.B) {
	for _, name := range []string{"outlook-customized-tz.ics", "hostile-count-150000.ics", "hostile-secondly.ics"} {
		inv := readFixture(b, name)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				inv.Occurrences(inv.Start.AddDate(1, 0, 0), 8)
			}
		})
	}
}

func BenchmarkFiresEver(b *testing.B) {
	for _, rule := range []string{"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=WEEKLY;BYDAY=MO"} {
		opt, err := rrule.StrToROption(rule)
		if err != nil {
			b.Fatal(err)
		}
		opt.Dtstart = time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
		b.Run(rule, func(b *testing.B) {
			for b.Loop() {
				firesEver(*opt)
			}
		})
	}
}

// TestOccurrencesOverrideWithoutStart checks overrides that carry only a
// RECURRENCE-ID: a cancelled one cancels its occurrence, another one is
// ignored rather than deleting the occurrence.
func TestOccurrencesOverrideWithoutStart(t *testing.T) {
	inv := readString(t, "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:s\nORGANIZER:mailto:a@b.test\n"+
		"DTSTART;TZID=Europe/London:20250106T090000\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;COUNT=3\nEND:VEVENT\n"+
		"BEGIN:VEVENT\nUID:s\nRECURRENCE-ID;TZID=Europe/London:20250113T090000\nSTATUS:CANCELLED\nEND:VEVENT\n"+
		"BEGIN:VEVENT\nUID:s\nRECURRENCE-ID;TZID=Europe/London:20250120T090000\nSUMMARY:no start\nEND:VEVENT\n"+
		"END:VCALENDAR\n")
	occ := inv.Occurrences(inv.Start, 10)
	if len(occ) != 3 {
		t.Fatalf("Occurrences = %d, want 3: %v", len(occ), occ)
	}
	for i, wantCancelled := range []bool{false, true, false} {
		if occ[i].Cancelled != wantCancelled || occ[i].End.Sub(occ[i].Start) != time.Hour {
			t.Errorf("occurrence %d = %v cancelled %v, want cancelled %v lasting 1h", i, occ[i].Start, occ[i].Cancelled, wantCancelled)
		}
		if want := inv.Start.AddDate(0, 0, 7*i); !occ[i].Start.Equal(want) {
			t.Errorf("occurrence %d starts %v, want %v", i, occ[i].Start, want)
		}
	}
}
