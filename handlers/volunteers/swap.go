package volunteers

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/when"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Swap serves "#换班 日期 姓名": the sender asks a teammate to take their
// duty that day; it changes only when the teammate agrees (#同意换班).
func (h *Handlers) Swap(c *bot.Context) error {
	words := strings.Fields(c.Args)
	if len(words) < 2 {
		return bot.Refuse(prompts.VolSwapUsage, nil)
	}
	loc := bot.Location(c.Community.Timezone)
	name := words[len(words)-1]
	r, ok := when.ParseExact(strings.Join(words[:len(words)-1], " "), c.Now(), loc)
	if !ok || r.At.Before(c.Now().Add(-24*time.Hour)) {
		return bot.Refuse(prompts.VolSwapUsage, nil)
	}
	duties, err := dutiesOf(c.Tx, c.Community.ID, c.Person.ID, r.At, loc)
	if err != nil {
		return err
	}
	if len(duties) == 0 {
		return bot.Refuse(prompts.VolSwapNoDuty, map[string]any{"Day": r.At.In(loc)})
	}
	d := duties[0]
	members, err := c.Tx.TeamMembers(d.Roster.TeamID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(members, func(m storage.VolMember) bool {
		return m.Name == name && m.Status != storage.VolStatusPending && m.PersonID != c.Person.ID
	})
	if i < 0 {
		return bot.Refuse(prompts.VolSwapNotMember, map[string]any{"Name": name, "Roster": d.Roster.Name})
	}
	to, err := c.Tx.FindPerson(members[i].PersonID)
	if err != nil {
		return err
	}
	if _, err := c.Tx.CreateSwap(storage.Swap{RosterID: d.Roster.ID, Day: d.Day, FromID: c.Person.ID, ToID: to.ID}); err != nil {
		return err
	}
	data := map[string]any{"Name": c.Person.Name, "To": to.Name, "Roster": d.Roster.Name, "Start": d.Start, "End": d.End}
	if err := c.Notify(to, bot.Post{Template: prompts.VolSwapAsk, Data: data}); err != nil {
		return err
	}
	return c.Reply(prompts.VolSwapAsked, data)
}

// AgreeSwap serves "#同意换班": the newest swap asked of the sender takes effect.
func (h *Handlers) AgreeSwap(c *bot.Context) error { return h.answer(c, storage.SwapAgreed) }

// RefuseSwap serves "#拒绝换班".
func (h *Handlers) RefuseSwap(c *bot.Context) error { return h.answer(c, storage.SwapRefused) }

func (h *Handlers) answer(c *bot.Context, status string) error {
	s, err := c.Tx.AskedSwap(c.Person.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return bot.Refuse(prompts.VolSwapNone, nil)
	}
	if err != nil {
		return err
	}
	if err := c.Tx.AnswerSwap(s.ID, status); err != nil {
		return err
	}
	from, err := c.Tx.FindPerson(s.FromID)
	if err != nil {
		return err
	}
	rosters, err := c.Tx.Rosters(c.Community.ID)
	if err != nil {
		return err
	}
	roster := ""
	if i := slices.IndexFunc(rosters, func(r storage.Roster) bool { return r.ID == s.RosterID }); i >= 0 {
		roster = rosters[i].Name
	}
	day, _ := time.ParseInLocation(time.DateOnly, s.Day, bot.Location(c.Community.Timezone))
	data := map[string]any{"Name": from.Name, "To": c.Person.Name, "Roster": roster, "Day": day, "Agreed": status == storage.SwapAgreed}
	if err := c.Notify(from, bot.Post{Template: prompts.VolSwapAnswered, Data: data}); err != nil {
		return err
	}
	return c.Reply(prompts.VolSwapDone, data)
}
