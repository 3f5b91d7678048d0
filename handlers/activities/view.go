package activities

import (
	"fmt"
	"time"

	qr "github.com/piglig/go-qr"
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// list answers #活动 alone: the activities still to come that were announced
// here (in a private chat, the community's), with their numbers; to someone
// who may announce, when there are none, how to.
func (h *Handlers) list(c *bot.Context) error {
	all, err := c.Tx.UpcomingActivities(c.Community.ID, c.Now())
	if err != nil {
		return err
	}
	loc := bot.Location(c.Community.Timezone)
	var out []brief
	for _, a := range all {
		if c.Group != nil && !contains64(a.GroupIDs, c.Group.ID) && !c.Person.IsStaff() {
			continue
		}
		counts, err := c.Tx.CountSignups(a.ID)
		if err != nil {
			return err
		}
		out = append(out, brief{Ref: Ref(a.Number), Title: a.Title, Data: activityData(a, loc), Counts: counts})
	}
	if len(out) == 0 && roles.LeadsHere(c) {
		return c.Reply(prompts.ActivityUsage, nil) // nothing to list: how to announce one
	}
	return c.Reply(prompts.ActivityList, map[string]any{"Activities": out})
}

// show answers #活动 A2: everyone sees the details and the counts; the
// organiser and staff also get the names (with contacts), privately unless
// they asked in a staff group or a private chat.
func (h *Handlers) show(c *bot.Context, a storage.Activity) error {
	loc := bot.Location(c.Community.Timezone)
	data := activityData(a, loc)
	counts, err := c.Tx.CountSignups(a.ID)
	if err != nil {
		return err
	}
	suggestions, err := c.Tx.MeetingSuggestions(a.ID)
	if err != nil {
		return err
	}
	data["Counts"], data["Suggestions"], data["Names"] = counts, suggestionRefs(suggestions), false
	data["Left"], data["HasMinutes"], data["SentPrivately"] = max(a.Capacity-counts.Seats, 0), a.Minutes != "", false
	if !manages(c, a) {
		return c.Reply(prompts.ActivityShow, data)
	}
	signups, err := c.Tx.Signups(a.ID)
	if err != nil {
		return err
	}
	data["Names"], data["Signups"], data["Code"] = true, signups, a.CheckinCode
	post := bot.Post{Template: prompts.ActivityShow, Data: data}
	if c.Group != nil && c.Group.Kind != storage.GroupStaff {
		if err := c.Notify(c.Person, post); err != nil {
			return err
		}
		data = activityData(a, loc)
		data["Counts"], data["Suggestions"], data["Names"], data["Left"] = counts, suggestionRefs(suggestions), false, max(a.Capacity-counts.Seats, 0)
		data["HasMinutes"], data["SentPrivately"] = a.Minutes != "", true
		return c.Reply(prompts.ActivityShow, data)
	}
	return c.ReplyPost(post)
}

// suggestionRefs names the suggestions raised at a meeting (S12).
func suggestionRefs(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = bot.FormatRef("S", id)
	}
	return out
}

// sendCode tells the organiser, privately, the check-in code and when it
// works, with a QR code of the check-in command to show at the venue.
func (h *Handlers) sendCode(c *bot.Context, a storage.Activity, loc *time.Location) error {
	data := activityData(a, loc)
	opens, closes := h.checkinWindow(a)
	data["Code"], data["Opens"], data["Closes"] = a.CheckinCode, opens.In(loc), closes.In(loc)
	command := fmt.Sprintf("#签到 %s %s", Ref(a.Number), a.CheckinCode)
	code, err := qr.EncodeText(command, qr.Medium)
	if err != nil {
		return fmt.Errorf("activities: qr: %w", err)
	}
	png, err := code.ToPNGBytes(qr.NewQrCodeImgConfig(8, 4)) // the library the WeChat login QR uses
	if err != nil {
		return fmt.Errorf("activities: qr: %w", err)
	}
	blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobImage,
		Name: fmt.Sprintf("签到-%s.png", Ref(a.Number)), MIME: "image/png", Data: png})
	if err != nil {
		return err
	}
	return c.Notify(c.Person, bot.Post{Template: prompts.ActivityCode, Data: data, BlobID: blob})
}

func (h *Handlers) checkinWindow(a storage.Activity) (opens, closes time.Time) {
	return a.StartsAt.Add(-h.Config.CheckinBefore), a.StartsAt.Add(h.Config.CheckinAfter)
}
