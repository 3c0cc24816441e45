package dynamo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
)

func newSeries(uid string, topUpAt time.Time) coaching.Series {
	return coaching.Series{
		UID: uid, CoachID: "c1", LeaderIDs: []string{"l1", "l2"}, Title: "Weekly " + uid, Sequence: 2,
		TimeZone: "Europe/Berlin", Start: at(-14 * day), End: at(-14*day + hour),
		RRule: "FREQ=WEEKLY;COUNT=20", RDates: []time.Time{at(3 * day)}, ExDates: []time.Time{at(7 * day)},
		Overrides: []coaching.SeriesOverride{
			{RecurrenceID: at(14 * day), Start: at(15 * day), End: at(15*day + hour), Sequence: 2},
			{RecurrenceID: at(21 * day), Cancelled: true, Sequence: 3}, // cancelled only: no times
		},
		Through: at(42 * day), TopUpAt: topUpAt, UpdatedAt: at(-time.Hour),
	}
}

func seriesUIDs(ss []coaching.Series) []string {
	return ids(ss, func(s coaching.Series) string { return s.UID })
}

func testSeries(t *testing.T, e *env) {
	first := newSeries("a@calendar.example", at(hour))
	first.ZoneData = []byte("TZif2 rules of a zone the invitation defined")
	later := newSeries("b@calendar.example", at(3*hour))
	sameTime := newSeries("c@calendar.example", at(hour))
	done := newSeries("d@calendar.example", time.Time{})
	for _, s := range []coaching.Series{later, done, first, sameTime} {
		must(t, "CreateSeries "+s.UID, e.store.CreateSeries(e.ctx, s))
	}
	wantCode(t, "CreateSeries(UID taken)", e.store.CreateSeries(e.ctx, first), coaching.ECONFLICT)

	got, err := e.store.SeriesByUID(e.ctx, first.UID)
	must(t, "SeriesByUID", err)
	want := first
	want.Version = 1
	equal(t, "SeriesByUID", got, want)

	toTopUp := func(when time.Time, limit int, want ...string) {
		t.Helper()
		got, err := e.store.SeriesToTopUp(e.ctx, when, limit)
		must(t, "SeriesToTopUp", err)
		equal(t, "SeriesToTopUp("+when.Format(time.RFC3339)+")", seriesUIDs(got), append([]string{}, want...))
	}
	// Strictly before: a series whose top-up time is now waits, because
	// the occurrence starting now is still in its horizon.
	toTopUp(at(hour), 0)
	toTopUp(at(hour+time.Second), 0, first.UID, sameTime.UID)
	toTopUp(at(4*hour), 0, first.UID, sameTime.UID, later.UID)
	toTopUp(at(4*hour), 2, first.UID, sameTime.UID)

	// Topped up: it moves along the index; a stale version is refused.
	got.TopUpAt = at(5 * hour)
	must(t, "UpdateSeries", e.store.UpdateSeries(e.ctx, got))
	wantCode(t, "UpdateSeries(stale)", e.store.UpdateSeries(e.ctx, got), coaching.ECONFLICT)
	toTopUp(at(4*hour), 0, sameTime.UID, later.UID)
	toTopUp(at(6*hour), 0, sameTime.UID, later.UID, first.UID)
	stored, err := e.store.SeriesByUID(e.ctx, first.UID)
	must(t, "SeriesByUID after update", err)
	equal(t, "version after update", stored.Version, 2)

	// Cancelled: it leaves the index and expires a year after it ended.
	stored.Cancelled, stored.UpdatedAt = true, at(2*hour)
	must(t, "UpdateSeries(cancel)", e.store.UpdateSeries(e.ctx, stored))
	toTopUp(at(6*hour), 0, sameTime.UID, later.UID)
	item := e.rawItem(t, "SERIES#"+first.UID, "SERIES")
	if _, ok := item["GSI2PK"]; ok {
		t.Errorf("a cancelled series is still in GSI2: %v", item["GSI2PK"])
	}
	// Through (42 days on) is later than the cancellation.
	if got, ok := ttlOf(t, item); !ok || got != at(42*day+365*day).Unix() {
		t.Errorf("ttl of the cancelled series = %d (present %v), want a year after its last session", got, ok)
	}
	if _, ok := ttlOf(t, e.rawItem(t, "SERIES#"+later.UID, "SERIES")); ok {
		t.Errorf("an active series has a ttl")
	}

	_, err = e.store.SeriesByUID(e.ctx, "unknown@calendar.example")
	wantCode(t, "SeriesByUID(unknown)", err, coaching.ENOTFOUND)
	_, err = e.store.SeriesByUID(e.ctx, strings.Repeat("u", 5000))
	wantCode(t, "SeriesByUID(huge UID)", err, coaching.ENOTFOUND)

	bad := newSeries("", at(hour))
	wantCode(t, "CreateSeries(no UID)", e.store.CreateSeries(e.ctx, bad), coaching.EINVALID)
	bad = newSeries("e@calendar.example", at(hour))
	bad.LeaderIDs = []string{"l1", "l1"}
	wantCode(t, "CreateSeries(leader twice)", e.store.CreateSeries(e.ctx, bad), coaching.EINVALID)
	bad.LeaderIDs = []string{"l1"}
	bad.Overrides = []coaching.SeriesOverride{{Start: at(0)}}
	wantCode(t, "CreateSeries(override without recurrence id)", e.store.CreateSeries(e.ctx, bad), coaching.EINVALID)
	bad.Overrides = nil
	bad.ExDates = []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	wantCode(t, "CreateSeries(year 10000)", e.store.CreateSeries(e.ctx, bad), coaching.EINVALID)
	_, err = e.store.SeriesByUID(e.ctx, bad.UID)
	wantCode(t, "SeriesByUID after refused creates", err, coaching.ENOTFOUND)
}
