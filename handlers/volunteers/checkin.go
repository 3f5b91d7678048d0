package volunteers

import (
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// activityRef is an activity's number (A2): "#签到 A2 码" is an activity's check-in.
var activityRef = regexp.MustCompile(`(?i)^A\d+\b`)

// placeRE reads where a volunteer signs in: "位置:社区广场", "地点 东门", "location: east gate".
// Neither the Telegram nor the WeChat adapter hands a location message to the
// engine, so the place is typed.
var placeRE = regexp.MustCompile(`(?i)^(?:位置|地点|location|place)\s*[:：]?\s*(.*)$`)

// maxPlace caps a place's length in characters.
const maxPlace = 40

// parsePlace reads the words after #签到: nothing, or a place ("位置" with
// nothing after it is no place); ok is false for anything else.
func parsePlace(args string) (string, bool) {
	if args == "" {
		return "", true
	}
	m := placeRE.FindStringSubmatch(args)
	if m == nil {
		return "", false
	}
	place := []rune(strings.Join(strings.Fields(m[1]), " "))
	return string(place[:min(len(place), maxPlace)]), true
}

// earlyCheckIn is how long before a duty begins its 签到 is taken.
const earlyCheckIn = time.Hour

// maxShift caps the minutes one sign-out can record.
const maxShift = 12 * time.Hour

// CheckInOr serves "#签到" on duty, and hands it to other (an activity's
// check-in) when it names an activity ("#签到 A2 码") or the sender is not on
// duty today. So the rule is: no A-number and on duty today → duty sign-in.
func (h *Handlers) CheckInOr(other bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		args := strings.TrimSpace(c.Args)
		if activityRef.MatchString(args) {
			return other(c)
		}
		loc := bot.Location(c.Community.Timezone)
		duties, err := dutiesOf(c.Tx, c.Community.ID, c.Person.ID, c.Now(), loc)
		if err != nil {
			return err
		}
		if len(duties) == 0 {
			return other(c)
		}
		place, ok := parsePlace(args)
		if !ok { // "#签到 张三": nobody signs in for someone else
			return bot.Refuse(prompts.VolCheckInSelf, map[string]any{"Name": args})
		}
		var d *Duty
		for i := range duties {
			if !c.Now().Before(duties[i].Start.Add(-earlyCheckIn)) && c.Now().Before(duties[i].End) {
				d = &duties[i]
				break
			}
		}
		if d == nil {
			return bot.Refuse(prompts.VolCheckInWindow, map[string]any{"Roster": duties[0].Roster.Name, "Start": duties[0].Start, "End": duties[0].End})
		}
		ok, err = c.Tx.DutyCheckIn(d.Roster.ID, c.Person.ID, d.Day, place)
		if err != nil {
			return err
		}
		if !ok {
			s, err := c.Tx.FindShift(d.Roster.ID, c.Person.ID, d.Day)
			if err != nil {
				return err
			}
			return bot.Refuse(prompts.VolCheckInAgain, map[string]any{"Roster": d.Roster.Name, "At": s.CheckIn.In(loc)})
		}
		return c.Reply(prompts.VolCheckedIn, map[string]any{"Roster": d.Roster.Name, "At": c.Now().In(loc), "End": d.End, "Place": place})
	}
}

// NotOnDuty answers "#签到" from someone with no duty today (until activities
// take such check-ins).
func (h *Handlers) NotOnDuty(c *bot.Context) error {
	return bot.Refuse(prompts.VolNotOnDuty, nil)
}

// CheckOut serves "#签退": the duty signed in today ends and its minutes are recorded.
func (h *Handlers) CheckOut(c *bot.Context) error {
	loc := bot.Location(c.Community.Timezone)
	duties, err := dutiesOf(c.Tx, c.Community.ID, c.Person.ID, c.Now(), loc)
	if err != nil {
		return err
	}
	for _, d := range duties {
		s, err := c.Tx.FindShift(d.Roster.ID, c.Person.ID, d.Day)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if !s.CheckOut.IsZero() {
			return bot.Refuse(prompts.VolCheckOutAgain, map[string]any{"Roster": d.Roster.Name, "At": s.CheckOut.In(loc)})
		}
		minutes := int(min(c.Now().Sub(s.CheckIn), maxShift) / time.Minute)
		if _, err := c.Tx.CheckOut(s.ID, minutes); err != nil {
			return err
		}
		return c.Reply(prompts.VolCheckedOut, map[string]any{"Roster": d.Roster.Name, "In": s.CheckIn.In(loc),
			"Out": c.Now().In(loc), "Hours": hours(minutes)})
	}
	return bot.Refuse(prompts.VolNotCheckedIn, nil)
}
