package calendar

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-ical"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestInstantOf checks the RFC 5545 §3.3.5 reading of wall-clock times
// that fall in a spring-forward gap or an autumn overlap.
func TestInstantOf(t *testing.T) {
	for _, tt := range []struct {
		zone, wall, want string
	}{
		// Ordinary times.
		{"Europe/London", "2025-01-15T10:00:00", "2025-01-15T10:00:00Z"},
		{"Europe/London", "2025-07-15T10:00:00", "2025-07-15T09:00:00Z"},
		// Gap: 01:30 does not exist in London on 30 March 2025; read with
		// the offset before the gap (GMT).
		{"Europe/London", "2025-03-30T01:30:00", "2025-03-30T01:30:00Z"},
		// Overlap: 01:30 happens twice on 26 October 2025; the first (BST).
		{"Europe/London", "2025-10-26T01:30:00", "2025-10-26T00:30:00Z"},
		{"America/New_York", "2025-03-09T02:30:00", "2025-03-09T07:30:00Z"},
		{"America/New_York", "2025-11-02T01:30:00", "2025-11-02T05:30:00Z"},
		{"America/New_York", "2025-11-02T02:30:00", "2025-11-02T07:30:00Z"},
		{"Asia/Tokyo", "2025-03-09T02:30:00", "2025-03-08T17:30:00Z"},
	} {
		wall, err := time.Parse("2006-01-02T15:04:05", tt.wall)
		if err != nil {
			t.Fatal(err)
		}
		got := instantOf(ianaZone{mustLoad(t, tt.zone)}, wall).Format(time.RFC3339)
		if got != tt.want {
			t.Errorf("instantOf(%s, %s) = %s, want %s", tt.zone, tt.wall, got, tt.want)
		}
	}
}

// vtimezoneOf reads the VTIMEZONE of a fixture.
func vtimezoneOf(t *testing.T, fixture, tzid string) *vtzZone {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	var w warnings
	text, err := normalize(data, &w)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := decode(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone && c.Props.Get(ical.PropTimezoneID).Value == tzid {
			z, err := parseVTimezone(tzid, c)
			if err != nil {
				t.Fatalf("parseVTimezone(%s): %v", tzid, err)
			}
			return z
		}
	}
	t.Fatalf("%s has no VTIMEZONE %q", fixture, tzid)
	return nil
}

// TestVTimezoneMatchesIANA evaluates VTIMEZONE definitions as Outlook,
// Google, Apple and Lightning write them and compares them, hour by hour
// and for every half-hour wall reading, with the tz database over the years
// the definition's rules are in force.
func TestVTimezoneMatchesIANA(t *testing.T) {
	for _, tt := range []struct {
		fixture, tzid, iana string
		from, to            int // years
	}{
		{"outlook-w-europe.ics", "W. Europe Standard Time", "Europe/Berlin", 1997, 2035},
		{"outlook-eastern-weekly-dst.ics", "Eastern Standard Time", "America/New_York", 2008, 2035},
		{"exchange-cancel-occurrence.ics", "GMT Standard Time", "Europe/London", 1997, 2035},
		{"teams-meeting.ics", "Pacific Standard Time", "America/Los_Angeles", 2008, 2035},
		{"outlook-tokyo-monthly.ics", "Tokyo Standard Time", "Asia/Tokyo", 1960, 2035},
		{"google-weekly-london-exdate.ics", "Europe/London", "Europe/London", 1997, 2035},
		{"apple-biweekly-ny-dst.ics", "America/New_York", "America/New_York", 2008, 2035},
		{"custom-tzid-history.ics", "US-Eastern-Corporate", "America/New_York", 1988, 2035},
		{"lightning-global-tzid.ics", "/mozilla.org/20070129_1/Europe/Paris", "Europe/Paris", 1997, 2035},
		{"outlook-customized-tz.ics", "Customized Time Zone", "Europe/Berlin", 1997, 2035},
	} {
		t.Run(tt.tzid, func(t *testing.T) {
			vz := vtimezoneOf(t, tt.fixture, tt.tzid)
			iz := ianaZone{mustLoad(t, tt.iana)}
			start := time.Date(tt.from, 1, 1, 0, 0, 0, 0, time.UTC)
			end := time.Date(tt.to, 12, 31, 0, 0, 0, 0, time.UTC)
			bad := 0
			check := func(u time.Time) {
				if got, want := vz.offset(u), iz.offset(u); got != want && bad < 5 {
					t.Errorf("offset(%s) = %d, want %d", u.Format(time.RFC3339), got, want)
					bad++
				}
			}
			changes := 0
			for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
				next := day.AddDate(0, 0, 1)
				check(day)
				if iz.offset(day) == iz.offset(next) {
					continue
				}
				// A change day in the tz database: every hour, and every
				// half-hour wall reading around it (gaps and overlaps).
				changes++
				for u := day; u.Before(next); u = u.Add(time.Hour) {
					check(u)
				}
				for m := -24 * 60; m < 48*60; m += 30 {
					wall := day.Add(time.Duration(m) * time.Minute)
					if got, want := instantOf(vz, wall), instantOf(iz, wall); !got.Equal(want) && bad < 5 {
						t.Errorf("instantOf(%s) = %s, want %s", wall.Format("2006-01-02T15:04"), got.Format(time.RFC3339), want.Format(time.RFC3339))
						bad++
					}
				}
			}
			if tt.iana != "Asia/Tokyo" && changes < 2*(tt.to-tt.from) {
				t.Errorf("only %d offset changes checked in %d years", changes, tt.to-tt.from+1)
			}
		})
	}
}

func TestVTimezoneRejects(t *testing.T) {
	for name, body := range map[string]string{
		"no observance": "TZID:X\n",
		"no offset":     "TZID:X\nBEGIN:STANDARD\nDTSTART:16010101T000000\nEND:STANDARD\n",
		"bad offset":    "TZID:X\nBEGIN:STANDARD\nDTSTART:16010101T000000\nTZOFFSETTO:+2500\nEND:STANDARD\n",
		"no start":      "TZID:X\nBEGIN:STANDARD\nTZOFFSETTO:+0100\nEND:STANDARD\n",
		"monthly rule":  "TZID:X\nBEGIN:STANDARD\nDTSTART:16010101T000000\nTZOFFSETTO:+0100\nRRULE:FREQ=MONTHLY\nEND:STANDARD\n",
	} {
		data := "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\n" + body + "END:VTIMEZONE\nEND:VCALENDAR\n"
		cal, err := decode(data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseVTimezone("X", cal.Children[0]); err == nil {
			t.Errorf("parseVTimezone(%s) = nil error, want an error", name)
		}
	}
}

// TestVTimezoneNeverFiring checks that a rule that can never fire costs
// nothing later and adds no onsets: only the observances' DTSTARTs count.
func TestVTimezoneNeverFiring(t *testing.T) {
	data := "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:X\n" +
		"BEGIN:DAYLIGHT\nDTSTART:19700101T000000\nTZOFFSETFROM:+0300\nTZOFFSETTO:+0400\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nEND:DAYLIGHT\n" +
		"BEGIN:STANDARD\nDTSTART:19800101T000000\nTZOFFSETFROM:+0400\nTZOFFSETTO:+0300\nEND:STANDARD\n" +
		"END:VTIMEZONE\nEND:VCALENDAR\n"
	cal, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	z, err := parseVTimezone("X", cal.Children[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		year, want int
	}{
		{1960, 3 * 3600}, // before every onset: the first observance's TZOFFSETFROM
		{1975, 4 * 3600},
		{2025, 3 * 3600},
		{2400, 3 * 3600},
	} {
		at := time.Date(tt.year, 6, 1, 0, 0, 0, 0, time.UTC)
		if got := z.offset(at); got != tt.want {
			t.Errorf("offset(%d-06-01) = %d, want %d", tt.year, got, tt.want)
		}
	}
}

func TestParseOffset(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"+0100", 3600, true},
		{"-0500", -5 * 3600, true},
		{"+0530", 5*3600 + 30*60, true},
		{"+053000", 5*3600 + 30*60, true},
		{"-00:30", -30 * 60, true},
		{"0100", 0, false},
		{"+1", 0, false},
		{"+2400", 0, false},
		{"+0160", 0, false},
		{"", 0, false},
	} {
		got, err := parseOffset(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseOffset(%q) = %d, %v, want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestResolve(t *testing.T) {
	cal, err := decode("BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:My Zone\nBEGIN:STANDARD\n" +
		"DTSTART:16010101T000000\nTZOFFSETFROM:+0530\nTZOFFSETTO:+0530\nEND:STANDARD\nEND:VTIMEZONE\nEND:VCALENDAR\n")
	if err != nil {
		t.Fatal(err)
	}
	var w warnings
	r := newResolver(cal, &w)
	for _, tt := range []struct {
		tzid, want string
	}{
		{"Europe/London", "Europe/London"},
		{`"Europe/London"`, "Europe/London"},
		{"W. Europe Standard Time", "Europe/Berlin"},
		{"eastern standard time", "America/New_York"},
		{"/softwarestudio.org/Olson_20011030_5/America/New_York", "America/New_York"},
		{"/mozilla.org/20050126_1/Europe/London", "Europe/London"},
		{"My Zone", "My Zone"},
		{"my zone", "My Zone"},
		{"UTC", "UTC"},
		{"utc", "UTC"},
		{"tzone://Microsoft/Utc", "UTC"},
		{"Local", ""},
		{"../../etc/passwd", ""},
		{"Mars/Olympus_Mons", ""},
		{"", ""},
	} {
		z, ok := r.resolve(tt.tzid)
		got := ""
		if ok {
			got = z.name()
		}
		if got != tt.want {
			t.Errorf("resolve(%q) = %q, want %q", tt.tzid, got, tt.want)
		}
	}
}

func ExampleRead_windowsZone() {
	inv, err := Read([]byte("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n" +
		"UID:1\r\nORGANIZER:mailto:coach@example.com\r\n" +
		"DTSTART;TZID=\"W. Europe Standard Time\":20250330T100000\r\n" +
		"DTEND;TZID=\"W. Europe Standard Time\":20250330T110000\r\n" +
		"END:VEVENT\r\nEND:VCALENDAR\r\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.TZID, inv.Start.Format(time.RFC3339), inv.End.Sub(inv.Start))
	// Output: Europe/Berlin 2025-03-30T10:00:00+02:00 1h0m0s
}
