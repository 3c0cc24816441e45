package calendar

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/teambition/rrule-go"
)

// PeriodLimit bounds the work of one period (the year of a YEARLY rule,
// the month of a MONTHLY one, ...) of a recurrence rule, counted as the
// period's candidate instances: the days its day lists can select times
// the times of day its BYHOUR, BYMINUTE and BYSECOND lists select, plus,
// with BYSETPOS, 366 steps per position. rrule-go builds a whole period's
// candidates before it yields the first, so a 1 KB rule listing every
// month, day, hour, minute and second (31 million candidates a year) costs
// seconds and hundreds of MiB before the first instance; ExpansionLimit,
// which counts instances yielded, cannot stop that. With BYSETPOS,
// rrule-go also passes over a period's days once per position in every
// period, instances or not (a rarely matching DAILY rule with 366
// positions took 0.4 s to walk 292 years); counting a year of days per
// position holds that to PeriodLimit steps per year walked.
//
// A rule over the limit is not expanded: Read drops it with a warning,
// keeping DTSTART as the only instance (as it does for a rule that can
// never match), Occurrences ignores it on an Invite built by hand, and a
// VTIMEZONE observance carrying it makes the definition unusable. Expanding
// such rules with a bounded expander of our own was the alternative; it
// was not taken because no calendar a person keeps needs one: 10,000 a
// period is 27 a day for a yearly rule and 10,000 a day for a daily one,
// while a coaching series meets a few times a week, and time zones change
// offset a few times a year. A second implementation of every BYxxx
// combination, for input only an attacker sends, would be more code to get
// wrong than the rule is worth.
const PeriodLimit = 10_000

// costCap is where periodCost stops counting: far above PeriodLimit, far
// below overflow on 32-bit platforms.
const costCap = 1 << 30

// periodCost bounds the work one period of the rule costs rrule-go (or
// subDaily) before the period's first instance is yielded, in candidate
// instances; see PeriodLimit. The bound follows the expand-or-limit table
// of RFC 5545 §3.3.10 and rrule-go's defaults for a rule without day
// lists (the day of DTSTART), and counts list entries as given, so
// duplicates count (tidyRule removes them first).
func periodCost(opt rrule.ROption) int {
	return min(costCap, capMul(periodDays(opt), timesPerDay(opt))+capMul(len(opt.Bysetpos), 366))
}

// timesPerDay bounds the instances one selected day of the rule holds for
// the frequency's period: BYHOUR, BYMINUTE and BYSECOND expand when finer
// than the frequency and limit otherwise; an absent list means one value
// (DTSTART's).
func timesPerDay(opt rrule.ROption) int {
	n := func(list []int) int { return max(len(list), 1) }
	switch opt.Freq {
	case rrule.SECONDLY:
		return 1
	case rrule.MINUTELY:
		return n(opt.Bysecond)
	case rrule.HOURLY:
		return capMul(n(opt.Byminute), n(opt.Bysecond))
	default:
		return capMul(capMul(n(opt.Byhour), n(opt.Byminute)), n(opt.Bysecond))
	}
}

// periodDays bounds how many days of one period of the rule its day lists
// select.
func periodDays(opt rrule.ROption) int {
	var span, weeks int // days in the period; times one weekday occurs in it
	switch opt.Freq {
	case rrule.YEARLY:
		span, weeks = 366, 53
		if len(opt.Bymonth) > 0 {
			weeks = min(weeks, 5*len(opt.Bymonth))
		}
		if len(opt.Byweekno) > 0 {
			weeks = min(weeks, 2*len(opt.Byweekno)) // see below: up to 10 days each
		}
	case rrule.MONTHLY:
		span, weeks = 31, 5
	case rrule.WEEKLY:
		span, weeks = 7, 1
	default:
		// DAILY and finer: the period is (part of) one day; the day
		// lists only limit.
		return 1
	}
	months := 1 // months of the period a month-day repeats in
	if opt.Freq == rrule.YEARLY {
		months = 12
		if len(opt.Bymonth) > 0 {
			months = len(opt.Bymonth)
		}
	}
	if len(opt.Bymonthday) == 0 && len(opt.Byweekday) == 0 && len(opt.Byyearday) == 0 &&
		len(opt.Byweekno) == 0 && len(opt.Byeaster) == 0 {
		// rrule-go takes the day from DTSTART: one day, or for a YEARLY
		// rule with BYMONTH one in each month listed.
		if opt.Freq == rrule.YEARLY {
			return max(len(opt.Bymonth), 1)
		}
		return 1
	}
	days := span
	if opt.Freq == rrule.YEARLY && len(opt.Bymonth) > 0 {
		days = min(days, 31*len(opt.Bymonth))
	}
	if len(opt.Bymonthday) > 0 {
		days = min(days, capMul(months, len(opt.Bymonthday)))
	}
	if len(opt.Byyearday) > 0 {
		days = min(days, len(opt.Byyearday)) // a year-day is one day in any span under a year
	}
	if len(opt.Byweekno) > 0 {
		// A week is 7 days, but rrule-go (as python-dateutil) lets week 1
		// and week -1 also take the up to 3 days of the year that belong
		// to the next year's first week or the last year's last.
		days = min(days, capMul(10, len(opt.Byweekno)))
	}
	if len(opt.Byeaster) > 0 {
		days = min(days, len(opt.Byeaster))
	}
	if len(opt.Byweekday) > 0 {
		sel := 0
		for _, wd := range opt.Byweekday {
			switch {
			case wd.N() == 0 || opt.Freq == rrule.WEEKLY:
				sel += weeks // every such weekday of the period
			case opt.Freq == rrule.YEARLY && len(opt.Bymonth) > 0:
				sel += len(opt.Bymonth) // the nth of each month listed
			default:
				sel++ // the nth of the period
			}
			sel = min(sel, costCap)
		}
		days = min(days, sel)
	}
	return days
}

// capMul multiplies non-negative a and b, stopping at costCap.
func capMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > costCap/b {
		return costCap
	}
	return min(a*b, costCap)
}

// checkRule tidies the rule's lists and reports an error when one of its
// periods would cost more than PeriodLimit. It must run before the rule
// reaches rrule.NewRRule, which already builds the rule's times of day.
func checkRule(opt *rrule.ROption) error {
	tidyRule(opt)
	if err := monthOrdinals(opt); err != nil {
		return err
	}
	if c := periodCost(*opt); c > PeriodLimit {
		return fmt.Errorf("up to %d candidate instances per %s, limit %d", c, periodName(opt.Freq), PeriodLimit)
	}
	return nil
}

// monthOrdinals drops BYDAY ordinals that cannot occur within a month
// when the rule counts weekdays per month (MONTHLY, or YEARLY with
// BYMONTH): no month has a sixth Monday. rrule-go indexes past its day
// tables on such ordinals, so they must not reach it. A rule left with no
// weekday at all never fires, which is an error rather than a rule that
// suddenly fires on every DTSTART weekday.
func monthOrdinals(opt *rrule.ROption) error {
	perMonth := opt.Freq == rrule.MONTHLY || (opt.Freq == rrule.YEARLY && len(opt.Bymonth) > 0)
	if !perMonth || len(opt.Byweekday) == 0 {
		return nil
	}
	kept := opt.Byweekday[:0:0]
	for _, wd := range opt.Byweekday {
		if n := wd.N(); n >= -5 && n <= 5 {
			kept = append(kept, wd)
		}
	}
	if len(kept) == 0 {
		return fmt.Errorf("BYDAY ordinals beyond the fifth week of a month never occur")
	}
	opt.Byweekday = kept
	return nil
}

// tidyRule sorts the rule's BYxxx lists and removes repeated values, which
// rrule-go would otherwise expand or scan once per repeat ("BYHOUR=9,09,009"
// is one hour). Order within a list carries no meaning (RFC 5545 §3.3.10).
func tidyRule(opt *rrule.ROption) {
	for _, l := range []*[]int{&opt.Bysetpos, &opt.Bymonth, &opt.Bymonthday, &opt.Byyearday,
		&opt.Byweekno, &opt.Byhour, &opt.Byminute, &opt.Bysecond, &opt.Byeaster} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	slices.SortFunc(opt.Byweekday, func(a, b rrule.Weekday) int {
		return cmp.Or(cmp.Compare(a.N(), b.N()), cmp.Compare(a.Day(), b.Day()))
	})
	opt.Byweekday = slices.Compact(opt.Byweekday)
}

// periodName names a frequency's period, for messages.
func periodName(f rrule.Frequency) string {
	switch f {
	case rrule.YEARLY:
		return "year"
	case rrule.MONTHLY:
		return "month"
	case rrule.WEEKLY:
		return "week"
	case rrule.DAILY:
		return "day"
	case rrule.HOURLY:
		return "hour"
	case rrule.MINUTELY:
		return "minute"
	default:
		return "second"
	}
}
