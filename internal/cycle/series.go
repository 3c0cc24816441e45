package cycle

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/coachmail/coachmail/internal/calendar"
	"github.com/coachmail/coachmail/internal/coaching"
)

// A recurring series is made into sessions a rolling horizon at a time:
// ApplyInvite makes the next Horizon occurrences and stores the series
// (coaching.Series: the pieces of the invitation that expanding it again
// needs), and TopUp, run by the dispatcher, makes one more each time one
// passes. The series is expanded again by the calendar package from an
// Invite rebuilt from those pieces, so both paths give the same
// occurrences; ApplyInvite checks that they do, and logs when not.
//
// Zones. An IANA zone is stored by name. A zone that only the invitation
// defines (a VTIMEZONE whose TZID is neither an IANA nor a Windows name:
// Outlook's "Customized Time Zone", "(UTC+01:00) Amsterdam, Berlin, ...")
// cannot be named again, so its UTC offsets are sampled from the invite
// over the series' years and stored as TZif (RFC 8536), which
// time.LoadLocationFromTZData reads back. Beyond the sampled years the last
// offset holds.
//
// DATE values. An EXDATE or RECURRENCE-ID given as a DATE on a series with
// a time of day names a whole day, which an Invite built by hand cannot
// say; such days are kept in Series.ExDays and their instances dropped
// after expansion.

// topUpBatch bounds the series one TopUp call works on, so that the
// dispatcher's run stays short; the rest wait for the next run.
const topUpBatch = 25

// zoneYears is how far ahead the offsets of a zone the invitation defined
// are sampled, and zoneSpan the longest stretch sampled in all.
const (
	zoneYears = 10
	zoneSpan  = 30 * 366 * 24 * time.Hour
)

// pastSlack is how far back exclusions and overrides are kept: a little
// more than a day, so that nothing near now is dropped whatever the zone.
const pastSlack = 48 * time.Hour

// saveAttempts bounds the re-reads when a series changed while being saved.
const saveAttempts = 3

// TopUpResult counts what a TopUp call did.
type TopUpResult struct {
	Series    int  // series read because their horizon moved
	Created   int  // sessions made
	Ended     int  // series with nothing more to make
	Failed    int  // series left for the next run after an error
	Remaining bool // more series were due than one call takes
}

// TopUp moves the horizon of each series whose earliest occurrence in it
// has passed: it makes the occurrences now among the next Horizon into
// sessions, with their emails scheduled. It reads only the series that
// need it (one Query), and each of those again, strongly consistent,
// before acting. It is idempotent: an occurrence that has a session is
// skipped, and a session made meanwhile by another run wins the
// conditional create. A series that cannot be expanded, or whose coach or
// leaders are all gone, ends. Errors of one series are logged and joined
// into the returned error, and the others are still done.
func (c *Cycle) TopUp(ctx context.Context, now time.Time) (TopUpResult, error) {
	var res TopUpResult
	due, err := c.Store.SeriesToTopUp(ctx, now, topUpBatch)
	if err != nil {
		return res, fmt.Errorf("list series to top up: %w", err)
	}
	res.Remaining = len(due) == topUpBatch
	var errs []error
	for _, s := range due {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		created, ended, err := c.topUpSeries(ctx, s.UID, now)
		res.Series++
		res.Created += created
		if ended {
			res.Ended++
		}
		if err != nil {
			res.Failed++
			c.log().ErrorContext(ctx, "series: top-up failed; tried again on the next run", "uid", s.UID, "err", err)
			errs = append(errs, fmt.Errorf("top up series %s: %w", s.UID, err))
		}
	}
	return res, errors.Join(errs...)
}

func (c *Cycle) topUpSeries(ctx context.Context, uid string, now time.Time) (created int, ended bool, err error) {
	s, err := c.Store.SeriesByUID(ctx, uid)
	if coaching.IsNotFound(err) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("load series: %w", err)
	}
	if !s.Active() || !s.TopUpAt.Before(now) {
		return 0, false, nil // topped up or ended meanwhile
	}
	end := func(reason string, args ...any) (int, bool, error) {
		c.log().WarnContext(ctx, "series: ended", append([]any{"uid", uid, "reason", reason}, args...)...)
		s.TopUpAt, s.UpdatedAt = time.Time{}, now
		if err := c.Store.UpdateSeries(ctx, s); err != nil && !coaching.IsConflict(err) {
			return 0, false, fmt.Errorf("end series: %w", err)
		}
		return 0, true, nil
	}
	inv, err := seriesInvite(s)
	if err != nil {
		return end("cannot be expanded", "err", err)
	}
	if _, err := c.Store.CoachByID(ctx, s.CoachID); coaching.IsNotFound(err) {
		return end("coach gone")
	} else if err != nil {
		return 0, false, fmt.Errorf("load coach: %w", err)
	}
	var leaders []string
	for _, id := range s.LeaderIDs {
		_, err := c.Store.LeaderByID(ctx, id)
		if coaching.IsNotFound(err) {
			continue // erased: the series goes on without them
		} else if err != nil {
			return 0, false, fmt.Errorf("load leader: %w", err)
		}
		leaders = append(leaders, id)
	}
	if len(leaders) == 0 {
		return end("no leader left")
	}

	occs := seriesOccurrences(s, inv, now, Horizon)
	for _, o := range occs {
		if o.Cancelled || o.Start.Before(s.Through) {
			continue // not a session, or considered by an earlier run
		}
		r := rid(o.RecurrenceID)
		if _, err := c.Store.SessionByCalendar(ctx, s.UID, r); err == nil {
			continue
		} else if !coaching.IsNotFound(err) {
			return created, false, fmt.Errorf("look up occurrence %s: %w", r, err)
		}
		_, err := c.AddSession(ctx, coaching.Session{
			CoachID: s.CoachID, LeaderIDs: leaders, Title: s.Title, Start: o.Start.UTC(), End: o.End.UTC(),
			TimeZone: s.TimeZone, CalendarUID: s.UID, RecurrenceID: r, Sequence: s.Sequence,
		})
		switch {
		case coaching.IsConflict(err):
			continue // made meanwhile by another run
		case coaching.IsInvalid(err):
			// Retrying cannot make it valid; the other occurrences go on.
			c.log().WarnContext(ctx, "series: occurrence refused", "uid", uid, "occurrence", r, "err", err)
			continue
		case err != nil:
			return created, false, fmt.Errorf("create session of occurrence %s: %w", r, err)
		}
		created++
	}
	advance(&s, occs)
	prune(&s, now)
	s.LeaderIDs, s.UpdatedAt = leaders, now
	if err := c.Store.UpdateSeries(ctx, s); err != nil && !coaching.IsConflict(err) {
		// A conflict means a new revision arrived meanwhile: it is read
		// afresh by the next run.
		return created, false, fmt.Errorf("save series: %w", err)
	}
	return created, !s.Active(), nil
}

// advance records that the occurrences occs (the horizon from now, by
// start) have been made into sessions.
func advance(s *coaching.Series, occs []calendar.Occurrence) {
	if n := len(occs); n > 0 && occs[n-1].Start.After(s.Through) {
		s.Through = occs[n-1].Start.UTC()
	}
	if len(occs) < Horizon {
		s.TopUpAt = time.Time{} // the series has nothing beyond
		return
	}
	s.TopUpAt = occs[0].Start.UTC()
}

// keepSeries stores the series of a master invitation (one without
// RECURRENCE-ID, its stored overrides added by withStoredOverrides) after
// ApplyInvite made the occurrences made (its horizon, by start) into
// sessions: a new series, or a revision at least as new as the stored one.
// An invitation that no longer recurs ends the stored series.
func (c *Cycle) keepSeries(ctx context.Context, coach coaching.Coach, inv *calendar.Invite, leaders []string, made []calendar.Occurrence, now time.Time) error {
	recurring := inv.RRule != "" || len(inv.RDates) > 0
	for attempt := 1; ; attempt++ {
		cur, err := c.Store.SeriesByUID(ctx, inv.UID)
		found := err == nil
		if err != nil && !coaching.IsNotFound(err) {
			return fmt.Errorf("load series: %w", err)
		}
		if found && (cur.CoachID != coach.ID || inv.Sequence < cur.Sequence) {
			return nil // another coach's, or an older revision arriving late
		}
		var s coaching.Series
		switch {
		case recurring:
			if s, err = seriesOf(inv, coach.ID, leaders, now); err != nil {
				return fmt.Errorf("series of invitation: %w", err)
			}
			advance(&s, made)
			c.checkExpansion(ctx, s, inv, now)
		case found && cur.Active():
			s = cur
			s.TopUpAt, s.Sequence = time.Time{}, inv.Sequence
		default:
			return nil
		}
		s.UpdatedAt = now
		if found {
			s.Version = cur.Version
			err = c.Store.UpdateSeries(ctx, s)
		} else {
			err = c.Store.CreateSeries(ctx, s)
		}
		if err == nil || !coaching.IsConflict(err) || attempt == saveAttempts {
			if err != nil {
				return fmt.Errorf("save series: %w", err)
			}
			return nil
		}
	}
}

// withStoredOverrides returns inv with the overrides of its stored series
// that came in messages about one occurrence added, when they are not
// older than inv and inv does not change that occurrence itself: a master
// sent again does not undo a later change of one occurrence (a
// cancellation beyond the horizon, which no session records yet).
func withStoredOverrides(inv *calendar.Invite, stored coaching.Series, now time.Time) *calendar.Invite {
	cutoff := now.Add(-pastSlack)
	var add []calendar.Invite
	for _, o := range stored.Overrides {
		if o.Sequence < inv.Sequence || o.RecurrenceID.Before(cutoff) && (o.Start.IsZero() || o.Start.Before(cutoff)) ||
			slices.ContainsFunc(inv.Overrides, func(x calendar.Invite) bool { return x.RecurrenceID.Equal(o.RecurrenceID) }) {
			continue
		}
		loc := inv.Start.Location()
		ov := calendar.Invite{UID: inv.UID, Sequence: o.Sequence, RecurrenceID: o.RecurrenceID.In(loc)}
		if !o.Start.IsZero() {
			ov.Start, ov.End = o.Start.In(loc), o.End.In(loc)
		}
		if o.Cancelled {
			ov.Status = "CANCELLED"
		}
		add = append(add, ov)
	}
	if len(add) == 0 {
		return inv
	}
	merged := *inv // a copy keeps the zone the calendar package resolved
	merged.Overrides = append(slices.Clip(inv.Overrides), add...)
	return &merged
}

// mergeDays adds the stored excluded days not yet past to fresh ones.
func mergeDays(fresh, stored []string, now time.Time) []string {
	cutoff := now.Add(-pastSlack).UTC().Format(time.DateOnly)
	for _, d := range stored {
		if d >= cutoff && !slices.Contains(fresh, d) {
			fresh = append(fresh, d)
		}
	}
	slices.Sort(fresh)
	return fresh
}

// endSeries records the cancellation of a whole series.
func (c *Cycle) endSeries(ctx context.Context, coach coaching.Coach, inv *calendar.Invite, now time.Time) error {
	return c.changeSeries(ctx, coach, inv.UID, func(s *coaching.Series) bool {
		if inv.Sequence < s.Sequence || s.Cancelled {
			return false
		}
		s.Cancelled, s.TopUpAt, s.Sequence = true, time.Time{}, inv.Sequence
		return true
	}, now)
}

// noteOverride records a change of one occurrence of a series, from a
// message about that occurrence alone, so that a later top-up honours it:
// an occurrence cancelled or moved before it was made into a session.
func (c *Cycle) noteOverride(ctx context.Context, coach coaching.Coach, inv *calendar.Invite, cancelled bool, now time.Time) error {
	return c.changeSeries(ctx, coach, inv.UID, func(s *coaching.Series) bool {
		o := coaching.SeriesOverride{
			RecurrenceID: inv.RecurrenceID.UTC(), Start: utc(inv.Start), End: utc(inv.End),
			Cancelled: cancelled || inv.Status == "CANCELLED", Sequence: inv.Sequence,
		}
		i := slices.IndexFunc(s.Overrides, func(x coaching.SeriesOverride) bool { return x.RecurrenceID.Equal(o.RecurrenceID) })
		switch {
		case i < 0:
			s.Overrides = append(s.Overrides, o)
		case s.Overrides[i].Sequence > o.Sequence || s.Overrides[i] == o:
			return false
		default:
			s.Overrides[i] = o
		}
		if loc, err := seriesLocation(*s); err == nil && !s.AllDay && !isMidnight(s.Start.In(loc)) && isMidnight(inv.RecurrenceID) {
			s.ExDays = mergeDays([]string{inv.RecurrenceID.In(loc).Format(time.DateOnly)}, s.ExDays, now)
		}
		prune(s, now)
		return true
	}, now)
}

// prune drops what can no longer matter to a series from now on: the
// exclusions, extra dates and overrides long past, so that a series that
// runs for years, changed one occurrence at a time, stays small.
func prune(s *coaching.Series, now time.Time) {
	cutoff := now.Add(-pastSlack)
	past := func(t time.Time) bool { return t.Before(cutoff) }
	s.RDates = slices.DeleteFunc(s.RDates, past)
	s.ExDates = slices.DeleteFunc(s.ExDates, past)
	s.Overrides = slices.DeleteFunc(s.Overrides, func(o coaching.SeriesOverride) bool {
		return past(o.RecurrenceID) && (o.Start.IsZero() || past(o.Start))
	})
	s.ExDays = mergeDays(nil, s.ExDays, now)
}

// changeSeries applies change to the stored series of uid, if it is the
// coach's, and saves it when change reports a change; a series changed
// meanwhile is read again.
func (c *Cycle) changeSeries(ctx context.Context, coach coaching.Coach, uid string, change func(*coaching.Series) bool, now time.Time) error {
	for attempt := 1; ; attempt++ {
		s, err := c.Store.SeriesByUID(ctx, uid)
		if coaching.IsNotFound(err) {
			return nil // not a series we keep: a single event, or unknown
		} else if err != nil {
			return fmt.Errorf("load series: %w", err)
		}
		if s.CoachID != coach.ID || !change(&s) {
			return nil
		}
		s.UpdatedAt = now
		err = c.Store.UpdateSeries(ctx, s)
		if err == nil || !coaching.IsConflict(err) || attempt == saveAttempts {
			if err != nil {
				return fmt.Errorf("save series: %w", err)
			}
			return nil
		}
	}
}

// checkExpansion logs when the stored series would expand differently from
// the invitation it came from: its later sessions could then be wrong.
func (c *Cycle) checkExpansion(ctx context.Context, s coaching.Series, inv *calendar.Invite, now time.Time) {
	const n = 3 * Horizon
	rebuilt, err := seriesInvite(s)
	if err != nil {
		c.log().WarnContext(ctx, "series: stored form cannot be expanded", "uid", s.UID, "err", err)
		return
	}
	want, got := inv.Occurrences(now, n), seriesOccurrences(s, rebuilt, now, n)
	same := len(want) == len(got)
	for i := 0; same && i < len(want); i++ {
		w, g := want[i], got[i]
		same = w.Start.Equal(g.Start) && w.End.Equal(g.End) && w.RecurrenceID.Equal(g.RecurrenceID) && w.Cancelled == g.Cancelled
	}
	if !same {
		c.log().WarnContext(ctx, "series: stored form expands differently from the invitation; later sessions may differ",
			"uid", s.UID, "zone", s.TimeZone, "rule", s.RRule)
	}
}

func (c *Cycle) log() *slog.Logger {
	if c.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Log
}

// seriesOf takes from a master invitation what expanding its series again
// needs, leaving out exclusions and overrides long past.
func seriesOf(inv *calendar.Invite, coachID string, leaders []string, now time.Time) (coaching.Series, error) {
	name, data, err := zoneOf(inv, now)
	if err != nil {
		return coaching.Series{}, err
	}
	s := coaching.Series{
		UID: inv.UID, CoachID: coachID, LeaderIDs: slices.Clone(leaders), Title: inv.Summary, Sequence: inv.Sequence,
		TimeZone: name, ZoneData: data, Start: inv.Start.UTC(), End: inv.End.UTC(), AllDay: inv.AllDay, RRule: inv.RRule,
	}
	loc, err := seriesLocation(s)
	if err != nil {
		return coaching.Series{}, err
	}
	cutoff := now.Add(-pastSlack)
	dated := !inv.AllDay && !isMidnight(inv.Start)
	days := map[string]bool{}
	for _, t := range inv.RDates {
		if !t.Before(cutoff) {
			s.RDates = append(s.RDates, t.UTC())
		}
	}
	for _, t := range inv.ExDates {
		if t.Before(cutoff) {
			continue
		}
		if dated && isMidnight(t) {
			// A DATE: the calendar package matches it by its own date.
			days[t.Format(time.DateOnly)] = true
			continue
		}
		s.ExDates = append(s.ExDates, t.UTC())
	}
	for _, o := range inv.Overrides {
		if o.RecurrenceID.IsZero() || o.RecurrenceID.Before(cutoff) && (o.Start.IsZero() || o.Start.Before(cutoff)) {
			continue
		}
		if dated && isMidnight(o.RecurrenceID) {
			// A DATE: matched by its date in the event's zone.
			days[o.RecurrenceID.In(loc).Format(time.DateOnly)] = true
		}
		s.Overrides = append(s.Overrides, coaching.SeriesOverride{
			RecurrenceID: o.RecurrenceID.UTC(), Start: utc(o.Start), End: utc(o.End),
			Cancelled: o.Status == "CANCELLED", Sequence: o.Sequence,
		})
	}
	for d := range days {
		s.ExDays = append(s.ExDays, d)
	}
	slices.Sort(s.ExDays)
	return s, nil
}

// seriesInvite rebuilds the Invite a series came from, as far as expanding
// it goes.
func seriesInvite(s coaching.Series) (*calendar.Invite, error) {
	loc, err := seriesLocation(s)
	if err != nil {
		return nil, err
	}
	inv := &calendar.Invite{
		Method: "REQUEST", UID: s.UID, Sequence: s.Sequence, Summary: s.Title, TZID: s.TimeZone,
		Start: s.Start.In(loc), End: s.End.In(loc), AllDay: s.AllDay, RRule: s.RRule,
	}
	for _, t := range s.RDates {
		inv.RDates = append(inv.RDates, t.In(loc))
	}
	for _, t := range s.ExDates {
		inv.ExDates = append(inv.ExDates, t.In(loc))
	}
	for _, o := range s.Overrides {
		ov := calendar.Invite{UID: s.UID, Sequence: o.Sequence, RecurrenceID: o.RecurrenceID.In(loc)}
		if !o.Start.IsZero() {
			ov.Start, ov.End = o.Start.In(loc), o.End.In(loc)
		}
		if o.Cancelled {
			ov.Status = "CANCELLED"
		}
		inv.Overrides = append(inv.Overrides, ov)
	}
	return inv, nil
}

// seriesOccurrences returns at most n occurrences of a series starting at
// or after from, as Invite.Occurrences does, less the instances on the
// series' excluded days.
func seriesOccurrences(s coaching.Series, inv *calendar.Invite, from time.Time, n int) []calendar.Occurrence {
	if len(s.ExDays) == 0 {
		return inv.Occurrences(from, n)
	}
	overridden := map[int64]bool{}
	for _, o := range s.Overrides {
		overridden[o.RecurrenceID.Unix()] = true
	}
	loc := inv.Start.Location()
	for want := n + len(s.ExDays); ; want *= 2 {
		all := inv.Occurrences(from, want)
		out := make([]calendar.Occurrence, 0, n)
		for _, o := range all {
			if !overridden[o.RecurrenceID.Unix()] && slices.Contains(s.ExDays, o.RecurrenceID.In(loc).Format(time.DateOnly)) {
				continue
			}
			out = append(out, o)
			if len(out) == n {
				return out
			}
		}
		if len(all) < want || want >= calendar.ExpansionLimit {
			return out
		}
	}
}

// seriesLocation returns the zone a series recurs in.
func seriesLocation(s coaching.Series) (*time.Location, error) {
	if len(s.ZoneData) > 0 {
		loc, err := time.LoadLocationFromTZData(s.TimeZone, s.ZoneData)
		if err != nil {
			return nil, fmt.Errorf("zone %q of series: %w", s.TimeZone, err)
		}
		return loc, nil
	}
	loc, ok := ianaLocation(s.TimeZone)
	if !ok {
		return nil, fmt.Errorf("zone %q of series is unknown", s.TimeZone)
	}
	return loc, nil
}

// ianaLocation loads a zone of the tz database; "" is UTC. The host's own
// zone ("Local") says nothing about an invitation and is refused.
func ianaLocation(name string) (*time.Location, bool) {
	if name == "" {
		return time.UTC, true
	}
	if name == "Local" {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

// zoneOf returns the name of the zone an invitation's times are in and,
// when that is not a zone of the tz database, its offsets as TZif.
func zoneOf(inv *calendar.Invite, now time.Time) (string, []byte, error) {
	name := inv.TZID
	if name == "" {
		name = inv.Start.Location().String()
	}
	// The calendar package gives times in an IANA zone in that zone's
	// location, and times in a zone of the invitation's own in fixed
	// offsets named by abbreviation.
	if loc, ok := ianaLocation(name); ok && loc.String() == inv.Start.Location().String() {
		return name, nil, nil
	}
	data, err := sampleZone(inv, now)
	if err != nil {
		return "", nil, fmt.Errorf("zone %q: %w", name, err)
	}
	return name, data, nil
}

// offsetAt is a zone's offset and abbreviation at one instant.
type offsetAt struct {
	at   int64 // Unix seconds
	off  int
	abbr string
}

// sampleZone finds the offsets of an invitation's zone, from its start (or
// now, if earlier) to zoneYears ahead: a sample a day, and at each change
// a bisection to the second. The invitation's zone is not exported by the
// calendar package; its offsets are read from occurrences it presents in
// that zone: cancelled overrides without a start, which Occurrences
// returns at their recurrence id.
func sampleZone(inv *calendar.Invite, now time.Time) ([]byte, error) {
	hi := now.AddDate(zoneYears, 0, 0)
	lo := inv.Start
	if now.Before(lo) {
		lo = now
	}
	lo = lo.Add(-pastSlack)
	var points []time.Time
	if hi.Sub(lo) > zoneSpan {
		points = append(points, lo) // the start: only its own offset matters
		lo = hi.Add(-zoneSpan)
	}
	for t := lo; !t.After(hi); t = t.Add(24 * time.Hour) {
		points = append(points, t)
	}
	samples, err := probeZone(inv, points)
	if err != nil {
		return nil, err
	}
	shifts := []offsetAt{samples[0]}
	for i := 1; i < len(samples); i++ {
		s, prev := samples[i], samples[i-1]
		if s.off == prev.off && s.abbr == prev.abbr {
			continue
		}
		// The change lies in (prev, s]; find its first second.
		before, after := prev.at, s.at
		for after-before > 1 {
			mid := before + (after-before)/2
			m, err := probeZone(inv, []time.Time{time.Unix(mid, 0)})
			if err != nil {
				return nil, err
			}
			if m[0].off == s.off && m[0].abbr == s.abbr {
				after = mid
			} else {
				before = mid
			}
		}
		s.at = after
		shifts = append(shifts, s)
	}
	return tzif(shifts)
}

// probeZone returns the offsets of inv's zone at the instants ts.
func probeZone(inv *calendar.Invite, ts []time.Time) ([]offsetAt, error) {
	p := *inv // keeps the zone the calendar package resolved
	p.Method, p.Status, p.RRule, p.RDates, p.ExDates, p.RecurrenceID = "", "", "", nil, nil, time.Time{}
	p.Start = ts[0].In(inv.Start.Location())
	p.Overrides = make([]calendar.Invite, len(ts))
	for i, t := range ts {
		p.Overrides[i] = calendar.Invite{RecurrenceID: t, Status: "CANCELLED"}
	}
	occs := p.Occurrences(ts[0], len(ts))
	if len(occs) != len(ts) {
		return nil, fmt.Errorf("zone probe: %d offsets for %d instants", len(occs), len(ts))
	}
	out := make([]offsetAt, len(occs))
	for i, o := range occs {
		abbr, off := o.Start.Zone()
		out[i] = offsetAt{at: o.Start.Unix(), off: off, abbr: abbr}
	}
	return out, nil
}

// tzif writes a zone as TZif version 2 (RFC 8536): shifts[0] holds from
// the beginning of time, each later one from its instant, the last for
// ever. The version 1 block, which readers of version 2 skip, holds the
// first offset alone.
func tzif(shifts []offsetAt) ([]byte, error) {
	type ttinfo struct {
		off  int
		dst  bool
		abbr string
	}
	std := shifts[0].off
	for _, s := range shifts {
		std = min(std, s.off)
	}
	info := func(s offsetAt) ttinfo { return ttinfo{s.off, s.off > std, designation(s)} }
	// Type 0 is the zone before the first transition and used by none, so
	// that readers take it for earlier times (RFC 8536 §3.2).
	types := []ttinfo{info(shifts[0])}
	var idx []byte
	for _, s := range shifts {
		t := info(s)
		i := slices.Index(types[1:], t) + 1
		if i == 0 {
			if len(types) == 256 {
				return nil, errors.New("zone has too many kinds of offset")
			}
			types = append(types, t)
			i = len(types) - 1
		}
		idx = append(idx, byte(i))
	}
	var chars []byte
	at := map[string]int{}
	for _, t := range types {
		if _, ok := at[t.abbr]; !ok {
			at[t.abbr] = len(chars)
			chars = append(append(chars, t.abbr...), 0)
		}
	}
	if len(chars) > 256 {
		return nil, errors.New("zone abbreviations too long") // indexed by a byte
	}
	var b bytes.Buffer
	u32 := func(v int) { _ = binary.Write(&b, binary.BigEndian, uint32(v)) }
	header := func(timecnt, typecnt, charcnt int) {
		b.WriteString("TZif2")
		b.Write(make([]byte, 15))
		u32(0) // isutcnt
		u32(0) // isstdcnt
		u32(0) // leapcnt
		u32(timecnt)
		u32(typecnt)
		u32(charcnt)
	}
	ttinfoOf := func(t ttinfo, abbrAt int) {
		_ = binary.Write(&b, binary.BigEndian, int32(t.off))
		dst := byte(0)
		if t.dst {
			dst = 1
		}
		b.WriteByte(dst)
		b.WriteByte(byte(abbrAt))
	}
	first := types[0]
	header(0, 1, len(first.abbr)+1)
	ttinfoOf(first, 0)
	b.WriteString(first.abbr)
	b.WriteByte(0)

	header(len(shifts), len(types), len(chars))
	for _, s := range shifts {
		_ = binary.Write(&b, binary.BigEndian, s.at)
	}
	b.Write(idx)
	for _, t := range types {
		ttinfoOf(t, at[t.abbr])
	}
	b.Write(chars)
	b.WriteString("\n\n") // no TZ string: the last offset holds
	return b.Bytes(), nil
}

// designation returns a time zone abbreviation TZif accepts: the one the
// zone gives when it is plain letters, digits, '+' and '-', else the
// offset ("+0530").
func designation(s offsetAt) string {
	ok := len(s.abbr) >= 3 && len(s.abbr) <= 6
	for _, r := range s.abbr {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '-') {
			ok = false
		}
	}
	if ok {
		return s.abbr
	}
	sign, off := '+', s.off
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d%02d", sign, off/3600, off/60%60)
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
