// Package volunteers runs volunteer teams on duty: teams and sub-teams (from
// the config or #志愿队), members who join with a leader's approval, duty
// rosters with a private reminder to each person on duty, #签到/#签退 that
// record hours, #换班 swaps with the other person's consent, the monthly
// thank-you post and the 志愿时长 export.
package volunteers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is the volunteers section of the configuration.
type Config struct {
	// RemindLate: a duty reminder more than this late (Qiao was down at its
	// time) is not sent at all: "you are on duty at 08:30" at 15:00 only confuses.
	RemindLate time.Duration  `yaml:"remind_late"`
	Teams      []TeamConfig   `yaml:"teams"`
	Rosters    []RosterConfig `yaml:"rosters"`
}

// TeamConfig is a team or, with a parent, a sub-team.
type TeamConfig struct {
	Key       string   `yaml:"key"`
	Name      string   `yaml:"name"`
	Community string   `yaml:"community"` // community key; default: the first community
	Parent    string   `yaml:"parent"`    // key of the team this one belongs to
	Group     string   `yaml:"group"`     // group key for the monthly thank-you (default: the staff groups)
	Leaders   []string `yaml:"leaders"`   // person keys: approve joins, see the team's hours
	Members   []string `yaml:"members"`   // person keys
}

// RosterConfig is a team's recurring duty.
type RosterConfig struct {
	Key      string `yaml:"key"`
	Name     string `yaml:"name"`
	Team     string `yaml:"team"`
	Days     string `yaml:"days"`  // daily, weekdays, weekends or weekday numbers "1,3,5" (Monday = 1)
	Start    string `yaml:"start"` // "08:30"
	End      string `yaml:"end"`   // "11:30"
	PerShift int    `yaml:"per_shift"`
	Epoch    string `yaml:"epoch"` // yyyy-mm-dd the rotation counts from
}

// DefaultRemindLate is how late a duty reminder may still go out.
const DefaultRemindLate = 30 * time.Minute

// FillDefaults completes the config.
func (c *Config) FillDefaults() {
	if c.RemindLate == 0 {
		c.RemindLate = DefaultRemindLate
	}
	for i := range c.Rosters {
		r := &c.Rosters[i]
		if r.Name == "" {
			r.Name = r.Key
		}
		if r.Days == "" {
			r.Days = "daily"
		}
		if r.Epoch == "" {
			r.Epoch = "2026-01-05" // a Monday
		}
	}
}

// Validate reports problems as "path.key: message" lines.
func (c *Config) Validate(path string) []string {
	var errs []string
	add := func(key, format string, args ...any) {
		errs = append(errs, path+"."+key+": "+fmt.Sprintf(format, args...))
	}
	if c.RemindLate < 0 {
		add("remind_late", "must not be negative")
	}
	teams := map[string]bool{}
	for i, t := range c.Teams {
		p := fmt.Sprintf("teams[%d]", i)
		switch {
		case t.Key == "" || t.Name == "":
			add(p, "a team needs a key and a name")
		case teams[t.Key]:
			add(p+".key", "team %q is listed twice", t.Key)
		case t.Parent != "" && !teams[t.Parent]:
			add(p+".parent", "team %q must be listed before its sub-team %q", t.Parent, t.Key)
		}
		teams[t.Key] = true
	}
	for i, r := range c.Rosters {
		p := fmt.Sprintf("rosters[%d]", i)
		if !teams[r.Team] {
			add(p+".team", "no team %q", r.Team)
		}
		if _, err := ParseDays(r.Days); err != nil {
			add(p+".days", "%v", err)
		}
		start, err1 := parseClock(r.Start)
		end, err2 := parseClock(r.End)
		if err1 != nil || err2 != nil || end <= start {
			add(p, "start and end must be times like \"08:30\" and \"11:30\", end after start")
		}
		if r.PerShift < 0 {
			add(p+".per_shift", "must not be negative")
		}
		if _, err := time.Parse(time.DateOnly, r.Epoch); err != nil {
			add(p+".epoch", "must be a date like 2026-01-05")
		}
	}
	return errs
}

// ParseDays reads a roster's weekdays into "1,2,…" (Monday = 1).
func ParseDays(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "daily", "每天", "":
		return "1,2,3,4,5,6,7", nil
	case "weekdays", "工作日":
		return "1,2,3,4,5", nil
	case "weekends", "周末":
		return "6,7", nil
	}
	var days []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '，' || r == '、' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 7 {
			return "", fmt.Errorf("days %q: daily, weekdays, weekends or weekday numbers like 1,3,5 (Monday = 1)", s)
		}
		if !slices.Contains(days, f) {
			days = append(days, f)
		}
	}
	slices.Sort(days)
	return strings.Join(days, ","), nil
}

// parseClock reads "08:30" as minutes after midnight.
func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}
