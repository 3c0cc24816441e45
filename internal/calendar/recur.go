package calendar

import (
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/teambition/rrule-go"
)

// ExpansionLimit bounds the work of one Occurrences call: at most this many
// recurrence instances are examined, counted from DTSTART, whether or not
// they are returned (for HOURLY, MINUTELY and SECONDLY rules, a period
// without instances counts as one). A daily series reaches 270 years
// within it, a weekly one far more; a SECONDLY rule reaches about 28
// hours, so for such a rule a `from` further from DTSTART yields nothing.
// The last period may add up to PeriodLimit candidates. A DAILY or coarser
// rule whose BYxxx parts match rarely (BYMONTH=2;BYMONTHDAY=29;BYDAY=MO)
// adds rrule-go's walk between matches, which stops at year 9999: at worst
// a few million cheap steps per call. Rules that can never match are
// dropped by Read.
const ExpansionLimit = 100_000

// Occurrence is one instance of an invite.
type Occurrence struct {
	// Start and End are the instance's instants, in the event's zone.
	Start, End time.Time
	// RecurrenceID is the instance's original start; it differs from Start
	// when an override moved the instance.
	RecurrenceID time.Time
	// Cancelled is set when the instance's VEVENT has STATUS:CANCELLED or the
	// message is a METHOD:CANCEL.
	Cancelled bool
}

// Occurrences returns at most max instances of the invite that start at or
// after from, in order of start. A series is expanded in the wall-clock time
// of the event's zone, so a 10:00 meeting stays at 10:00 local time across
// daylight-saving changes; DTSTART is always the first instance (RFC 5545
// §3.8.5.3), RDATEs are added, EXDATEs removed, and overrides replace the
// instance their RECURRENCE-ID names (an override naming no instance is
// still returned). An invite without RRULE yields its one instance, plus
// any RDATEs and overrides. The work is bounded by ExpansionLimit.
func (inv *Invite) Occurrences(from time.Time, max int) (out []Occurrence) {
	if inv == nil || max <= 0 || inv.Start.IsZero() {
		return nil
	}
	max = min(max, ExpansionLimit)
	z := inv.zone
	if z == nil {
		z = ianaZone{inv.Start.Location()}
	}
	cancelled := inv.Status == "CANCELLED" || inv.Method == "CANCEL"

	// Instances are matched by instant, or for DATE values by wall-clock
	// day (the Unix time of that day's midnight, read as UTC).
	overridden := make(map[int64]bool)
	overriddenDay := make(map[int64]bool)
	for _, o := range inv.Overrides {
		if o.RecurrenceID.IsZero() {
			continue
		}
		occ := Occurrence{
			Start:        o.Start,
			End:          o.End,
			RecurrenceID: o.RecurrenceID,
			Cancelled:    o.Status == "CANCELLED" || inv.Method == "CANCEL",
		}
		if occ.Start.IsZero() {
			if !occ.Cancelled {
				continue // an override without DTSTART moves nothing
			}
			occ.Start = z.present(o.RecurrenceID)
			occ.End = z.present(inv.endOf(z, o.RecurrenceID))
		}
		if o.ridDate {
			overriddenDay[dayKey(wallOf(z, o.RecurrenceID))] = true
		} else {
			overridden[o.RecurrenceID.Unix()] = true
		}
		if !occ.Start.Before(from) {
			out = append(out, occ)
		}
	}

	excluded := make(map[int64]bool, len(inv.ExDates))
	for _, t := range inv.ExDates {
		excluded[t.Unix()] = true
	}
	excludedDay := make(map[int64]bool, len(inv.exdays))
	for _, d := range inv.exdays {
		excludedDay[dayKey(d)] = true
	}

	// A third-party iterator must not take the process down with it; what
	// was found before a panic is still returned.
	defer func() {
		if recover() != nil {
			sortOccurrences(out)
			out = out[:min(len(out), max)]
		}
	}()

	next := inv.instances(z)
	found := 0
	for found < max {
		t, ok := next()
		if !ok {
			break
		}
		day := dayKey(wallOf(z, t))
		if excluded[t.Unix()] || excludedDay[day] || overridden[t.Unix()] || overriddenDay[day] || t.Before(from) {
			continue
		}
		rid := t
		if !inv.RecurrenceID.IsZero() && inv.RRule == "" && t.Equal(inv.Start) {
			rid = inv.RecurrenceID
		}
		out = append(out, Occurrence{
			Start:        z.present(t),
			End:          z.present(inv.endOf(z, t)),
			RecurrenceID: z.present(rid),
			Cancelled:    cancelled,
		})
		found++
	}
	sortOccurrences(out)
	return out[:min(len(out), max)]
}

// dayKey identifies the day of a wall-clock time (labelled UTC).
func dayKey(wall time.Time) int64 {
	return wall.Truncate(24 * time.Hour).Unix()
}

func sortOccurrences(o []Occurrence) {
	sort.SliceStable(o, func(i, j int) bool { return o[i].Start.Before(o[j].Start) })
}

// endOf returns the end of the instance starting at instant start.
func (inv *Invite) endOf(z zone, start time.Time) time.Time {
	l := inv.length
	if !inv.lengthOK {
		// An Invite built by hand: take the length from its own fields.
		l = span{secs: inv.End.Unix() - inv.Start.Unix()}
		if inv.AllDay && l.secs > 0 {
			l = span{days: int((l.secs + 12*3600) / 86400)}
		}
		if l.secs < 0 {
			l.secs = 0
		}
	}
	end := start
	if l.days != 0 {
		end = instantOf(z, wallOf(z, start).AddDate(0, 0, l.days))
	}
	// Unix arithmetic: a Duration overflows past 292 years, and DTEND can
	// be any date.
	return time.Unix(end.Unix()+l.secs, int64(end.Nanosecond())).UTC()
}

// instances returns an iterator over the start instants of the master
// series, ascending and without repeats: DTSTART, the rule's instances and
// the RDATEs merged. It stops after ExpansionLimit steps.
func (inv *Invite) instances(z zone) func() (time.Time, bool) {
	start := inv.Start
	budget := ExpansionLimit
	rule := inv.ruleIterator(z, &budget)
	rdates := slices.Clone(inv.RDates)
	sortTimes(rdates)

	var last time.Time
	first := true
	var pending time.Time
	havePending := false
	return func() (time.Time, bool) {
		for {
			var cand time.Time
			switch {
			case first:
				first = false
				cand = start
			default:
				if !havePending && rule != nil {
					if w, ok := rule(); ok {
						pending, havePending = instantOf(z, w), true
					} else {
						rule = nil
					}
				}
				switch {
				case len(rdates) > 0 && (!havePending || rdates[0].Before(pending)):
					cand, rdates = rdates[0], rdates[1:]
				case havePending:
					cand, havePending = pending, false
				default:
					return time.Time{}, false
				}
			}
			if !last.IsZero() && !cand.After(last) {
				continue // a repeat (DTSTART again, an RDATE on a rule instance)
			}
			last = cand
			return cand, true
		}
	}
}

// ruleIterator returns the rule's instances as wall-clock times, or nil
// when the invite has no usable rule.
func (inv *Invite) ruleIterator(z zone, budget *int) func() (time.Time, bool) {
	if inv.RRule == "" {
		return nil
	}
	opt, err := rrule.StrToROption(inv.RRule)
	if err != nil || checkRule(opt) != nil {
		return nil
	}
	opt.Dtstart = wallOf(z, inv.Start)
	if u := ruleUntil(inv.RRule); u.present {
		switch {
		case u.utc:
			opt.Until = wallOf(z, opt.Until)
		case u.date && !inv.AllDay:
			// A DATE UNTIL on a timed series: the whole day counts, as
			// Google and Outlook read it.
			opt.Until = opt.Until.Add(24*time.Hour - time.Second)
		}
	}
	if opt.Freq >= rrule.HOURLY {
		return subDaily(*opt, budget)
	}
	next, err := iterator(*opt)
	if err != nil {
		return nil
	}
	return func() (time.Time, bool) {
		if *budget <= 0 {
			return time.Time{}, false
		}
		*budget--
		return next()
	}
}

// subDaily expands an HOURLY, MINUTELY or SECONDLY rule. rrule-go is not
// used for these: its iterator loops without end on rules whose BYxxx
// parts can never match the interval's steps (FREQ=MINUTELY;INTERVAL=60;
// BYMINUTE=5 starting at minute 0), and walks every second of every day for
// sparse ones. Here each period costs one step of the budget, or one per
// instance when it has several, and a period failing a day, hour or minute
// filter jumps straight to the next period past that day, hour or minute. Limits (BYMONTH, BYYEARDAY, BYMONTHDAY,
// BYDAY, BYHOUR, BYMINUTE, BYSECOND) and expansions (BYMINUTE, BYSECOND
// within an hour or minute) follow the table in RFC 5545 §3.3.10; BYDAY
// ordinals and BYWEEKNO do not apply to these frequencies and are ignored.
func subDaily(opt rrule.ROption, budget *int) func() (time.Time, bool) {
	var unit time.Duration
	switch opt.Freq {
	case rrule.HOURLY:
		unit = time.Hour
	case rrule.MINUTELY:
		unit = time.Minute
	default:
		unit = time.Second
	}
	// Arithmetic is in seconds: durations overflow after 292 years, and
	// jumps over impossible filters can go further than that.
	step := int64(max(opt.Interval, 1)) * int64(unit/time.Second)
	start := opt.Dtstart
	startS := start.Unix()
	weekdays := make(map[time.Weekday]bool)
	for _, wd := range opt.Byweekday {
		// rrule-go numbers days from Monday = 0.
		weekdays[time.Weekday((wd.Day()+1)%7)] = true
	}
	in := func(list []int, v int) bool { return len(list) == 0 || slices.Contains(list, v) }
	dayOK := func(t time.Time) bool {
		if !in(opt.Bymonth, int(t.Month())) || len(weekdays) > 0 && !weekdays[t.Weekday()] {
			return false
		}
		if len(opt.Bymonthday) > 0 {
			last := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
			if !slices.Contains(opt.Bymonthday, t.Day()) && !slices.Contains(opt.Bymonthday, t.Day()-last-1) {
				return false
			}
		}
		if len(opt.Byyearday) > 0 {
			yd := t.YearDay()
			days := time.Date(t.Year(), 12, 31, 0, 0, 0, 0, time.UTC).YearDay()
			if !slices.Contains(opt.Byyearday, yd) && !slices.Contains(opt.Byyearday, yd-days-1) {
				return false
			}
		}
		return true
	}
	// Within a period, BYMINUTE and BYSECOND expand where they are finer
	// than the frequency, and default to DTSTART's.
	minutes, seconds := []int{start.Minute()}, []int{start.Second()}
	if len(opt.Byminute) > 0 {
		minutes = slices.Sorted(slices.Values(opt.Byminute))
	}
	if len(opt.Bysecond) > 0 {
		seconds = slices.Sorted(slices.Values(opt.Bysecond))
	}

	var k int64 // index of the next period
	// The period's instances; one buffer serves every period, as the
	// next is built only when the last is used up.
	buf := make([]time.Time, 0, len(minutes)*len(seconds))
	var queue []time.Time
	emitted := 0
	done := false
	// jump moves k to the first period starting at or after boundary.
	jump := func(boundary time.Time) {
		n := (boundary.Unix() - startS + step - 1) / step
		k = max(n, k+1)
	}
	fill := func() {
		for len(queue) == 0 && !done {
			if *budget <= 0 {
				done = true
				return
			}
			*budget--
			ps := startS + k*step
			if ps > maxUnix {
				done = true
				return
			}
			p := time.Unix(ps, 0).UTC()
			if p.Year() > 9999 {
				done = true
				return
			}
			if !opt.Until.IsZero() && p.Truncate(unit).After(opt.Until) {
				done = true
				return
			}
			switch {
			case !dayOK(p):
				jump(p.Truncate(24 * time.Hour).Add(24 * time.Hour))
				continue
			case !in(opt.Byhour, p.Hour()):
				jump(p.Truncate(time.Hour).Add(time.Hour))
				continue
			case unit <= time.Minute && !in(opt.Byminute, p.Minute()):
				jump(p.Truncate(time.Minute).Add(time.Minute))
				continue
			case unit == time.Second && !in(opt.Bysecond, p.Second()):
				k++
				continue
			}
			k++
			set := buf[:0]
			switch unit {
			case time.Hour:
				base := p.Truncate(time.Hour)
				for _, m := range minutes {
					for _, s := range seconds {
						set = append(set, base.Add(time.Duration(m)*time.Minute+time.Duration(s)*time.Second))
					}
				}
			case time.Minute:
				base := p.Truncate(time.Minute)
				for _, s := range seconds {
					set = append(set, base.Add(time.Duration(s)*time.Second))
				}
			default:
				set = append(set, p)
			}
			buf = set
			// A period costs one step, as an empty one does, plus one
			// for each instance beyond the first: HOURLY with 60 minutes
			// and 60 seconds listed is 3,600 instances an hour.
			*budget -= len(set) - 1
			set = applySetPos(set, opt.Bysetpos)
			queue = set[:0] // filtered in place: writes never pass reads
			for _, t := range set {
				if t.Before(start) {
					continue
				}
				if !opt.Until.IsZero() && t.After(opt.Until) {
					done = true
					break
				}
				queue = append(queue, t)
				emitted++
				if opt.Count > 0 && emitted >= opt.Count {
					done = true
					break
				}
			}
		}
	}
	return func() (time.Time, bool) {
		fill()
		if len(queue) == 0 {
			return time.Time{}, false
		}
		t := queue[0]
		queue = queue[1:]
		return t, true
	}
}

// firesEver reports whether a DAILY or coarser rule has any instance at
// all (BYMONTH=2;BYMONTHDAY=30 has none). rrule-go only learns that by
// walking to year 9999, so the probe starts late instead: the Gregorian
// calendar repeats every 400 years, and a rule with interval n every 400·n
// years, so moving DTSTART by a multiple of that changes nothing but the
// length of the walk.
func firesEver(opt rrule.ROption) bool {
	opt.Count, opt.Until = 0, time.Time{}
	cycle := 400 * max(opt.Interval, 1)
	if y := opt.Dtstart.Year(); y+2*cycle <= 9999 {
		shift := (9999 - 2*cycle - y) / cycle * cycle
		opt.Dtstart = opt.Dtstart.AddDate(shift, 0, 0)
	}
	next, err := iterator(opt)
	if err != nil {
		return false
	}
	_, ok := next()
	return ok
}

// errRuleLibrary reports a rule rrule-go failed on.
var errRuleLibrary = errors.New("rrule-go failed on the rule")

// iterator returns the instances of a DAILY or coarser rule from rrule-go,
// turning a panic inside the library into the end of the series. checkRule
// keeps the shapes known to crash it away; this guards the ones nobody has
// found yet, because a calendar is hostile input and one bad invitation
// must not take down the inbound function.
func iterator(opt rrule.ROption) (func() (time.Time, bool), error) {
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return nil, err
	}
	var next func() (time.Time, bool)
	if !guard(func() { next = r.Iterator() }) {
		return nil, errRuleLibrary
	}
	done := false
	return func() (t time.Time, ok bool) {
		if done || !guard(func() { t, ok = next() }) {
			done = true
			return time.Time{}, false
		}
		return t, ok
	}, nil
}

// guard runs f and reports whether it returned without panicking.
func guard(f func()) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	f()
	return true
}

// maxUnix is the last second of year 9999, where iCalendar dates end.
var maxUnix = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()

// applySetPos keeps the BYSETPOS positions (1-based, negative from the end)
// of a period's sorted instances.
func applySetPos(set []time.Time, pos []int) []time.Time {
	if len(pos) == 0 {
		return set
	}
	keep := make([]bool, len(set))
	for _, p := range pos {
		i := p - 1
		if p < 0 {
			i = len(set) + p
		}
		if i >= 0 && i < len(set) {
			keep[i] = true
		}
	}
	var out []time.Time
	for i, t := range set {
		if keep[i] {
			out = append(out, t)
		}
	}
	return out
}
