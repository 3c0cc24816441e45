// Package calendar reads calendar invitations: iCalendar objects (RFC 5545)
// sent by email under iTIP (RFC 5546) by Google Calendar, Outlook and
// Exchange, Apple Calendar, Thunderbird, Zoom, Teams and the like. Read
// returns the event (an Invite) with its times resolved to instants, and
// Invite.Occurrences expands a recurring series.
//
// The text is decoded with github.com/emersion/go-ical and rules are
// expanded with github.com/teambition/rrule-go. Where real mail needs more
// than the RFC, or the libraries need guarding, this package departs as
// follows.
//
// Input. Read takes at most MaxSize bytes. It strips a byte-order mark,
// converts UTF-16, accepts CRLF, LF or CR line ends, and unfolds lines
// before decoding. A malformed content line is dropped with a warning rather
// than failing the whole object (go-ical would fail, or for some parameter
// lists panic); missing END lines are supplied; only the first VCALENDAR is
// read. Extension properties other than X-WR-TIMEZONE and
// X-MICROSOFT-CDO-ALLDAYEVENT (Outlook's X-MS-OLK-*, X-ALT-DESC, ...) and
// ATTACH are dropped unread, as are parameters Read does not use.
//
// Text. TEXT values are unescaped leniently: unknown escapes are kept as
// written and bare commas belong to the text. Parameter values are decoded
// per RFC 6868. Everything returned is valid UTF-8 with LF line ends.
//
// Addresses. ORGANIZER and ATTENDEE values are read as mailto: URIs in any
// letter case; a non-mailto value (urn:uuid:...) falls back to the RFC 6638
// EMAIL parameter. Addresses are lower-cased bare addresses; a CN equal to
// the address is dropped as carrying no name.
//
// Time zones. A TZID is resolved, in order, as an IANA name, an IANA name
// behind a global-ID prefix ("/mozilla.org/20070129_1/Europe/Paris"), a
// Windows name via package winzone (CLDR's default mapping), and finally the
// calendar's own VTIMEZONE of that TZID, whose STANDARD and DAYLIGHT rules
// are evaluated for each instant (at most 4 definitions per calendar and 12
// observances per definition; observance rules must be YEARLY, as in every
// real zone). A reading that falls in a spring-forward gap or an autumn
// overlap is resolved as RFC 5545 §3.3.5 says (the offset before the gap;
// the first of the two instants). The package embeds the tz database
// (time/tzdata), so IANA names resolve on hosts without zoneinfo.
//
// Floating times and dates. A DATE-TIME without TZID or "Z", an all-day
// DATE, and a TZID that nothing resolves are read in the calendar's own
// zone, which stands for the organizer's: X-WR-TIMEZONE, else the zone of
// the calendar's only VTIMEZONE. Without one they are read as UTC, with a
// warning (none for plain dates, which are routinely zone-less).
//
// Duration. DTEND, else DURATION (days nominal, time exact), else the
// RFC 5545 §3.6.1 default: one day for a DATE start, none for a DATE-TIME
// start (End equals Start, with a warning).
//
// Method and events. METHOD comes from the VCALENDAR; when absent, REQUEST
// is assumed with a warning. The first VEVENT without RECURRENCE-ID is the
// invite, and the VEVENTs with its UID and a RECURRENCE-ID are its
// Overrides; when every VEVENT has a RECURRENCE-ID (Outlook's update or
// cancellation of one occurrence), the first is the invite. VEVENTs with
// another UID are ignored with a warning. RECURRENCE-ID;RANGE=THISANDFUTURE
// is read as applying to the one occurrence.
//
// Recurrence. See Invite.Occurrences, ExpansionLimit and PeriodLimit. An
// RRULE whose parts can never match a date, or whose BYxxx lists make one
// period hold more than PeriodLimit candidate instances, is dropped with a
// warning, leaving DTSTART; so is a VTIMEZONE observance with such a rule
// (the definition is then unusable). Repeated values in a BYxxx list
// ("BYHOUR=9,09") count once.
package calendar

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// Errors Read returns for input it cannot read as an invitation.
var (
	// ErrNotCalendar means the input holds no BEGIN:VCALENDAR object.
	ErrNotCalendar = errors.New("calendar: not an iCalendar object")
	// ErrNoEvent means the calendar holds no VEVENT.
	ErrNoEvent = errors.New("calendar: no VEVENT")
	// ErrTooLarge means the input is larger than MaxSize.
	ErrTooLarge = errors.New("calendar: too large")
	// ErrMalformed means the calendar could not be decoded at all.
	ErrMalformed = errors.New("calendar: malformed")
)

// Invite is one event of an iTIP message: a meeting request, a cancellation,
// a reply, or an update of one occurrence of a series.
type Invite struct {
	// Method is the iTIP method (RFC 5546 §1.4), upper case: REQUEST,
	// CANCEL, REPLY, PUBLISH, ...
	Method string
	// UID identifies the event across updates.
	UID string
	// Sequence is the revision; an update with a higher one replaces a lower.
	Sequence int
	// Start and End are the event's instants, in its zone's location
	// (a fixed-offset location when the zone is a VTIMEZONE definition).
	// End is exclusive.
	Start, End time.Time
	// AllDay is set for DATE-valued starts and Outlook's all-day flag.
	AllDay bool
	// TZID names the zone Start is in: an IANA name (a Windows name is
	// given as its IANA zone), a VTIMEZONE's own TZID, or "UTC".
	TZID string
	// RRule is the recurrence rule, normalized (upper case, unknown parts
	// removed); empty when there is none or it could not be used.
	RRule string
	// RDates are extra occurrences (RDATE), and ExDates excluded ones (EXDATE).
	RDates, ExDates []time.Time
	// RecurrenceID is set when this event is one occurrence of a series:
	// the original start of that occurrence.
	RecurrenceID time.Time
	// Organizer is the organizer's bare address, lower-cased; OrganizerName
	// its display name (CN).
	Organizer, OrganizerName string
	// Attendees in the order given, each address once.
	Attendees []Attendee
	// Status is STATUS, upper case: CONFIRMED, TENTATIVE, CANCELLED or empty.
	Status string
	// Summary, Description and Location are unescaped text.
	Summary, Description, Location string
	// Overrides are the other VEVENTs with the same UID and a RECURRENCE-ID:
	// moved, changed or cancelled occurrences of the series.
	Overrides []Invite
	// Warnings say what was odd about the calendar, including its overrides.
	Warnings []string

	// What Occurrences needs beyond the exported fields; absent in an
	// Invite built by hand, when Occurrences falls back on them.
	zone     zone
	length   span
	lengthOK bool
	exdays   []time.Time // DATE-valued EXDATEs, as wall-clock midnights
	ridDate  bool        // RecurrenceID was a DATE
}

// Attendee is one ATTENDEE of an invite.
type Attendee struct {
	// Addr is the bare address, lower-cased.
	Addr string
	// Name is the display name (CN), empty when none was given.
	Name string
	// Role is ROLE (RFC 5545 §3.2.16), upper case; REQ-PARTICIPANT when absent.
	Role string
	// PartStat is PARTSTAT (§3.2.12), upper case; NEEDS-ACTION when absent.
	PartStat string
	// CUType is CUTYPE (§3.2.3), upper case; INDIVIDUAL when absent. Rooms
	// (ROOM, RESOURCE) are invited as attendees by Outlook and Google.
	CUType string
}

// Read reads one iCalendar object and returns its invite. Problems it can
// work around are listed in Invite.Warnings; an error means there is no
// usable event (ErrNotCalendar, ErrNoEvent, ErrTooLarge, ErrMalformed).
func Read(data []byte) (*Invite, error) {
	var w warnings
	text, err := normalize(data, &w)
	if err != nil {
		return nil, err
	}
	cal, err := decode(text)
	if err != nil {
		return nil, err
	}
	r := &reader{w: &w, zones: newResolver(cal, &w)}
	r.calendarZone(cal)

	method := ""
	if p := cal.Props.Get(ical.PropMethod); p != nil {
		method = strings.ToUpper(strings.TrimSpace(p.Value))
	}
	switch method {
	case "":
		method = "REQUEST"
		w.add("no METHOD; read as REQUEST")
	case "PUBLISH", "REQUEST", "REPLY", "ADD", "CANCEL", "REFRESH", "COUNTER", "DECLINECOUNTER":
	default:
		method = short(method)
		w.addf("unknown METHOD %q", method)
	}

	events := cal.Events()
	if len(events) == 0 {
		return nil, ErrNoEvent
	}
	master := -1
	for i, ev := range events {
		if ev.Props.Get(ical.PropRecurrenceID) == nil {
			master = i
			break
		}
	}
	if master < 0 {
		master = 0
	}
	inv := r.event(events[master].Component, "")
	inv.Method = method
	if inv.Organizer == "" && events[master].Props.Get(ical.PropOrganizer) == nil {
		w.add("no ORGANIZER") // RFC 5546 requires one for every method
	}
	others, dupMasters := 0, 0
	for i, ev := range events {
		if i == master {
			continue
		}
		if uid := propText(ev.Component, ical.PropUID); uid != inv.UID {
			others++
			continue
		}
		if ev.Props.Get(ical.PropRecurrenceID) == nil {
			dupMasters++
			continue
		}
		o := r.event(ev.Component, "override: ")
		o.Method = method
		inv.Overrides = append(inv.Overrides, o)
	}
	sort.SliceStable(inv.Overrides, func(i, j int) bool {
		return inv.Overrides[i].RecurrenceID.Before(inv.Overrides[j].RecurrenceID)
	})
	if others > 0 {
		w.addf("%d VEVENT(s) with another UID ignored", others)
	}
	if dupMasters > 0 {
		w.addf("%d further VEVENT(s) without RECURRENCE-ID ignored", dupMasters)
	}
	inv.Warnings = w.list
	return &inv, nil
}

// decode runs go-ical's decoder on normalized text. The recover is a last
// guard: normalize only passes lines the decoder accepts.
func decode(text string) (cal *ical.Calendar, err error) {
	defer func() {
		if p := recover(); p != nil {
			cal, err = nil, fmt.Errorf("%w: decoder failed: %v", ErrMalformed, p)
		}
	}()
	cal, err = ical.NewDecoder(strings.NewReader(text)).Decode()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return cal, nil
}

// reader holds what one Read call shares between events.
type reader struct {
	w     *warnings
	zones *resolver
	// local is the calendar's own zone for floating times, nil if unknown.
	local zone
}

// calendarZone finds the zone floating times are read in.
func (r *reader) calendarZone(cal *ical.Calendar) {
	if p := cal.Props.Get("X-WR-TIMEZONE"); p != nil {
		if z, ok := r.zones.resolve(p.Value); ok {
			r.local = z
			return
		}
	}
	if len(r.zones.defs) == 1 {
		for id := range r.zones.defs {
			if z, ok := r.zones.resolve(id); ok {
				r.local = z
			}
		}
	}
}

// event reads one VEVENT. Warnings are prefixed with prefix.
func (r *reader) event(c *ical.Component, prefix string) Invite {
	warn := func(format string, args ...any) { r.w.add(prefix + fmt.Sprintf(format, args...)) }
	inv := Invite{UID: propText(c, ical.PropUID)}
	if inv.UID == "" {
		warn("VEVENT without UID")
	}
	if p := c.Props.Get(ical.PropSequence); p != nil {
		n, err := strconv.Atoi(strings.TrimSpace(p.Value))
		if err != nil || n < 0 {
			warn("bad SEQUENCE %q read as 0", short(p.Value))
			n = 0
		}
		inv.Sequence = n
	}
	inv.Status = strings.ToUpper(propText(c, ical.PropStatus))
	inv.Summary = propText(c, ical.PropSummary)
	inv.Description = propText(c, ical.PropDescription)
	inv.Location = propText(c, ical.PropLocation)

	r.times(c, &inv, warn)
	r.people(c, &inv, warn)
	return inv
}

// times reads DTSTART, DTEND or DURATION, RRULE, RDATE, EXDATE and RECURRENCE-ID.
func (r *reader) times(c *ical.Component, inv *Invite, warn func(string, ...any)) {
	if p := c.Props.Get(ical.PropRecurrenceID); p != nil {
		rid, _, err := r.stamp(p, "RECURRENCE-ID", warn)
		if err != nil {
			warn("RECURRENCE-ID unusable: %v", err)
		} else {
			inv.RecurrenceID = rid.zone.present(rid.at)
			inv.ridDate = rid.kind == kindDate
		}
		if strings.EqualFold(p.Params.Get("RANGE"), "THISANDFUTURE") {
			warn("RECURRENCE-ID RANGE=THISANDFUTURE read as this occurrence only")
		}
	}

	sp := c.Props.Get(ical.PropDateTimeStart)
	if sp == nil {
		warn("VEVENT without DTSTART")
		return
	}
	start, z, err := r.stamp(sp, "DTSTART", warn)
	if err != nil {
		warn("DTSTART unusable: %v", err)
		return
	}
	inv.zone = z
	inv.TZID = z.name()
	inv.Start = z.present(start.at)
	inv.AllDay = start.kind == kindDate
	if p := c.Props.Get("X-MICROSOFT-CDO-ALLDAYEVENT"); p != nil && strings.EqualFold(strings.TrimSpace(p.Value), "TRUE") {
		inv.AllDay = true
	}

	inv.length, inv.lengthOK = r.length(c, start, warn)
	inv.End = z.present(inv.endOf(z, start.at))

	rules := c.Props.Values(ical.PropRecurrenceRule)
	if len(rules) > 1 {
		warn("%d RRULEs; only the first used", len(rules))
	}
	if len(rules) > 0 {
		norm, warns, err := normalizeRRule(rules[0].Value)
		for _, s := range warns {
			warn("%s", s)
		}
		var opt *rrule.ROption
		if err == nil {
			opt, err = rrule.StrToROption(norm)
		}
		var costly error
		if err == nil {
			costly = checkRule(opt)
		}
		if err == nil && costly == nil {
			opt.Dtstart = wallOf(z, start.at)
			_, err = rrule.NewRRule(*opt)
		}
		switch {
		case err != nil:
			warn("RRULE %q unusable: %v", short(rules[0].Value), err)
		case costly != nil:
			warn("RRULE %q expands too far (%v); only DTSTART kept", short(norm), costly)
		case opt.Freq <= rrule.DAILY && !firesEver(*opt):
			warn("RRULE %q matches no date; only DTSTART kept", short(norm))
		default:
			inv.RRule = norm
		}
	}
	for _, p := range c.Props.Values(ical.PropRecurrenceDates) {
		for _, s := range r.stamps(&p, "RDATE", warn) {
			inv.RDates = append(inv.RDates, s.zone.present(s.at))
		}
	}
	for _, p := range c.Props.Values(ical.PropExceptionDates) {
		for _, s := range r.stamps(&p, "EXDATE", warn) {
			inv.ExDates = append(inv.ExDates, s.zone.present(s.at))
			if s.kind == kindDate {
				inv.exdays = append(inv.exdays, s.wall)
			}
		}
	}
	sortTimes(inv.RDates)
	sortTimes(inv.ExDates)
}

// length reads how long the event lasts, from DTEND or DURATION.
func (r *reader) length(c *ical.Component, start stamp, warn func(string, ...any)) (span, bool) {
	if p := c.Props.Get(ical.PropDateTimeEnd); p != nil {
		end, _, err := r.stamp(p, "DTEND", warn)
		switch {
		case err != nil:
			warn("DTEND unusable: %v", err)
		case start.kind == kindDate && end.kind == kindDate:
			days := int(end.wall.Sub(start.wall).Hours() / 24)
			if days > 0 {
				return span{days: days}, true
			}
			warn("DTEND not after DTSTART; one day assumed")
			return span{days: 1}, true
		default:
			secs := end.at.Unix() - start.at.Unix()
			if secs >= 0 {
				return span{secs: secs}, true
			}
			warn("DTEND before DTSTART; no duration assumed")
			return span{}, true
		}
	}
	if p := c.Props.Get(ical.PropDuration); p != nil {
		d, err := parseDuration(p.Value)
		switch {
		case err != nil:
			warn("DURATION unusable: %v", err)
		case d.days < 0 || d.secs < 0:
			warn("negative DURATION ignored")
		default:
			return d, true
		}
	}
	if start.kind == kindDate {
		return span{days: 1}, true
	}
	warn("no DTEND or DURATION; End equals Start")
	return span{}, true
}

// stamp is a resolved DATE or DATE-TIME.
type stamp struct {
	value
	at   time.Time // the instant, UTC
	zone zone
}

// stamp reads a single-valued date-time property.
func (r *reader) stamp(p *ical.Prop, name string, warn func(string, ...any)) (stamp, zone, error) {
	v, err := parseValue(p.Value)
	if err != nil {
		return stamp{}, nil, err
	}
	s := r.resolveValue(v, p.Params, name, warn)
	return s, s.zone, nil
}

// stamps reads a list-valued date-time property (RDATE, EXDATE).
func (r *reader) stamps(p *ical.Prop, name string, warn func(string, ...any)) []stamp {
	var out []stamp
	for _, part := range strings.Split(p.Value, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		v, err := parseValue(part)
		if err != nil {
			warn("%s value unusable: %v", name, err)
			continue
		}
		out = append(out, r.resolveValue(v, p.Params, name, warn))
	}
	return out
}

// resolveValue gives a parsed value its zone and instant.
func (r *reader) resolveValue(v value, params ical.Params, name string, warn func(string, ...any)) stamp {
	s := stamp{value: v}
	if v.kind == kindUTC {
		s.zone, s.at = utcZone, v.wall
		return s
	}
	// An unquoted TZID holding commas arrives split into several values.
	tzid := paramText(params, ical.ParamTimezoneID)
	var z zone
	if tzid != "" && v.kind != kindDate {
		var ok bool
		if z, ok = r.zones.resolve(tzid); !ok {
			if r.local != nil {
				warn("unknown TZID %q without VTIMEZONE; read in %s", short(tzid), r.local.name())
			} else {
				warn("unknown TZID %q without VTIMEZONE; read as UTC", short(tzid))
			}
		}
	}
	if z == nil {
		z = r.local
	}
	if z == nil {
		z = utcZone
		if v.kind == kindFloating && tzid == "" {
			warn("floating %s with no calendar zone; read as UTC", name)
		}
	}
	s.zone = z
	s.at = instantOf(z, v.wall)
	return s
}

// people reads ORGANIZER and ATTENDEEs.
func (r *reader) people(c *ical.Component, inv *Invite, warn func(string, ...any)) {
	if p := c.Props.Get(ical.PropOrganizer); p != nil {
		if addr, ok := address(p.Value, p.Params.Get(ical.ParamEmail)); ok {
			inv.Organizer = addr
			inv.OrganizerName = displayName(paramText(p.Params, ical.ParamCommonName), addr)
		} else {
			warn("ORGANIZER %q is not an email address", short(p.Value))
		}
	}
	seen := make(map[string]bool)
	for _, p := range c.Props.Values(ical.PropAttendee) {
		addr, ok := address(p.Value, p.Params.Get(ical.ParamEmail))
		if !ok {
			warn("ATTENDEE %q is not an email address", short(p.Value))
			continue
		}
		if seen[addr] {
			continue
		}
		seen[addr] = true
		inv.Attendees = append(inv.Attendees, Attendee{
			Addr:     addr,
			Name:     displayName(paramText(p.Params, ical.ParamCommonName), addr),
			Role:     upperOr(p.Params.Get(ical.ParamRole), "REQ-PARTICIPANT"),
			PartStat: upperOr(p.Params.Get(ical.ParamParticipationStatus), "NEEDS-ACTION"),
			CUType:   upperOr(p.Params.Get(ical.ParamCalendarUserType), "INDIVIDUAL"),
		})
	}
}

// address reads a cal-address: a mailto: URI in any letter case, else the
// EMAIL parameter. It returns the bare address, lower-cased.
func address(v, emailParam string) (string, bool) {
	try := func(s string) (string, bool) {
		s = strings.TrimSpace(s)
		if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
			s = strings.TrimSpace(s[7:])
		} else if strings.Contains(s, ":") {
			return "", false // another URI scheme
		}
		if strings.Contains(s, "%") {
			if u, err := url.PathUnescape(s); err == nil {
				s = u
			}
		}
		s = strings.Trim(s, `"'<> `)
		if s == "" || len(s) > 320 {
			return "", false
		}
		a, err := mail.ParseAddress(s)
		if err != nil {
			return "", false
		}
		return strings.ToLower(a.Address), true
	}
	if a, ok := try(v); ok {
		return a, true
	}
	if emailParam != "" {
		return try(decodeParam(emailParam))
	}
	return "", false
}

// paramText returns a parameter's value; an unquoted value holding commas
// ("CN=Doe, Jane") arrives split into several and is joined back.
func paramText(params ical.Params, name string) string {
	return strings.Join(params.Values(name), ",")
}

// displayName cleans a CN; one that only repeats the address is no name.
func displayName(cn, addr string) string {
	name := strings.Trim(decodeParam(cn), `"' `)
	if strings.EqualFold(name, addr) || strings.EqualFold(name, "mailto:"+addr) {
		return ""
	}
	return short200(name)
}

// short200 bounds a display name.
func short200(s string) string {
	if len(s) <= 200 {
		return s
	}
	return strings.ToValidUTF8(s[:200], "")
}

func upperOr(s, def string) string {
	s = strings.ToUpper(strings.TrimSpace(decodeParam(s)))
	if s == "" {
		return def
	}
	return s
}

// propText returns a TEXT property's unescaped value, "" when absent.
func propText(c *ical.Component, name string) string {
	if p := c.Props.Get(name); p != nil {
		return unescapeText(p.Value)
	}
	return ""
}

func sortTimes(ts []time.Time) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
}
