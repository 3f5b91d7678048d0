package activities

import (
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
)

// CheckInOr answers "#签到 A2 4831" (an activity's check-in with its code) and
// hands every other 签到 (a volunteer's duty) to other.
func (h *Handlers) CheckInOr(other bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		first, _, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
		if !refRE.MatchString(first) {
			return other(c)
		}
		return h.checkIn(c)
	}
}

// CheckInUsage answers a 签到 that names no activity, where nothing else takes it.
func CheckInUsage(c *bot.Context) error { return bot.Refuse(prompts.ActivityCheckinUsage, nil) }

// checkIn records an arrival when the code is right and the check-in window
// is open; the sender needs no sign-up (a walk-in is recorded as such).
func (h *Handlers) checkIn(c *bot.Context) error {
	fields := strings.Fields(c.Args)
	a, err := find(c, fields[0])
	if err != nil {
		return err
	}
	loc := bot.Location(c.Community.Timezone)
	data := activityData(a, loc)
	opens, closes := h.checkinWindow(a)
	data["Opens"], data["Closes"] = opens.In(loc), closes.In(loc)
	switch {
	case len(fields) < 2:
		return bot.Refuse(prompts.ActivityCheckinUsage, nil)
	case fields[1] != a.CheckinCode:
		return bot.Refuse(prompts.ActivityCheckinWrongCode, data)
	case c.Now().Before(opens) || c.Now().After(closes):
		return bot.Refuse(prompts.ActivityCheckinWindow, data)
	}
	s, again, err := c.Tx.CheckIn(a, c.Person.ID)
	if err != nil {
		return err
	}
	counts, err := c.Tx.CountSignups(a.ID)
	if err != nil {
		return err
	}
	data["Signup"], data["Again"], data["Counts"] = s, again, counts
	return c.Reply(prompts.ActivityCheckedIn, data)
}
