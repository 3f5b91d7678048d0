package when

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	englishRelative = regexp.MustCompile(`^(?:in\s+)?(\d{1,3})\s*(days?|d|hours?|h|minutes?|mins?|m|weeks?|w)(?:\s+later)?$`)
	englishDay      = regexp.MustCompile(`^(today|tonight|tomorrow)(?:\s+(\d{1,2}):(\d{2}))?$`)
)

// english reads the few English forms the English prompts suggest.
func english(s string, now time.Time, loc *time.Location) (time.Time, Precision, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	now = now.In(loc)
	if m := englishRelative.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n == 0 {
			return time.Time{}, 0, false
		}
		unit := map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 'w': 7 * 24 * time.Hour}[m[2][0]]
		return now.Add(time.Duration(n) * unit), Minute, true
	}
	m := englishDay.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, 0, false
	}
	d := now
	if m[1] == "tomorrow" {
		d = now.AddDate(0, 0, 1)
	}
	if m[2] == "" {
		if m[1] == "tonight" {
			return time.Date(d.Year(), d.Month(), d.Day(), 22, 0, 0, 0, loc), PartOfDay, true
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 0, 0, loc), Day, true
	}
	h, _ := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi(m[3])
	if h > 23 || mi > 59 {
		return time.Time{}, 0, false
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, mi, 0, 0, loc), Minute, true
}
