package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Jobs is the activities' scheduled work: reminders before the start.
type Jobs struct {
	DB     *storage.DB
	Outbox *bot.Outbox
	Config Config
}

// Tick sends the reminders due at now to everyone holding a seat, and a
// summary to the organiser. Only the latest reminder due is sent (a job that
// catches up after downtime reminds once, and never after the start), and
// each carries a dedupe key, so running Tick again sends nothing twice.
func (j *Jobs) Tick(ctx context.Context, now time.Time) error {
	longest := time.Duration(0)
	for _, off := range j.Config.Reminders {
		longest = max(longest, off)
	}
	return j.DB.Update(ctx, func(tx *storage.Tx) error {
		list, err := tx.ActivitiesStartingBetween(now, now.Add(longest))
		if err != nil {
			return err
		}
		for _, a := range list {
			if err := j.remind(tx, a, now); err != nil {
				return fmt.Errorf("remind activity %d: %w", a.ID, err)
			}
		}
		return nil
	})
}

func (j *Jobs) remind(tx *storage.Tx, a storage.Activity, now time.Time) error {
	var due time.Duration
	for _, off := range j.Config.Reminders {
		at := a.StartsAt.Add(-off)
		if !now.Before(at) && a.CreatedAt.Before(at) && (due == 0 || off < due) {
			due = off
		}
	}
	if due == 0 {
		return nil
	}
	c, err := tx.FindCommunity(a.CommunityID)
	if err != nil {
		return err
	}
	data := activityData(a, bot.Location(c.Timezone))
	data["Hours"] = int(a.StartsAt.Sub(now).Round(time.Hour).Hours())
	data["Minutes"] = int(a.StartsAt.Sub(now).Round(time.Minute).Minutes())
	signups, err := tx.Signups(a.ID)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("activity-remind:%d:%s", a.ID, due)
	for _, s := range signups {
		if s.Status != storage.SignupIn {
			continue
		}
		p, err := tx.FindPerson(s.PersonID)
		if err != nil {
			return err
		}
		data["Signup"] = s
		if err := j.send(tx, p, prompts.ActivityReminder, data, fmt.Sprintf("%s:P%d", key, p.ID)); err != nil {
			return err
		}
	}
	counts, err := tx.CountSignups(a.ID)
	if err != nil {
		return err
	}
	organiser, err := tx.FindPerson(a.CreatorID)
	if err != nil {
		return err
	}
	data["Counts"], data["Code"] = counts, a.CheckinCode
	return j.send(tx, organiser, prompts.ActivityOrganiserReminder, data, key+":organiser")
}

// send enqueues a private message once per dedupe key.
func (j *Jobs) send(tx *storage.Tx, p storage.Person, template string, data map[string]any, key string) error {
	err := j.Outbox.ToPerson(tx, p, bot.Post{Template: template, Data: data, DedupeKey: key})
	if errors.Is(err, storage.ErrDuplicate) {
		return nil
	}
	return err
}
