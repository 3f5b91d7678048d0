package workdays

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limit is a time limit: a duration (24h, 90m), calendar days (3天) or working
// days (3工作日). The zero Limit means no limit.
type Limit struct {
	Duration time.Duration // wall-clock limit; used when Days and Workdays are 0
	Days     int           // calendar days: n×24h
	Workdays int           // working days, ending at 24:00 (see Calendar.EndOfWorkdays)
}

// Hours is a wall-clock limit.
func Hours(d time.Duration) Limit { return Limit{Duration: d} }

// Suffixes of working and calendar days, longest first so that 工作日 wins over 日.
var (
	workdaySuffixes = []string{"个工作日", "工作日", "workdays", "workday", "wd"}
	daySuffixes     = []string{"天", "日", "days", "day", "d"}
)

// Parse reads a limit: "3工作日" (also 3个工作日, 3wd), "3天" (3d), or a Go
// duration such as "24h" or "90m". Empty text is an error; a negative
// duration is read, for the configuration's validation to name it.
func Parse(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	for _, list := range []struct {
		suffixes []string
		work     bool
	}{{workdaySuffixes, true}, {daySuffixes, false}} {
		for _, suf := range list.suffixes {
			num, ok := strings.CutSuffix(s, suf)
			if !ok {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(num))
			if err != nil || n < 1 || n > 366 {
				return Limit{}, fmt.Errorf("%q: the number of days must be 1 to 366", s)
			}
			if list.work {
				return Limit{Workdays: n}, nil
			}
			return Limit{Days: n}, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return Limit{}, fmt.Errorf("%q is not a limit like 24h, 3天 or 3工作日", s)
	}
	return Limit{Duration: d}, nil
}

// UnmarshalText lets configuration files write limits as text.
func (l *Limit) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// MarshalText writes the limit as Parse reads it.
func (l Limit) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// String is the limit as Parse reads it ("0s" for none).
func (l Limit) String() string {
	switch {
	case l.Workdays > 0:
		return strconv.Itoa(l.Workdays) + "工作日"
	case l.Days > 0:
		return strconv.Itoa(l.Days) + "天"
	}
	return l.Duration.String()
}

// IsZero reports whether there is no limit.
func (l Limit) IsZero() bool { return l.Duration <= 0 && l.Days <= 0 && l.Workdays <= 0 }

// After is when a limit that starts at t runs out, counting working days on
// cal; zero for no limit. Calendar days and durations ignore cal.
func (l Limit) After(t time.Time, cal *Calendar) time.Time {
	switch {
	case l.Workdays > 0:
		return cal.EndOfWorkdays(t, l.Workdays)
	case l.Days > 0:
		return t.AddDate(0, 0, l.Days)
	case l.Duration > 0:
		return t.Add(l.Duration)
	}
	return time.Time{}
}
