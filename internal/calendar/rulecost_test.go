package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/hostile"
	"github.com/teambition/rrule-go"
)

// seq lists the integers from..to as an RRULE list.
func seq(from, to int) string {
	s := make([]string, 0, to-from+1)
	for i := from; i <= to; i++ {
		s = append(s, fmt.Sprint(i))
	}
	return strings.Join(s, ",")
}

// padded lists v n times, with 0..n-1 leading zeros: n spellings of one value.
func padded(v string, n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = strings.Repeat("0", i) + v
	}
	return strings.Join(s, ",")
}

func parseRule(t testing.TB, rule string) rrule.ROption {
	t.Helper()
	opt, err := rrule.StrToROption(rule)
	if err != nil {
		t.Fatalf("StrToROption(%q): %v", rule, err)
	}
	return *opt
}

// TestPeriodCost checks the bound on one period's work against values
// worked out by hand from RFC 5545 §3.3.10's expand-or-limit table.
func TestPeriodCost(t *testing.T) {
	for _, tt := range []struct {
		rule string
		want int
	}{
		// Rules from real invitations: the DTSTART day, or few days.
		{"FREQ=WEEKLY", 1},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", 2},
		{"FREQ=MONTHLY;BYDAY=2TH", 1},
		{"FREQ=MONTHLY;BYDAY=MO", 5},
		{"FREQ=MONTHLY;BYMONTHDAY=1,15,-1", 3},
		{"FREQ=YEARLY", 1},
		{"FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU", 2},
		{"FREQ=YEARLY;BYDAY=20MO", 1},
		{"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", 25 + 366},
		{"FREQ=DAILY", 1},
		{"FREQ=DAILY;BYMONTH=1;BYDAY=MO", 1}, // limits only
		// Times of day expand for DAILY and coarser rules.
		{"FREQ=DAILY;BYHOUR=9,17", 2},
		{"FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9,12;BYMINUTE=0,30", 2 * 4},
		{"FREQ=YEARLY;BYMONTH=6;BYHOUR=0,12;BYMINUTE=0,15,30,45;BYSECOND=0,30", 1 * 2 * 4 * 2},
		// Sub-daily rules expand only what is finer than the period.
		{"FREQ=HOURLY;BYHOUR=9,10,11;BYMINUTE=0,30", 2},
		{"FREQ=HOURLY;BYMINUTE=0,30;BYSECOND=0,20,40", 6},
		{"FREQ=MINUTELY;BYHOUR=9;BYSECOND=0,30", 2},
		{"FREQ=SECONDLY;BYMONTHDAY=1;BYHOUR=1;BYMINUTE=1;BYSECOND=1", 1},
		// Day lists bound each other: the tightest wins.
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=" + seq(1, 31), 31},
		{"FREQ=YEARLY;BYMONTHDAY=1,-1", 24},
		{"FREQ=YEARLY;BYMONTH=" + seq(1, 12) + ";BYMONTHDAY=" + seq(1, 31), 366},
		{"FREQ=YEARLY;BYYEARDAY=1,100,-1;BYMONTHDAY=" + seq(1, 31), 3},
		{"FREQ=YEARLY;BYWEEKNO=1,2", 20},
		{"FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", 2}, // a week number can reach into a second week
		{"FREQ=YEARLY;BYDAY=MO,FR", 106},
		{"FREQ=YEARLY;BYMONTH=1,7;BYDAY=MO,FR", 20},
		{"FREQ=YEARLY;BYMONTH=1,7;BYDAY=1MO,-1FR", 4},
		{"FREQ=MONTHLY;BYDAY=1MO,MO", 6}, // rrule-go intersects the two: an upper bound
		{"FREQ=WEEKLY;BYDAY=1MO", 1},     // an ordinal means nothing weekly
		{"FREQ=WEEKLY;BYMONTHDAY=" + seq(1, 31), 7},
		// BYSETPOS costs a year of days per position, whatever the frequency.
		{"FREQ=DAILY;BYHOUR=9,17;BYSETPOS=1", 2 + 366},
		{"FREQ=YEARLY;BYSETPOS=" + seq(1, 30), 1 + 30*366},
		// The hostile corpus' rule: every second of every day of the year.
		{"FREQ=YEARLY;BYMONTH=" + seq(1, 12) + ";BYMONTHDAY=" + seq(1, 31) +
			";BYHOUR=" + seq(0, 23) + ";BYMINUTE=" + seq(0, 59) + ";BYSECOND=" + seq(0, 59), 366 * 86400},
		{"FREQ=HOURLY;BYMINUTE=" + seq(0, 59) + ";BYSECOND=" + seq(0, 59), 3600},
	} {
		opt := parseRule(t, tt.rule)
		if got := periodCost(opt); got != tt.want {
			t.Errorf("periodCost(%.80s) = %d, want %d", tt.rule, got, tt.want)
		}
	}
}

// TestPeriodCostBoundsRRuleGo checks that the days-times part of the cost
// is an upper bound of what rrule-go yields in each period: were it not,
// a rule could do more work than the limit allows.
func TestPeriodCostBoundsRRuleGo(t *testing.T) {
	for _, rule := range []string{
		"FREQ=YEARLY",
		"FREQ=YEARLY;BYMONTH=2,3;BYHOUR=9,10",
		"FREQ=YEARLY;BYMONTHDAY=1,-1;BYMINUTE=0,30",
		"FREQ=YEARLY;BYMONTH=1,7;BYDAY=MO,FR",
		"FREQ=YEARLY;BYMONTH=1,7;BYDAY=1MO,-1FR,2TU",
		"FREQ=YEARLY;BYDAY=SU",
		"FREQ=YEARLY;BYDAY=1MO,-1MO,20WE",
		"FREQ=YEARLY;BYWEEKNO=1,53;BYDAY=MO,SU",
		"FREQ=YEARLY;BYWEEKNO=-1",
		"FREQ=YEARLY;BYWEEKNO=1",
		"FREQ=YEARLY;BYWEEKNO=1,-1,53",
		"FREQ=YEARLY;BYYEARDAY=1,60,-1,366",
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=" + seq(1, 31),
		"FREQ=MONTHLY",
		"FREQ=MONTHLY;BYDAY=1MO,-1FR,3WE",
		"FREQ=MONTHLY;BYDAY=MO,FR",
		"FREQ=MONTHLY;BYMONTHDAY=" + seq(1, 31) + ";BYHOUR=1,2",
		"FREQ=MONTHLY;BYYEARDAY=" + seq(1, 40),
		"FREQ=MONTHLY;BYWEEKNO=1,2,3,4,5,6",
		"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=8,20",
		"FREQ=WEEKLY;WKST=SU;BYDAY=SU,SA",
		"FREQ=WEEKLY;BYMONTHDAY=" + seq(1, 31),
		"FREQ=DAILY;BYHOUR=9,12,18;BYMINUTE=0,30;BYSECOND=0,59",
		"FREQ=HOURLY;BYMINUTE=0,15,30,45;BYSECOND=0,30",
		"FREQ=MINUTELY;INTERVAL=7;BYSECOND=0,10,20",
	} {
		t.Run(rule, func(t *testing.T) {
			opt := parseRule(t, rule)
			bound := periodDays(opt) * timesPerDay(opt)
			// A DTSTART at the very start of a period (a Monday, 1 January
			// 2024, a leap year) lets the first period be whole.
			opt.Dtstart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			r, err := rrule.NewRRule(opt)
			if err != nil {
				t.Fatal(err)
			}
			counts := make(map[int64]int)
			next := r.Iterator()
			for range 5_000 {
				at, ok := next()
				if !ok {
					break
				}
				counts[periodOf(opt, at)]++
			}
			if len(counts) < 2 {
				t.Fatalf("rule yielded %d periods, want at least 2 to compare", len(counts))
			}
			for p, n := range counts {
				if n > bound {
					t.Errorf("period %d has %d instances, bound %d", p, n, bound)
				}
			}
		})
	}
}

// periodOf numbers the period of the rule's frequency that holds t.
func periodOf(opt rrule.ROption, t time.Time) int64 {
	switch opt.Freq {
	case rrule.YEARLY:
		return int64(t.Year())
	case rrule.MONTHLY:
		return int64(t.Year())*12 + int64(t.Month())
	case rrule.WEEKLY:
		wkst := time.Weekday((opt.Wkst.Day() + 1) % 7) // rrule-go counts from Monday
		back := (int(t.Weekday()) - int(wkst) + 7) % 7
		return t.AddDate(0, 0, -back).Truncate(24*time.Hour).Unix() / 86400
	case rrule.DAILY:
		return t.Unix() / 86400
	case rrule.HOURLY:
		return t.Unix() / 3600
	case rrule.MINUTELY:
		return t.Unix() / 60
	default:
		return t.Unix()
	}
}

// TestTidyRule checks that repeated list values, however spelled, count
// once, and that nothing else changes.
func TestTidyRule(t *testing.T) {
	opt := parseRule(t, "FREQ=DAILY;BYHOUR="+padded("9", 5)+",17;BYDAY=MO,1MO,MO;BYSETPOS=-1,1,-1")
	tidyRule(&opt)
	if got, want := fmt.Sprint(opt.Byhour), "[9 17]"; got != want {
		t.Errorf("Byhour = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(opt.Byweekday), "[MO +1MO]"; got != want {
		t.Errorf("Byweekday = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(opt.Bysetpos), "[-1 1]"; got != want {
		t.Errorf("Bysetpos = %s, want %s", got, want)
	}
	if opt.Freq != rrule.DAILY {
		t.Errorf("Freq = %v, want DAILY", opt.Freq)
	}
}

// hostileCalendar builds the hostile corpus' case and returns its
// text/calendar body.
func hostileCalendar(t *testing.T, name string) []byte {
	t.Helper()
	c, ok := hostile.Lookup(name)
	if !ok {
		t.Fatalf("hostile case %q not found", name)
	}
	raw, err := c.Build(hostile.Params{})
	if err != nil {
		t.Fatalf("build %s: %v", name, err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("%s is %s, want a text/calendar message", name, ct)
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// allocated returns the bytes f allocates. The tests of this package do
// not run in parallel, so the count is f's own (and the runtime's few).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestCostlyRules reads and expands rules whose periods hold millions of
// candidates, or which walk long with repeated or useless list values:
// each must cost little memory, and be dropped (DTSTART alone remaining)
// exactly when over PeriodLimit. Before the limit the hostile corpus' rule
// allocated 378 MiB in Read and as much again in Occurrences.
func TestCostlyRules(t *testing.T) {
	const maxAlloc = 16 << 20
	event := func(start, rule string) []byte {
		return []byte("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:x\r\nORGANIZER:mailto:a@b.test\r\n" +
			"DTSTART:" + start + "\r\nDURATION:PT1H\r\nRRULE:" + rule + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	}
	day := 24 * time.Hour
	for _, tt := range []struct {
		name string
		data func(t *testing.T) []byte
		kept bool
		from time.Duration // Occurrences from DTSTART plus this
		want int           // occurrences wanted (of 16) when kept
	}{
		{name: "hostile corpus calendar-byrule-expansion",
			data: func(t *testing.T) []byte { return hostileCalendar(t, "calendar-byrule-expansion") }},
		{name: "every second of a month",
			data: func(*testing.T) []byte {
				return event("20250101T090000Z", "FREQ=MONTHLY;BYMONTHDAY="+seq(1, 31)+";BYHOUR="+seq(0, 23)+
					";BYMINUTE="+seq(0, 59)+";BYSECOND="+seq(0, 59))
			}},
		{name: "every minute of the working days of a year",
			data: func(*testing.T) []byte {
				return event("20250101T090000Z", "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR="+seq(8, 18)+";BYMINUTE="+seq(0, 59))
			}},
		{name: "a rarely matching day with 366 set positions",
			data: func(*testing.T) []byte {
				return event("17340101T090000Z", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYSETPOS="+seq(1, 366))
			}},
		{name: "a VTIMEZONE observance naming every second of the year",
			data: func(t *testing.T) []byte {
				data, err := os.ReadFile(filepath.Join("testdata", "hostile-vtimezone-byrule.ics"))
				if err != nil {
					t.Fatal(err)
				}
				return data
			},
			// The event's own rule is weekly and kept; the zone is not.
			kept: true, from: 7 * day, want: 16},
		{name: "one hour spelled 100 ways in each list",
			data: func(*testing.T) []byte {
				return event("20250101T000000Z", "FREQ=DAILY;BYHOUR="+padded("1", 100)+";BYMINUTE="+padded("1", 100)+
					";BYSECOND="+padded("1", 100))
			},
			kept: true, from: 365 * day, want: 16},
		{name: "hourly, every second, asked a year on",
			data: func(*testing.T) []byte {
				return event("20250101T000000Z", "FREQ=HOURLY;BYMINUTE="+seq(0, 59)+";BYSECOND="+seq(0, 59))
			},
			// 3,600 instances an hour exhaust ExpansionLimit in 28 hours.
			kept: true, from: 365 * day, want: 0},
		{name: "hourly, every second, asked an hour on",
			data: func(*testing.T) []byte {
				return event("20250101T000000Z", "FREQ=HOURLY;BYMINUTE="+seq(0, 59)+";BYSECOND="+seq(0, 59))
			},
			kept: true, from: time.Hour, want: 16},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data(t)
			var inv *Invite
			var err error
			var occ []Occurrence
			n := allocated(func() {
				inv, err = Read(data)
				if err == nil {
					occ = inv.Occurrences(inv.Start.Add(tt.from), 16)
				}
			})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if n > maxAlloc {
				t.Errorf("Read and Occurrences allocated %d MiB, want under %d MiB", n>>20, maxAlloc>>20)
			}
			if got := inv.RRule != ""; got != tt.kept {
				t.Fatalf("rule kept = %v, want %v (warnings %q)", got, tt.kept, inv.Warnings)
			}
			if !tt.kept {
				if !hasWarning(inv, "expands too far") {
					t.Errorf("warnings %q, want one saying the rule expands too far", inv.Warnings)
				}
				if len(occ) != 1 || !occ[0].Start.Equal(inv.Start) {
					t.Errorf("Occurrences = %v, want DTSTART only", occ)
				}
				return
			}
			if len(occ) != tt.want {
				t.Errorf("Occurrences(start+%v, 16) = %d, want %d", tt.from, len(occ), tt.want)
			}
			for i := 1; i < len(occ); i++ {
				if !occ[i].Start.After(occ[i-1].Start) {
					t.Errorf("occurrence %d at %v not after %v", i, occ[i].Start, occ[i-1].Start)
				}
			}
		})
	}
}

// TestCostlyRuleHandBuilt checks that Occurrences guards an Invite built by
// hand, whose rule Read never saw.
func TestCostlyRuleHandBuilt(t *testing.T) {
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	inv := &Invite{
		Start: start,
		End:   start.Add(time.Hour),
		RRule: "FREQ=YEARLY;BYMONTH=" + seq(1, 12) + ";BYMONTHDAY=" + seq(1, 31) + ";BYHOUR=" + seq(0, 23) +
			";BYMINUTE=" + seq(0, 59) + ";BYSECOND=" + seq(0, 59),
	}
	var occ []Occurrence
	if n := allocated(func() { occ = inv.Occurrences(start, 16) }); n > 16<<20 {
		t.Errorf("Occurrences allocated %d MiB, want under 16 MiB", n>>20)
	}
	if len(occ) != 1 || !occ[0].Start.Equal(start) {
		t.Errorf("Occurrences = %v, want DTSTART only", occ)
	}
}

// TestRulesUnderLimitKept checks that busy rules a person might keep, under
// the limit, are expanded as rrule-go expands them.
func TestRulesUnderLimitKept(t *testing.T) {
	for _, rule := range []string{
		"FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9,14",
		"FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=" + seq(9, 17) + ";BYMINUTE=0,30",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1",
		"FREQ=DAILY;BYHOUR=" + seq(0, 23) + ";BYMINUTE=" + seq(0, 59) + ";BYSECOND=0,30",
	} {
		t.Run(rule, func(t *testing.T) {
			opt := parseRule(t, rule)
			if c := periodCost(opt); c > PeriodLimit {
				t.Fatalf("test data: periodCost = %d, over PeriodLimit", c)
			}
			inv := readString(t, "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:x\nORGANIZER:mailto:a@b.test\n"+
				"DTSTART:20250101T090000Z\nDURATION:PT30M\nRRULE:"+rule+"\nEND:VEVENT\nEND:VCALENDAR\n")
			if inv.RRule == "" {
				t.Fatalf("rule dropped: %q", inv.Warnings)
			}
			opt.Dtstart = inv.Start
			ref, err := rrule.NewRRule(opt)
			if err != nil {
				t.Fatal(err)
			}
			next := ref.Iterator()
			occ := inv.Occurrences(inv.Start.AddDate(0, 0, 10), 5)
			if len(occ) != 5 {
				t.Fatalf("Occurrences = %d, want 5", len(occ))
			}
			for _, o := range occ {
				want, ok := next()
				for ok && want.Before(o.Start) {
					want, ok = next()
				}
				if !ok || !want.Equal(o.Start) {
					t.Errorf("occurrence %v, want %v (rrule-go's next)", o.Start, want)
				}
			}
		})
	}
}

func hasWarning(inv *Invite, sub string) bool {
	for _, w := range inv.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

// TestMonthOrdinals checks rules whose BYDAY ordinals count weeks within a
// month beyond the fifth: rrule-go indexes past its tables on them, so they
// are dropped, and a rule left with none keeps only DTSTART. The VTIMEZONE
// case is the shape a fuzzer found.
func TestMonthOrdinals(t *testing.T) {
	event := func(rule string) []byte {
		return []byte("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:x\r\nORGANIZER:mailto:a@b.test\r\n" +
			"DTSTART:20260105T090000Z\r\nDURATION:PT1H\r\nRRULE:" + rule + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	}
	for _, tt := range []struct {
		rule string
		kept bool
		want []string // first occurrences, UTC dates; DTSTART is always one
	}{
		{rule: "FREQ=MONTHLY;BYDAY=53MO"},
		{rule: "FREQ=MONTHLY;BYDAY=-9MO"},
		{rule: "FREQ=YEARLY;BYMONTH=12;BYDAY=53MO"},
		{rule: "FREQ=MONTHLY;BYDAY=1MO,6MO", kept: true, want: []string{"2026-01-05", "2026-02-02", "2026-03-02"}},
		{rule: "FREQ=MONTHLY;BYDAY=-1MO,-7MO", kept: true, want: []string{"2026-01-05", "2026-01-26", "2026-02-23"}},
		// Without BYMONTH a yearly ordinal counts weeks of the year.
		{rule: "FREQ=YEARLY;BYDAY=2MO", kept: true, want: []string{"2026-01-05", "2026-01-12", "2027-01-11"}},
	} {
		t.Run(tt.rule, func(t *testing.T) {
			inv, err := Read(event(tt.rule))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got := inv.RRule != ""; got != tt.kept {
				t.Fatalf("rule kept = %v, want %v (warnings %q)", got, tt.kept, inv.Warnings)
			}
			occ := inv.Occurrences(inv.Start, 3)
			if !tt.kept {
				if len(occ) != 1 || !occ[0].Start.Equal(inv.Start) {
					t.Errorf("Occurrences = %v, want DTSTART only", occ)
				}
				return
			}
			var got []string
			for _, o := range occ {
				got = append(got, o.Start.UTC().Format(time.DateOnly))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Occurrences = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("VTIMEZONE observance", func(t *testing.T) {
		data := []byte("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VTIMEZONE\r\nTZID:Coach Time\r\n" +
			"BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n" +
			"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=53SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" +
			"BEGIN:VEVENT\r\nUID:x\r\nORGANIZER:mailto:a@b.test\r\nDTSTART;TZID=Coach Time:20260105T090000\r\n" +
			"DURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
		if _, err := Read(data); err != nil {
			t.Logf("Read: %v", err) // an error is fine; a panic is not
		}
	})
}

// TestIteratorGuardsLibraryPanics feeds iterator a rule checkRule would have
// refused, which makes rrule-go index past its tables: the series ends
// with an error instead of a panic.
func TestIteratorGuardsLibraryPanics(t *testing.T) {
	opt, err := rrule.StrToROption("FREQ=MONTHLY;BYDAY=53MO")
	if err != nil {
		t.Fatal(err)
	}
	opt.Dtstart = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	next, err := iterator(*opt)
	if err == nil {
		// The library may panic on the first instance instead of on building.
		if _, ok := next(); ok {
			t.Fatal("iterator yielded an instance of a rule that has none")
		}
		return
	}
	if !errors.Is(err, errRuleLibrary) {
		t.Fatalf("iterator: %v, want errRuleLibrary", err)
	}
}
