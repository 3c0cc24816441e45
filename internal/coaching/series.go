package coaching

import "time"

// Series is a recurring calendar event from a coach's invitation (an RRULE
// or RDATE series), kept so that its occurrences can be made into sessions
// a rolling horizon at a time: the next few when the invitation arrives,
// then one more as each passes. It holds what expanding the series again
// needs, so the original invitation is not kept.
type Series struct {
	// UID is the calendar UID, which the series' sessions carry.
	UID       string
	CoachID   string
	LeaderIDs []string
	Title     string
	// Sequence is the revision (iCalendar SEQUENCE) the series is at.
	Sequence int
	// TimeZone names the zone the series recurs in, whose wall-clock time
	// its occurrences keep across daylight-saving changes: an IANA name,
	// or a zone the invitation defined itself (Outlook's "Customized Time
	// Zone"), whose rules are then in ZoneData.
	TimeZone string
	// ZoneData holds the UTC offsets of a zone that is not in the tz
	// database, as TZif (RFC 8536); nil for an IANA zone.
	ZoneData []byte
	// Start and End are the first occurrence's (DTSTART and its end).
	Start, End time.Time
	AllDay     bool
	// RRule is the recurrence rule as the calendar package normalized it;
	// "" for a series of RDATEs alone.
	RRule string
	// RDates are extra occurrences, ExDates excluded ones; only those that
	// can still matter (not long past) are kept.
	RDates, ExDates []time.Time
	// ExDays are dates (YYYY-MM-DD, wall clock of the series' zone) whose
	// instance is excluded or replaced: an EXDATE or RECURRENCE-ID given as
	// a DATE on a series with a time of day names a whole day.
	ExDays []string
	// Overrides are occurrences moved, changed or cancelled on their own.
	Overrides []SeriesOverride
	// Through is the start of the latest occurrence made into a session;
	// occurrences starting before it were all considered already.
	Through time.Time
	// TopUpAt is when the horizon next moves on: the start of the earliest
	// occurrence in it, once passed, lets one more in. It is zero when the
	// series needs nothing more (cancelled, or every occurrence made).
	TopUpAt time.Time
	// Cancelled is set when the whole series was cancelled.
	Cancelled bool
	UpdatedAt time.Time
	Version   int
}

// Active reports whether the series still has occurrences to make into
// sessions.
func (s Series) Active() bool { return !s.Cancelled && !s.TopUpAt.IsZero() }

// SeriesOverride is one occurrence of a series changed on its own
// (a VEVENT with a RECURRENCE-ID).
type SeriesOverride struct {
	// RecurrenceID is the original start of the occurrence.
	RecurrenceID time.Time
	// Start and End are its new times; zero when it is only cancelled.
	Start, End time.Time
	Cancelled  bool
	// Sequence is the revision of the change; an older one does not
	// replace a newer.
	Sequence int
}
