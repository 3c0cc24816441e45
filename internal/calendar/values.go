package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// valueKind is the form of a DATE or DATE-TIME value (RFC 5545 §3.3.4-5).
type valueKind int

const (
	kindDate     valueKind = iota // 20240315: a whole day
	kindFloating                  // 20240315T100000: local time, zone given by TZID or none
	kindUTC                       // 20240315T100000Z
)

// value is a parsed DATE or DATE-TIME: its fields are in wall, labelled UTC.
type value struct {
	wall time.Time
	kind valueKind
}

// parseValue reads a DATE or DATE-TIME value. A PERIOD ("start/end" or
// "start/duration", RDATE only) yields its start. Beyond the RFC it accepts
// lower-case letters and a missing seconds field ("20240315T1000"), both
// seen in hand-made calendars.
func parseValue(s string) (value, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	var layout string
	kind := kindFloating
	if strings.HasSuffix(s, "Z") {
		kind = kindUTC
	}
	switch len(s) {
	case 8:
		layout, kind = "20060102", kindDate
	case 15:
		layout = "20060102T150405"
	case 16:
		layout = "20060102T150405Z"
	case 13:
		layout = "20060102T1504"
	case 14:
		layout = "20060102T1504Z"
	default:
		return value{}, fmt.Errorf("bad date-time %q", short(s))
	}
	if len(s) == 15 || len(s) == 13 {
		kind = kindFloating
	}
	t, err := time.Parse(layout, s)
	if err != nil || t.Year() < 1 {
		return value{}, fmt.Errorf("bad date-time %q", short(s))
	}
	return value{wall: t, kind: kind}, nil
}

// span is an event's length: days counted on the calendar (so a one-day
// event is 23 or 25 hours on a daylight-saving change) plus exact time.
type span struct {
	days int
	secs int64
}

// parseDuration reads a DURATION value (RFC 5545 §3.3.6): "PT1H30M", "P1D",
// "P1W", "-PT15M". Days and weeks are nominal, hours and less exact.
func parseDuration(s string) (span, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return span{}, fmt.Errorf("bad duration %q", short(s))
	}
	s = s[1:]
	var d span
	inTime := false
	for len(s) > 0 {
		if s[0] == 'T' {
			if inTime {
				return span{}, errors.New("bad duration: second T")
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) || i > 7 {
			return span{}, fmt.Errorf("bad duration near %q", short(s))
		}
		n, _ := strconv.Atoi(s[:i])
		unit := s[i]
		s = s[i+1:]
		switch {
		case !inTime && unit == 'W':
			d.days += 7 * n
		case !inTime && unit == 'D':
			d.days += n
		case inTime && unit == 'H':
			d.secs += int64(n) * 3600
		case inTime && unit == 'M':
			d.secs += int64(n) * 60
		case inTime && unit == 'S':
			d.secs += int64(n)
		default:
			return span{}, fmt.Errorf("bad duration unit %q", unit)
		}
	}
	if neg {
		d.days, d.secs = -d.days, -d.secs
	}
	return d, nil
}

// Bounds on RRULE parts, checked before rrule-go sees a rule.
const (
	maxInterval = 1000 // every 1000 years/months/days... is already absurd
	maxByList   = 400  // BYYEARDAY can list 366 days; nothing longer is meaningful
)

// knownRulePart reports whether key is an RRULE part of RFC 5545 §3.3.10; Read passes
// those on, and drops the others (RFC 7529 RSCALE and SKIP, X- parts, BYEASTER)
// with a warning.
func knownRulePart(key string) bool {
	switch key {
	case "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
		"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST":
		return true
	}
	return false
}

// normalizeRRule rewrites an RRULE value into the strict form rrule-go
// parses: upper case, no empty or unknown parts, no duplicates, lists
// de-duplicated and bounded, INTERVAL and COUNT sane. Problems it can work
// around come back as warnings; the error is for rules it cannot use.
func normalizeRRule(raw string) (string, []string, error) {
	s := strings.TrimSpace(raw)
	if len(s) >= 6 && strings.EqualFold(s[:6], "RRULE:") {
		s = s[6:]
	}
	var warns []string
	var parts []string
	seen := make(map[string]bool)
	freq := false
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, val, ok := strings.Cut(part, "=")
		key = strings.ToUpper(strings.TrimSpace(key))
		val = strings.ToUpper(strings.TrimSpace(val))
		switch {
		case !ok || val == "":
			warns = append(warns, fmt.Sprintf("RRULE part %q without value ignored", short(key)))
			continue
		case !knownRulePart(key):
			warns = append(warns, fmt.Sprintf("RRULE part %s ignored", short(key)))
			continue
		case seen[key]:
			warns = append(warns, fmt.Sprintf("RRULE part %s repeated; first kept", key))
			continue
		}
		seen[key] = true
		switch key {
		case "FREQ":
			freq = true
		case "INTERVAL":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > maxInterval {
				return "", warns, fmt.Errorf("RRULE INTERVAL %q out of range 1..%d", short(val), maxInterval)
			}
			val = strconv.Itoa(n)
		case "COUNT":
			n, err := strconv.Atoi(val)
			if err != nil {
				return "", warns, fmt.Errorf("RRULE COUNT %q not a number", short(val))
			}
			if n < 1 {
				warns = append(warns, "RRULE COUNT below 1 ignored")
				continue
			}
			val = strconv.Itoa(n)
		case "UNTIL":
			if _, err := parseValue(val); err != nil {
				return "", warns, fmt.Errorf("RRULE UNTIL: %w", err)
			}
		case "WKST":
		default: // BYxxx lists
			items := strings.Split(val, ",")
			if len(items) > maxByList {
				return "", warns, fmt.Errorf("RRULE %s lists %d values, limit %d", key, len(items), maxByList)
			}
			uniq := items[:0]
			have := make(map[string]bool, len(items))
			for _, it := range items {
				it = strings.TrimSpace(it)
				if it == "" || have[it] {
					continue
				}
				have[it] = true
				uniq = append(uniq, it)
			}
			if len(uniq) == 0 {
				continue
			}
			val = strings.Join(uniq, ",")
		}
		p := key + "=" + val
		if key == "FREQ" {
			parts = append([]string{p}, parts...)
		} else {
			parts = append(parts, p)
		}
	}
	if !freq {
		return "", warns, errors.New("RRULE without FREQ")
	}
	if seen["COUNT"] && seen["UNTIL"] {
		warns = append(warns, "RRULE has both COUNT and UNTIL; both applied")
	}
	return strings.Join(parts, ";"), warns, nil
}

// untilForm says how a rule's UNTIL was written.
type untilForm struct {
	present, utc, date bool
}

// ruleUntil reports the form of the UNTIL part of a normalized rule.
func ruleUntil(norm string) untilForm {
	for _, part := range strings.Split(norm, ";") {
		if v, ok := strings.CutPrefix(part, "UNTIL="); ok {
			return untilForm{present: true, utc: strings.HasSuffix(v, "Z"), date: len(v) == 8}
		}
	}
	return untilForm{}
}
