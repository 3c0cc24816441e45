package calendar

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRead feeds mutated calendars to Read and Occurrences: neither may
// panic or run unbounded, and what Read returns must keep its promises.
func FuzzRead(f *testing.F) {
	for _, path := range fixtures(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Read(data)
		if err != nil {
			if inv != nil {
				t.Errorf("Read returned an invite with error %v", err)
			}
			return
		}
		if inv.Method == "" {
			t.Errorf("Method is empty")
		}
		for _, s := range []string{inv.UID, inv.Summary, inv.Description, inv.Location, inv.OrganizerName, inv.TZID} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 in %q", s)
			}
		}
		addrs := []string{inv.Organizer}
		for _, a := range inv.Attendees {
			addrs = append(addrs, a.Addr)
		}
		for _, a := range addrs {
			if a != strings.ToLower(a) || strings.HasPrefix(a, "mailto:") {
				t.Errorf("address %q not a lower-cased bare address", a)
			}
		}
		if !inv.End.IsZero() && inv.End.Before(inv.Start) {
			t.Errorf("End %v before Start %v", inv.End, inv.Start)
		}
		for _, from := range []int{0, 1} {
			occ := inv.Occurrences(inv.Start.AddDate(from, 0, 0), 16)
			if len(occ) > 16 {
				t.Errorf("Occurrences returned %d, max 16", len(occ))
			}
			for i := 1; i < len(occ); i++ {
				if occ[i].Start.Before(occ[i-1].Start) {
					t.Errorf("occurrences out of order: %v before %v", occ[i].Start, occ[i-1].Start)
				}
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	var all [][]byte
	size := 0
	for _, path := range fixtures(b) {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, data)
		size += len(data)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, data := range all {
			_, _ = Read(data)
		}
	}
}
