package winzone

import (
	"testing"
	"time"
	_ "time/tzdata" // every CLDR name must load even where the host has no zoneinfo
)

func TestIANA(t *testing.T) {
	for _, tt := range []struct {
		windows, want string
		ok            bool
	}{
		{"W. Europe Standard Time", "Europe/Berlin", true},
		{"Eastern Standard Time", "America/New_York", true},
		{"GMT Standard Time", "Europe/London", true},
		{"Romance Standard Time", "Europe/Paris", true},
		{"Tokyo Standard Time", "Asia/Tokyo", true},
		{"Pacific Standard Time", "America/Los_Angeles", true},
		{"India Standard Time", "Asia/Calcutta", true},
		{"AUS Eastern Standard Time", "Australia/Sydney", true},
		{"UTC", "Etc/UTC", true},
		{"  w. europe standard time ", "Europe/Berlin", true},
		{"Europe/Berlin", "", false},
		{"Customized Time Zone", "", false},
		{"", "", false},
	} {
		got, ok := IANA(tt.windows)
		if got != tt.want || ok != tt.ok {
			t.Errorf("IANA(%q) = %q, %v, want %q, %v", tt.windows, got, ok, tt.want, tt.ok)
		}
	}
}

// TestTableLoads checks every generated mapping against the tz database Go
// ships, so a CLDR name Go cannot load is caught at generation time, not when
// an invite arrives.
func TestTableLoads(t *testing.T) {
	names := windowsNames()
	if len(names) < 100 {
		t.Fatalf("table has %d Windows zones, want over 100", len(names))
	}
	for _, w := range names {
		iana, ok := IANA(w)
		if !ok {
			t.Errorf("IANA(%q) not found, but the name is in the table", w)
			continue
		}
		if _, err := time.LoadLocation(iana); err != nil {
			t.Errorf("IANA(%q) = %q, which does not load: %v", w, iana, err)
		}
	}
}
