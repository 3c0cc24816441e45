package calendar

import (
	"testing"
	"time"
)

func TestParseValue(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		kind valueKind
		ok   bool
	}{
		{"20250311", "2025-03-11T00:00:00Z", kindDate, true},
		{"20250311T100000", "2025-03-11T10:00:00Z", kindFloating, true},
		{"20250311T100000Z", "2025-03-11T10:00:00Z", kindUTC, true},
		{"20250311t100000z", "2025-03-11T10:00:00Z", kindUTC, true},
		{"20250311T1000", "2025-03-11T10:00:00Z", kindFloating, true},
		{" 20250311T100000Z ", "2025-03-11T10:00:00Z", kindUTC, true},
		{"20250311T100000Z/20250311T110000Z", "2025-03-11T10:00:00Z", kindUTC, true},
		{"20250311T100000/PT1H", "2025-03-11T10:00:00Z", kindFloating, true},
		{"2025-03-11T10:00:00", "", 0, false},
		{"20251311T100000", "", 0, false},
		{"00000101", "", 0, false},
		{"", "", 0, false},
	} {
		v, err := parseValue(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("parseValue(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if !tt.ok {
			continue
		}
		if got := v.wall.Format(time.RFC3339); got != tt.want || v.kind != tt.kind {
			t.Errorf("parseValue(%q) = %s kind %d, want %s kind %d", tt.in, got, v.kind, tt.want, tt.kind)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want span
		ok   bool
	}{
		{"PT1H30M", span{secs: 5400}, true},
		{"PT45M", span{secs: 2700}, true},
		{"P1D", span{days: 1}, true},
		{"P1W", span{days: 7}, true},
		{"P1DT2H", span{days: 1, secs: 7200}, true},
		{"+PT10S", span{secs: 10}, true},
		{"-PT15M", span{secs: -900}, true},
		{"pt1h", span{secs: 3600}, true},
		{"PT", span{}, false},
		{"P1H", span{}, false},
		{"PT1D", span{}, false},
		{"1H", span{}, false},
		{"PT99999999H", span{}, false},
		{"PTT1H", span{}, false},
	} {
		got, err := parseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseDuration(%q) = %+v, %v, want %+v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestNormalizeRRule(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		warns    int
		ok       bool
	}{
		{"FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU", 0, true},
		{"RRULE:freq=weekly;byday=tu,th;", "FREQ=WEEKLY;BYDAY=TU,TH", 0, true},
		{"BYDAY=MO;FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO", 0, true},
		{"FREQ=WEEKLY;X-NAME=1;;BYEASTER=0;RSCALE=GREGORIAN", "FREQ=WEEKLY", 3, true},
		{"FREQ=DAILY;COUNT=5;COUNT=6", "FREQ=DAILY;COUNT=5", 1, true},
		{"FREQ=DAILY;COUNT=0", "FREQ=DAILY", 1, true},
		{"FREQ=DAILY;COUNT=3;UNTIL=20250101", "FREQ=DAILY;COUNT=3;UNTIL=20250101", 1, true},
		{"FREQ=DAILY;BYHOUR=9,9,10, 9", "FREQ=DAILY;BYHOUR=9,10", 0, true},
		{"FREQ=DAILY;BYDAY=", "FREQ=DAILY", 1, true},
		{"BYDAY=MO", "", 0, false},
		{"FREQ=DAILY;INTERVAL=0", "", 0, false},
		{"FREQ=DAILY;INTERVAL=100000", "", 0, false},
		{"FREQ=DAILY;COUNT=lots", "", 0, false},
		{"FREQ=DAILY;UNTIL=tomorrow", "", 0, false},
		{"FREQ=YEARLY;BYYEARDAY=" + stringsRepeatComma(401), "", 0, false},
	} {
		got, warns, err := normalizeRRule(tt.in)
		if (err == nil) != tt.ok || got != tt.want || len(warns) != tt.warns {
			t.Errorf("normalizeRRule(%q) = %q, %q, %v, want %q, %d warnings, ok=%v", tt.in, got, warns, err, tt.want, tt.warns, tt.ok)
		}
	}
}

func stringsRepeatComma(n int) string {
	s := "1"
	for i := 2; i <= n; i++ {
		s += ",1"
	}
	return s
}
