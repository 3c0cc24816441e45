package dynamo

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

// seriesKeep is how long a series that needs nothing more stays: long
// enough for a late update or cancellation of one of its occurrences to
// find it, short enough not to keep a title naming people for ever.
const seriesKeep = 365 * 24 * time.Hour

type seriesItem struct {
	meta
	coaching.Series
}

func checkSeries(ss coaching.Series) error {
	if err := checkID("series UID", ss.UID); err != nil {
		return err
	}
	if err := checkID("coach id of series "+ss.UID, ss.CoachID); err != nil {
		return err
	}
	for i, l := range ss.LeaderIDs {
		if err := checkID("leader id of series "+ss.UID, l); err != nil {
			return err
		}
		if slices.Contains(ss.LeaderIDs[:i], l) {
			return coaching.Errorf(coaching.EINVALID, "series %s lists leader %s twice", ss.UID, l)
		}
	}
	if ss.Start.IsZero() {
		return coaching.Errorf(coaching.EINVALID, "series %s has no start", ss.UID)
	}
	times := []time.Time{ss.Start, ss.End, ss.Through, ss.TopUpAt, ss.UpdatedAt}
	times = append(times, ss.RDates...)
	times = append(times, ss.ExDates...)
	for _, o := range ss.Overrides {
		if o.RecurrenceID.IsZero() {
			return coaching.Errorf(coaching.EINVALID, "an override of series %s has no recurrence id", ss.UID)
		}
		times = append(times, o.RecurrenceID, o.Start, o.End)
	}
	for _, t := range times {
		if err := checkTime("time of series "+ss.UID, t); err != nil {
			return err
		}
	}
	return nil
}

func seriesItemOf(ss coaching.Series) seriesItem {
	m := newMeta(typeSeries, seriesKey(ss.UID))
	if ss.Active() {
		m.GSI2PK, m.GSI2SK = activeSeriesPK, seriesTopUpSK(ss.TopUpAt, ss.UID)
	} else {
		end := ss.UpdatedAt
		if ss.Through.After(end) {
			end = ss.Through
		}
		if !end.IsZero() {
			m.TTL = ttlOf(end.Add(seriesKeep))
		}
	}
	return seriesItem{m, ss}
}

// CreateSeries stores a new series at Version 1 with one conditional
// PutItem; ECONFLICT when the UID exists.
func (s *Store) CreateSeries(ctx context.Context, ss coaching.Series) error {
	if err := checkSeries(ss); err != nil {
		return err
	}
	ss.Version = 1
	item, err := s.marshal(seriesItemOf(ss))
	if err != nil {
		return err
	}
	return s.put(ctx, item, absent(), "series "+ss.UID,
		coaching.Errorf(coaching.ECONFLICT, "series %s exists", ss.UID))
}

// UpdateSeries replaces a series whose stored Version is ss.Version with one
// conditional PutItem; the stored Version becomes ss.Version+1. A series
// that is no longer active leaves the top-up index and expires a year
// after it ended.
func (s *Store) UpdateSeries(ctx context.Context, ss coaching.Series) error {
	if err := checkSeries(ss); err != nil {
		return err
	}
	conflict := coaching.Errorf(coaching.ECONFLICT, "series %s changed since version %d (or does not exist)", ss.UID, ss.Version)
	v := ss.Version
	ss.Version++
	item, err := s.marshal(seriesItemOf(ss))
	if err != nil {
		return err
	}
	return s.put(ctx, item, versionIs(v), "series "+ss.UID, conflict)
}

// SeriesByUID reads the series of a calendar UID, strongly consistent.
func (s *Store) SeriesByUID(ctx context.Context, uid string) (coaching.Series, error) {
	if !lookupable(uid) {
		return coaching.Series{}, coaching.Errorf(coaching.ENOTFOUND, "series %q not found", uid)
	}
	var it seriesItem
	if err := s.get(ctx, seriesKey(uid), &it, "series "+uid); err != nil {
		return coaching.Series{}, err
	}
	return it.Series, nil
}

// SeriesToTopUp lists the active series whose TopUpAt is before t, earliest
// first, at most limit (0: all), with one Query of GSI2's SERIES partition:
// the series whose horizon has not moved are not read. The index lags
// writes by a moment, so a caller reads each series again (SeriesByUID)
// before acting on it.
func (s *Store) SeriesToTopUp(ctx context.Context, t time.Time, limit int) ([]coaching.Series, error) {
	if err := checkTime("top-up time", t); err != nil {
		return nil, err
	}
	items, err := queryInto[seriesItem](ctx, s, query{
		index: gsi2,
		key: expression.Key(attrGSI2PK).Equal(expression.Value(activeSeriesPK)).
			And(expression.Key(attrGSI2SK).LessThan(expression.Value(seriesBefore(t)))),
		limit: max(limit, 0),
	}, "series to top up")
	if err != nil {
		return nil, err
	}
	out := make([]coaching.Series, 0, len(items))
	for _, it := range items {
		out = append(out, it.Series)
	}
	return out, nil
}
