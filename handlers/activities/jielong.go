package activities

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/jielong"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// linkWord joins an activity to a 接龙: "#活动 A2 接龙 周六义诊报名".
const linkWord = "接龙"

// linkWindow is how far back a link looks for the 接龙 it names.
const linkWindow = 7 * 24 * time.Hour

func isLink(args string) bool {
	f := strings.Fields(args)
	return len(f) >= 2 && refRE.MatchString(f[0]) && (f[1] == linkWord || strings.EqualFold(f[1], "jielong"))
}

// linkJielong serves "#活动 A2 接龙 标题": the organiser or staff link a
// group's 接龙 to the activity, and its lines become sign-ups at once.
func (h *Handlers) linkJielong(c *bot.Context, args string) error {
	f := strings.Fields(args)
	a, err := find(c, f[0])
	if err != nil {
		return err
	}
	loc := bot.Location(c.Community.Timezone)
	data := activityData(a, loc)
	if !manages(c, a) {
		return bot.Refuse(prompts.ActivityNotOrganiser, data)
	}
	title := strings.Join(f[2:], " ")
	if title == "" {
		return bot.Refuse(prompts.ActivityLinkUsage, data)
	}
	j, err := findJielong(c, a, title)
	if err != nil {
		return err
	}
	if other, err := c.Tx.JielongActivity(j.ID); err != nil || other != 0 && other != a.ID {
		if err == nil {
			err = bot.Refuse(prompts.ActivityLinkTaken, map[string]any{"Title": j.Title})
		}
		return err
	}
	if err := c.Tx.LinkJielong(j.ID, a.ID); err != nil {
		return err
	}
	res, err := h.syncJielong(c, a, j.ID)
	if err != nil {
		return err
	}
	counts, err := c.Tx.CountSignups(a.ID)
	if err != nil {
		return err
	}
	data["Jielong"], data["Result"], data["Counts"] = j.Title, res, counts
	return c.Reply(prompts.ActivityLinked, data)
}

// findJielong is the newest 接龙 of that title (or containing it) in the
// group the link was sent in, else in the activity's groups.
func findJielong(c *bot.Context, a storage.Activity, title string) (storage.Jielong, error) {
	groups := a.GroupIDs
	if c.Group != nil {
		groups = []int64{c.Group.ID}
	}
	var best storage.Jielong
	for _, g := range groups {
		js, err := c.Tx.GroupJielongs(g, c.Now().Add(-linkWindow))
		if err != nil {
			return best, err
		}
		for _, j := range js { // newest first
			if (j.Title == title || strings.Contains(j.Title, title)) && j.CreatedAt.After(best.CreatedAt) {
				best = j
				break
			}
		}
	}
	if best.ID == 0 {
		return best, bot.Refuse(prompts.JielongNotFound, map[string]string{"Title": title})
	}
	return best, nil
}

// JielongChanged is the 接龙 handler's hook after a re-post: a linked
// activity takes the new lines as sign-ups and cancels withdrawn ones; the
// organiser hears of names nobody answers to.
func (h *Handlers) JielongChanged(c *bot.Context, jielongID int64) error {
	id, err := c.Tx.JielongActivity(jielongID)
	if err != nil || id == 0 {
		return err
	}
	a, err := c.Tx.FindActivityByID(id)
	if err != nil {
		return err
	}
	res, err := h.syncJielong(c, a, jielongID)
	if err != nil || len(res.Unknown)+len(res.Late) == 0 {
		return err
	}
	organiser, err := c.Tx.FindPerson(a.CreatorID)
	if err != nil {
		return err
	}
	data := activityData(a, bot.Location(c.Community.Timezone))
	data["Result"] = res
	return c.Notify(organiser, bot.Post{Template: prompts.ActivityLinkUnknown, Data: data})
}

// linkResult is what one sync did.
type linkResult struct {
	SignedUp, Waiting, Already, Cancelled, Promoted int
	Unknown, Late                                   []string // names not imported: nobody of that name; after the deadline
}

// syncJielong makes the activity's sign-ups follow its 接龙: lines in order,
// each new line a sign-up (a seat or the waitlist, the person told privately
// as after #报名), each withdrawn line's sign-up cancelled (the waitlist
// promoted). A line is imported once; a name nobody answers to is reported,
// never invented.
func (h *Handlers) syncJielong(c *bot.Context, a storage.Activity, jielongID int64) (linkResult, error) {
	var res linkResult
	if a.State != storage.ActivityOpen || !c.Now().Before(a.StartsAt) {
		return res, nil
	}
	loc := bot.Location(c.Community.Timezone)
	lines, err := jielong.Signups(c.Tx, jielongID)
	if err != nil {
		return res, err
	}
	links, err := c.Tx.JielongLineLinks(jielongID)
	if err != nil {
		return res, err
	}
	present := map[int64]bool{}
	for _, l := range lines {
		present[l.LineID] = true
		if st := links[l.LineID].State; st != "" && st != storage.LineCancelled {
			continue
		}
		if !c.Now().Before(a.Deadline) {
			res.Late = append(res.Late, l.Name)
			continue
		}
		link, status, err := h.importLine(c, a, l, loc)
		if err != nil {
			return res, err
		}
		switch {
		case status == storage.SignupIn:
			res.SignedUp++
		case status == storage.SignupWaiting:
			res.Waiting++
		case link.State == storage.LineUnknown:
			res.Unknown = append(res.Unknown, l.Name)
		case link.State == storage.LineAlready:
			res.Already++
		}
		if err := c.Tx.SetJielongLineLink(l.LineID, link); err != nil {
			return res, err
		}
	}
	for _, id := range sortedKeys(links) {
		link := links[id]
		if present[id] || link.State != storage.LineSignedUp {
			continue
		}
		_, promoted, err := c.Tx.CancelSignup(a, link.PersonID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) { // not found: they cancelled it themselves
			return res, err
		}
		if err := notifyPromoted(c, a, promoted, loc); err != nil {
			return res, err
		}
		res.Cancelled, res.Promoted = res.Cancelled+1, res.Promoted+len(promoted)
		if err := c.Tx.SetJielongLineLink(id, storage.LineLink{PersonID: link.PersonID, State: storage.LineCancelled}); err != nil {
			return res, err
		}
	}
	return res, nil
}

// importLine signs up the person a line names and tells them privately; it
// returns the line's link and the sign-up's status.
func (h *Handlers) importLine(c *bot.Context, a storage.Activity, l jielong.Signup, loc *time.Location) (storage.LineLink, string, error) {
	pid := l.PersonID
	if pid == 0 {
		ids, err := c.Tx.PeopleNamed(c.Community.ID, l.Name)
		if err != nil || len(ids) != 1 { // none, or two of that name: ask the organiser rather than guess
			return storage.LineLink{State: storage.LineUnknown}, "", err
		}
		pid = ids[0]
	}
	s, err := c.Tx.SignUp(a, pid, min(max(l.Count, 1), h.Config.MaxParty), "")
	if errors.Is(err, storage.ErrAlreadySignedUp) {
		return storage.LineLink{PersonID: pid, State: storage.LineAlready}, "", nil
	}
	if err != nil {
		return storage.LineLink{}, "", err
	}
	person, err := c.Tx.FindPerson(pid)
	if err != nil {
		return storage.LineLink{}, "", err
	}
	counts, err := c.Tx.CountSignups(a.ID)
	if err != nil {
		return storage.LineLink{}, "", err
	}
	data := activityData(a, loc)
	data["Signup"], data["Counts"], data["Left"] = s, counts, max(a.Capacity-counts.Seats, 0)
	data["Already"], data["MaskedContact"] = false, ""
	return storage.LineLink{PersonID: pid, State: storage.LineSignedUp}, s.Status,
		c.Notify(person, bot.Post{Template: prompts.ActivityJielongSignedUp, Data: data})
}

func sortedKeys(m map[int64]storage.LineLink) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
