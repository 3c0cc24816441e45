package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenOccurrences is how many occurrences, from the invite's start, each
// golden file records.
const goldenOccurrences = 8

// golden is what a fixture's .golden.json records: the error, or the invite
// with its first occurrences. Times are RFC 3339 in the event's zone, so a
// reviewer sees both the local time and the offset.
type golden struct {
	Error  string        `json:"error,omitempty"`
	Invite *goldenInvite `json:"invite,omitempty"`
}

type goldenInvite struct {
	Method        string             `json:"method,omitempty"`
	UID           string             `json:"uid"`
	Sequence      int                `json:"sequence"`
	Start         string             `json:"start"`
	End           string             `json:"end"`
	AllDay        bool               `json:"all_day,omitempty"`
	TZID          string             `json:"tzid"`
	RRule         string             `json:"rrule,omitempty"`
	RDates        []string           `json:"rdates,omitempty"`
	ExDates       []string           `json:"exdates,omitempty"`
	RecurrenceID  string             `json:"recurrence_id,omitempty"`
	Organizer     string             `json:"organizer"`
	OrganizerName string             `json:"organizer_name,omitempty"`
	Attendees     []goldenAttendee   `json:"attendees"`
	Status        string             `json:"status,omitempty"`
	Summary       string             `json:"summary"`
	Description   string             `json:"description,omitempty"`
	Location      string             `json:"location,omitempty"`
	Overrides     []goldenInvite     `json:"overrides,omitempty"`
	Occurrences   []goldenOccurrence `json:"occurrences,omitempty"`
	Warnings      []string           `json:"warnings,omitempty"`
}

type goldenAttendee struct {
	Addr     string `json:"addr"`
	Name     string `json:"name,omitempty"`
	Role     string `json:"role"`
	PartStat string `json:"partstat"`
	CUType   string `json:"cutype"`
}

type goldenOccurrence struct {
	Start        string `json:"start"`
	End          string `json:"end"`
	RecurrenceID string `json:"recurrence_id"`
	Cancelled    bool   `json:"cancelled,omitempty"`
}

func stamp3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func stamps3339(ts []time.Time) []string {
	var out []string
	for _, t := range ts {
		out = append(out, stamp3339(t))
	}
	return out
}

func toGolden(inv *Invite, withOccurrences bool) goldenInvite {
	g := goldenInvite{
		Method: inv.Method, UID: inv.UID, Sequence: inv.Sequence,
		Start: stamp3339(inv.Start), End: stamp3339(inv.End), AllDay: inv.AllDay, TZID: inv.TZID,
		RRule: inv.RRule, RDates: stamps3339(inv.RDates), ExDates: stamps3339(inv.ExDates),
		RecurrenceID: stamp3339(inv.RecurrenceID),
		Organizer:    inv.Organizer, OrganizerName: inv.OrganizerName, Attendees: []goldenAttendee{},
		Status: inv.Status, Summary: inv.Summary, Description: inv.Description, Location: inv.Location,
		Warnings: inv.Warnings,
	}
	for _, a := range inv.Attendees {
		g.Attendees = append(g.Attendees, goldenAttendee(a))
	}
	for i := range inv.Overrides {
		g.Overrides = append(g.Overrides, toGolden(&inv.Overrides[i], false))
	}
	if withOccurrences {
		for _, o := range inv.Occurrences(inv.Start, goldenOccurrences) {
			g.Occurrences = append(g.Occurrences, goldenOccurrence{
				Start: stamp3339(o.Start), End: stamp3339(o.End),
				RecurrenceID: stamp3339(o.RecurrenceID), Cancelled: o.Cancelled,
			})
		}
	}
	return g
}

func fixtures(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.ics"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found %d fixtures, want at least 20", len(files))
	}
	return files
}

// TestReadGolden reads every fixture and compares the result with its
// golden file; run with -update to rewrite them, then review the diff.
func TestReadGolden(t *testing.T) {
	for _, path := range fixtures(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".ics")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var g golden
			inv, err := Read(data)
			if err != nil {
				g.Error = err.Error()
			} else {
				gi := toGolden(inv, true)
				g.Invite = &gi
			}
			got, err := json.MarshalIndent(g, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			goldenPath := strings.TrimSuffix(path, ".ics") + ".golden.json"
			if *update {
				if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Read(%s) differs from %s:\ngot:\n%s", path, goldenPath, got)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotCalendar},
		{"html", []byte("<html><body>hi</body></html>"), ErrNotCalendar},
		{"no event", []byte("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n"), ErrNoEvent},
		{"only a timezone", []byte("BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:X\nEND:VTIMEZONE\nEND:VCALENDAR\n"), ErrNoEvent},
		{"too large", bytes.Repeat([]byte("X"), MaxSize+1), ErrTooLarge},
	} {
		_, err := Read(tt.data)
		if !errors.Is(err, tt.want) {
			t.Errorf("Read(%s) error = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestReadPeople(t *testing.T) {
	inv, err := Read([]byte("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:p\r\nDTSTART:20250101T100000Z\r\n" +
		"ORGANIZER;CN=\"Coach, The\";SENT-BY=\"mailto:assistant@example.com\":MAILTO:Coach@Example.com\r\n" +
		"ATTENDEE;CN=Doe, Jane;PARTSTAT=accepted:mailto:jane@example.com\r\n" +
		"ATTENDEE;CN=jane@example.com:mailto:JANE@example.com\r\n" +
		"ATTENDEE;CN=Room 1;CUTYPE=ROOM;ROLE=NON-PARTICIPANT:mailto:room1@example.com\r\n" +
		"ATTENDEE;CN=\"No Mail\":invalid:nomail\r\n" +
		"ATTENDEE;EMAIL=bob@example.com:urn:uuid:00000000-0000-0000-0000-000000000001\r\n" +
		"END:VEVENT\r\nEND:VCALENDAR\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if inv.Organizer != "coach@example.com" || inv.OrganizerName != "Coach, The" {
		t.Errorf("organizer = %q %q, want %q %q", inv.Organizer, inv.OrganizerName, "coach@example.com", "Coach, The")
	}
	want := []Attendee{
		{Addr: "jane@example.com", Name: "Doe, Jane", Role: "REQ-PARTICIPANT", PartStat: "ACCEPTED", CUType: "INDIVIDUAL"},
		{Addr: "room1@example.com", Name: "Room 1", Role: "NON-PARTICIPANT", PartStat: "NEEDS-ACTION", CUType: "ROOM"},
		{Addr: "bob@example.com", Role: "REQ-PARTICIPANT", PartStat: "NEEDS-ACTION", CUType: "INDIVIDUAL"},
	}
	if len(inv.Attendees) != len(want) {
		t.Fatalf("attendees = %+v, want %+v", inv.Attendees, want)
	}
	for i := range want {
		if inv.Attendees[i] != want[i] {
			t.Errorf("attendee %d = %+v, want %+v", i, inv.Attendees[i], want[i])
		}
	}
}
