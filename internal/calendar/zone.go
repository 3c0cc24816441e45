package calendar

import (
	"maps"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // zone names must resolve where the host has no zoneinfo (minimal Lambda images)

	"github.com/coachmail/coachmail/internal/winzone"
	"github.com/emersion/go-ical"
)

// zone is a time zone an event's times are read in: an IANA zone, or the
// rules of a VTIMEZONE the calendar defines itself.
type zone interface {
	// offset returns the UTC offset, in seconds, in effect at instant t.
	offset(t time.Time) int
	// present returns instant t in a location that prints its local time.
	present(t time.Time) time.Time
	// name is the zone's name: the IANA name, or the VTIMEZONE's TZID.
	name() string
}

// ianaZone is a zone from the tz database.
type ianaZone struct{ loc *time.Location }

func (z ianaZone) offset(t time.Time) int {
	_, off := t.In(z.loc).Zone()
	return off
}

func (z ianaZone) present(t time.Time) time.Time { return t.In(z.loc) }

func (z ianaZone) name() string { return z.loc.String() }

var utcZone zone = ianaZone{time.UTC}

// wallOf returns the wall-clock reading of instant t in z, as a time whose
// fields are that reading and whose location is UTC. Recurrence rules are
// expanded in this frame, where days are always 24 hours long, so that a
// 10:00 meeting stays at 10:00 across a daylight-saving change.
func wallOf(z zone, t time.Time) time.Time {
	return t.UTC().Add(time.Duration(z.offset(t)) * time.Second)
}

// instantOf returns the instant a wall-clock reading (fields of wall, which
// is in UTC) names in z, as RFC 5545 §3.3.5 asks: a reading that occurs
// twice (the autumn change) means the first occurrence; a reading that does
// not occur (the spring gap) is read with the offset in effect before the gap.
func instantOf(z zone, wall time.Time) time.Time {
	u := wall.Unix()
	// Transitions are months apart in every real zone, so the offsets a day
	// before and a day after are the only candidates.
	before := z.offset(time.Unix(u-86400, 0))
	after := z.offset(time.Unix(u+86400, 0))
	okBefore := z.offset(time.Unix(u-int64(before), 0)) == before
	okAfter := z.offset(time.Unix(u-int64(after), 0)) == after
	var off int
	switch {
	case okBefore && okAfter:
		off = max(before, after) // the larger offset is the earlier instant
	case okBefore:
		off = before
	case okAfter:
		off = after
	default:
		off = before // a gap: the offset before it
	}
	return time.Unix(u-int64(off), int64(wall.Nanosecond())).UTC()
}

// resolver turns TZID parameter values into zones for one calendar.
type resolver struct {
	defs   map[string]*ical.Component // VTIMEZONE by TZID
	cache  map[string]zone
	parsed int // VTIMEZONE definitions parsed so far
	w      *warnings
}

// maxDefinitions bounds the VTIMEZONE definitions one calendar may make
// Read evaluate; a real invitation uses one or two.
const maxDefinitions = 4

func newResolver(cal *ical.Calendar, w *warnings) *resolver {
	r := &resolver{defs: make(map[string]*ical.Component), cache: make(map[string]zone), w: w}
	for _, c := range cal.Children {
		if c.Name != ical.CompTimezone {
			continue
		}
		p := c.Props.Get(ical.PropTimezoneID)
		if p == nil {
			continue
		}
		id := strings.TrimSpace(p.Value)
		if _, dup := r.defs[id]; !dup {
			r.defs[id] = c
		}
	}
	return r
}

// resolve returns the zone a TZID names, trying in turn an IANA name, an
// IANA name behind a global-ID prefix ("/mozilla.org/20070129_1/Europe/Paris"),
// a Windows zone name (CLDR's default mapping), and the calendar's own
// VTIMEZONE of that TZID. The boolean is false when none applies.
func (r *resolver) resolve(tzid string) (zone, bool) {
	id := strings.TrimSpace(strings.Trim(tzid, `"`))
	if z, ok := r.cache[id]; ok {
		return z, z != nil
	}
	z := r.lookup(id)
	r.cache[id] = z
	return z, z != nil
}

func (r *resolver) lookup(id string) zone {
	if id == "" {
		return nil
	}
	switch strings.ToLower(id) {
	case "utc", "gmt", "z", "etc/utc", "coordinated universal time", "tzone://microsoft/utc":
		return utcZone
	}
	if loc := loadIANA(id); loc != nil {
		return ianaZone{loc}
	}
	if strings.HasPrefix(id, "/") {
		parts := strings.Split(strings.Trim(id, "/"), "/")
		for n := min(3, len(parts)); n >= 1; n-- {
			if loc := loadIANA(strings.Join(parts[len(parts)-n:], "/")); loc != nil {
				return ianaZone{loc}
			}
		}
	}
	if name, ok := winzone.IANA(id); ok {
		if loc := loadIANA(name); loc != nil {
			return ianaZone{loc}
		}
	}
	def := r.defs[id]
	if def == nil {
		for _, k := range slices.Sorted(maps.Keys(r.defs)) {
			if strings.EqualFold(k, id) {
				id, def = k, r.defs[k]
				break
			}
		}
	}
	if def == nil {
		return nil
	}
	if r.parsed == maxDefinitions {
		r.w.addf("more than %d VTIMEZONE definitions used; the rest ignored", maxDefinitions)
		return nil
	}
	r.parsed++
	z, err := parseVTimezone(id, def)
	if err != nil {
		r.w.addf("VTIMEZONE %q unusable: %v", short(id), err)
		return nil
	}
	return z
}

// loadIANA loads an IANA zone by name, refusing what is not a plain zone
// name: "Local" (the host's zone says nothing about the sender), the empty
// name, and anything that could walk the file system.
func loadIANA(name string) *time.Location {
	if name == "" || len(name) > 64 || strings.EqualFold(name, "local") ||
		strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
		return nil
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '/' || c == '_' || c == '-' || c == '+') {
			return nil
		}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}
