// Package dates reads and writes calendar dates as the API shows them:
// YYYY-MM-DD, no time, no zone.
package dates

import (
	"time"
	_ "time/tzdata" // Europe/Stockholm also where the system has no zone files

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Parse reads an optional date; "" is nil. A malformed one, or one before
// 1900, is a field error: year 0000 is a valid YYYY-MM-DD, which PostgreSQL
// would store as 1 BC and answer as "0001-01-01 BC".
func Parse(f *problem.Fields, field, s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		f.Add(field, "invalid_date", "must be a date as YYYY-MM-DD")
		return nil
	case t.Year() < MinYear:
		f.Add(field, "out_of_range", "must be a date from 1900-01-01 on")
		return nil
	}
	return &t
}

// MinYear is the earliest year of a date the API takes.
const MinYear = 1900

// Format writes an optional date; nil is "".
func Format(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// Order adds a field error when both dates are set and end is before start.
func Order(f *problem.Fields, endField string, start, end *time.Time) {
	if start != nil && end != nil && end.Before(*start) {
		f.Add(endField, "before_start", "must not be before the start")
	}
}

// Today is the current date in Sweden.
func Today() time.Time {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		loc = time.UTC
	}
	y, m, d := time.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
