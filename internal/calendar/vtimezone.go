package calendar

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// vtzZone is a time zone defined by a VTIMEZONE component (RFC 5545
// §3.6.5): STANDARD and DAYLIGHT observances, each with an onset (DTSTART in
// the local time before it, plus RRULE and RDATE recurrences) and the offset
// it switches to. Outlook sends one for every zone it names, and when the
// name is a display name ("(UTC+01:00) Amsterdam, Berlin, ...") or
// "Customized Time Zone" these rules are the only definition there is.
type vtzZone struct {
	tzid string
	obs  []observance

	// Transitions per wall-clock year, computed on demand. The mutex makes
	// an Invite safe for concurrent Occurrences calls.
	mu    sync.Mutex
	years map[int][]transition
}

// observance is one STANDARD or DAYLIGHT sub-component.
type observance struct {
	from, to int       // TZOFFSETFROM, TZOFFSETTO in seconds
	abbr     string    // TZNAME
	start    time.Time // DTSTART, local time in the offset before the onset (UTC-labelled)
	rule     *rrule.ROption
	shift    bool        // rule yields the same days each year whatever its start year
	rdates   []time.Time // RDATE onsets, local time (UTC-labelled)
}

// transition is one onset: from instant at, the offset is off.
type transition struct {
	at   int64
	off  int
	abbr string
}

// maxObservances bounds the work per offset lookup and per definition.
// Outlook, Google, Apple and Thunderbird write two; definitions carrying
// history (US rules before and after 2007) four to eight.
const maxObservances = 12

func parseVTimezone(tzid string, c *ical.Component) (*vtzZone, error) {
	z := &vtzZone{tzid: cleanText(tzid), years: make(map[int][]transition)}
	fires := make(map[string]bool) // probe results by rule and start
	for _, sub := range c.Children {
		if sub.Name != ical.CompTimezoneStandard && sub.Name != ical.CompTimezoneDaylight {
			continue
		}
		if len(z.obs) == maxObservances {
			break
		}
		o, err := parseObservance(sub, fires)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", strings.ToLower(sub.Name), err)
		}
		z.obs = append(z.obs, o)
	}
	if len(z.obs) == 0 {
		return nil, errors.New("no STANDARD or DAYLIGHT observance")
	}
	return z, nil
}

func parseObservance(c *ical.Component, fires map[string]bool) (observance, error) {
	var o observance
	toProp := c.Props.Get(ical.PropTimezoneOffsetTo)
	if toProp == nil {
		return o, errors.New("no TZOFFSETTO")
	}
	to, err := parseOffset(toProp.Value)
	if err != nil {
		return o, fmt.Errorf("TZOFFSETTO: %w", err)
	}
	o.to, o.from = to, to
	if p := c.Props.Get(ical.PropTimezoneOffsetFrom); p != nil {
		if o.from, err = parseOffset(p.Value); err != nil {
			return o, fmt.Errorf("TZOFFSETFROM: %w", err)
		}
	}
	if p := c.Props.Get(ical.PropTimezoneName); p != nil {
		o.abbr = short(unescapeText(p.Value))
	}
	p := c.Props.Get(ical.PropDateTimeStart)
	if p == nil {
		return o, errors.New("no DTSTART")
	}
	v, err := parseValue(p.Value)
	if err != nil {
		return o, fmt.Errorf("DTSTART: %w", err)
	}
	o.start = v.wall
	if p := c.Props.Get(ical.PropRecurrenceRule); p != nil {
		norm, _, err := normalizeRRule(p.Value)
		if err == nil {
			o.rule, err = rrule.StrToROption(norm)
		}
		if err == nil {
			err = checkRule(o.rule)
		}
		if err != nil {
			return o, fmt.Errorf("RRULE: %w", err)
		}
		if o.rule.Freq != rrule.YEARLY {
			// Offsets change on yearly rules in every real zone; other
			// frequencies would make each lookup walk many instances.
			return o, fmt.Errorf("RRULE: FREQ=%v, want YEARLY", o.rule.Freq)
		}
		if u := ruleUntil(norm); u.utc {
			// UNTIL is the UTC instant of the last onset; in the local frame
			// of the onsets that is UNTIL plus the offset before them.
			o.rule.Until = o.rule.Until.Add(time.Duration(o.from) * time.Second)
		}
		o.rule.Count = max(o.rule.Count, 0)
		o.shift = o.rule.Freq == rrule.YEARLY && o.rule.Interval <= 1 && o.rule.Count == 0 &&
			!(o.start.Month() == time.February && o.start.Day() == 29)
		if o.shift {
			// Pin the days the rule would take from DTSTART, so the rule
			// can be restarted in any year (RFC 5545 §3.3.10 defaults).
			if len(o.rule.Bymonth) == 0 && len(o.rule.Byweekno) == 0 && len(o.rule.Byyearday) == 0 {
				o.rule.Bymonth = []int{int(o.start.Month())}
			}
			if len(o.rule.Bymonthday) == 0 && len(o.rule.Byweekday) == 0 &&
				len(o.rule.Byyearday) == 0 && len(o.rule.Byweekno) == 0 {
				o.rule.Bymonthday = []int{o.start.Day()}
			}
		}
		// A rule that never fires (BYMONTH=2;BYMONTHDAY=30) would make
		// rrule-go walk to year 9999 on every lookup; find that out once.
		opt := *o.rule
		opt.Dtstart = o.start
		if _, err := rrule.NewRRule(opt); err != nil {
			return o, fmt.Errorf("RRULE: %w", err)
		}
		key := norm + "@" + o.start.String()
		ok, seen := fires[key]
		if !seen {
			ok = firesEver(opt)
			fires[key] = ok
		}
		if !ok {
			o.rule = nil
		}
	}
	for _, p := range c.Props.Values(ical.PropRecurrenceDates) {
		for _, s := range strings.Split(p.Value, ",") {
			if v, err := parseValue(s); err == nil {
				o.rdates = append(o.rdates, v.wall)
			}
		}
	}
	return o, nil
}

// parseOffset reads a UTC-OFFSET value (RFC 5545 §3.3.14): "+0100",
// "-0500", "+053000"; a colon ("+01:00") is tolerated.
func parseOffset(s string) (int, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ":", "")
	if len(s) != 5 && len(s) != 7 || s[0] != '+' && s[0] != '-' {
		return 0, fmt.Errorf("bad UTC offset %q", short(s))
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad UTC offset %q", short(s))
	}
	var h, m, sec int
	if len(s) == 5 {
		h, m = n/100, n%100
	} else {
		h, m, sec = n/10000, n/100%100, n%100
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, fmt.Errorf("UTC offset out of range %q", s)
	}
	off := h*3600 + m*60 + sec
	if s[0] == '-' {
		off = -off
	}
	return off, nil
}

func (z *vtzZone) name() string { return z.tzid }

func (z *vtzZone) present(t time.Time) time.Time {
	off, abbr := z.lookup(t)
	return t.In(time.FixedZone(abbr, off))
}

func (z *vtzZone) offset(t time.Time) int {
	off, _ := z.lookup(t)
	return off
}

// lookup finds the onset in effect at t: the latest one not after t, over
// all observances.
func (z *vtzZone) lookup(t time.Time) (int, string) {
	u := t.Unix()
	y := t.UTC().Year()
	best, found := transition{}, false
	consider := func(year int) {
		trs := z.transitions(year)
		i := sort.Search(len(trs), func(i int) bool { return trs[i].at > u })
		if i > 0 && (!found || trs[i-1].at >= best.at) {
			best, found = trs[i-1], true
		}
	}
	// An onset's local year can differ from its UTC year by one.
	for year := y + 1; year >= y-1; year-- {
		consider(year)
	}
	if !found {
		// Nothing in the last two years: the zone has no yearly changes, or
		// they ended (a rule with UNTIL, a historical RDATE). Look at the
		// years where the remaining onsets can be.
		for _, year := range z.earlierYears(y - 1) {
			consider(year)
		}
	}
	if found {
		return best.off, best.abbr
	}
	// Before the first onset: the offset the earliest observance changes from.
	first := z.obs[0]
	for _, o := range z.obs[1:] {
		if o.start.Before(first.start) {
			first = o
		}
	}
	return first.from, ""
}

// earlierYears lists the years before limit in which an observance can have
// its last onset.
func (z *vtzZone) earlierYears(limit int) []int {
	var years []int
	add := func(y int) {
		if y < limit {
			years = append(years, y)
		}
	}
	for _, o := range z.obs {
		add(o.start.Year())
		for _, rd := range o.rdates {
			add(rd.Year())
		}
		if o.rule != nil {
			if !o.rule.Until.IsZero() {
				add(o.rule.Until.Year())
			} else {
				add(limit - 1)
			}
		}
	}
	return years
}

// transitions returns the onsets whose local time falls in year, sorted.
func (z *vtzZone) transitions(year int) []transition {
	if year < 1 || year > 9999 {
		return nil
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if trs, ok := z.years[year]; ok {
		return trs
	}
	var trs []transition
	for i := range z.obs {
		o := &z.obs[i]
		for _, w := range o.onsets(year) {
			trs = append(trs, transition{at: w.Unix() - int64(o.from), off: o.to, abbr: o.abbr})
		}
	}
	sort.Slice(trs, func(i, j int) bool { return trs[i].at < trs[j].at })
	z.years[year] = trs
	return trs
}

// maxObservanceSteps bounds the walk through a rule that cannot be restarted
// in the year asked for (not a plain yearly rule).
const maxObservanceSteps = 2000

// onsets returns the local times of the observance's onsets in year.
func (o *observance) onsets(year int) []time.Time {
	var out []time.Time
	if o.start.Year() == year {
		out = append(out, o.start)
	}
	for _, rd := range o.rdates {
		if rd.Year() == year {
			out = append(out, rd)
		}
	}
	if o.rule == nil || o.start.Year() > year {
		return out
	}
	opt := *o.rule
	opt.Dtstart = o.start
	if o.shift && year > o.start.Year() {
		h, m, s := o.start.Clock()
		opt.Dtstart = time.Date(year, time.January, 1, h, m, s, 0, time.UTC)
	}
	next, err := iterator(opt)
	if err != nil {
		return out
	}
	for range maxObservanceSteps {
		t, ok := next()
		if !ok || t.Year() > year {
			break
		}
		if t.Year() == year && !t.Equal(o.start) {
			out = append(out, t)
		}
	}
	return out
}
