package main

import (
	"slices"
	"time"
)

// summaryStats are the percentiles a phase reports.
type summaryStats struct{ p50, p99 time.Duration }

// stats returns the 50th and 99th percentiles of ds by the nearest-rank
// method (the smallest value with at least p% of the values at or below
// it); zero for no values. ds is not changed.
func stats(ds []time.Duration) summaryStats {
	if len(ds) == 0 {
		return summaryStats{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p int) time.Duration {
		// ceil(p/100 × n), 1-based.
		i := (p*len(s) + 99) / 100
		return s[max(i, 1)-1]
	}
	return summaryStats{p50: rank(50), p99: rank(99)}
}

// round keeps three significant figures or so of a duration, for print.
func round(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Microsecond)
	}
}
