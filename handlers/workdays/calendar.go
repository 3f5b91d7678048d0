// Package workdays counts time limits the way community offices are judged:
// in working days of the national calendar (weekends, public holidays and the
// 调休 Saturdays and Sundays that are worked instead), or in plain hours.
package workdays

import (
	"fmt"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Overrides correct the national calendar for a year the library has not
// caught up with: dates in the form 2006-01-02.
type Overrides struct {
	// Workdays are days worked although the calendar rests (调休 weekends).
	Workdays []string `yaml:"workdays"`
	// Holidays are days off although the calendar works.
	Holidays []string `yaml:"holidays"`
}

// Calendar tells working days from days off. The zero value is not usable: call New.
type Calendar struct {
	override map[string]bool // date → working day
}

// New returns the national calendar corrected by o; a malformed or repeated
// date is an error.
func New(o Overrides) (*Calendar, error) {
	c := &Calendar{override: map[string]bool{}}
	for _, set := range []struct {
		dates []string
		work  bool
	}{{o.Workdays, true}, {o.Holidays, false}} {
		for _, d := range set.dates {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return nil, fmt.Errorf("workdays: %q is not a date like 2026-10-10", d)
			}
			if _, dup := c.override[d]; dup {
				return nil, fmt.Errorf("workdays: %s is listed twice", d)
			}
			c.override[d] = set.work
		}
	}
	return c, nil
}

// National is the national calendar without overrides.
func National() *Calendar { return &Calendar{override: map[string]bool{}} }

// IsWorkday reports whether the calendar day of t (in t's location) is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	day := t.Format(time.DateOnly)
	if work, ok := c.override[day]; ok {
		return work
	}
	if h := HolidayUtil.GetHoliday(day); h != nil {
		return h.IsWork() // a 调休 day is a holiday entry marked as worked
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// EndOfWorkdays is the end (24:00) of the n-th working day after the day of
// t, in t's location: the day something arrives does not count, whatever the
// hour, so "3 working days" from Monday 10:00 ends at Thursday 24:00 in an
// ordinary week. n < 1 returns t.
func (c *Calendar) EndOfWorkdays(t time.Time, n int) time.Time {
	if n < 1 {
		return t
	}
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			n--
		}
	}
	return day.AddDate(0, 0, 1)
}

// WorkdaysBetween counts the working days after the day of from up to and
// including the day of to: how many working days of a limit have been used.
func (c *Calendar) WorkdaysBetween(from, to time.Time) int {
	n := 0
	day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, from.Location())
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, from.Location())
	for day.Before(end) {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			n++
		}
	}
	return n
}
