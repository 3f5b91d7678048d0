package requests

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// reminderView is what the rating reminder shows.
type reminderView struct {
	view
	Resolved time.Time
}

// RemindRating reminds, privately and once, the reporter of every ticket
// resolved at least Workflow.RemindRatingAfter ago and still unrated, and
// every resident whose report was merged into it and who has not rated it,
// records the reminder as an event: from then on the ticket is on the staff's
// 回访 list in the 日报. A second run sends nothing (dedupe key per ticket).
func (j *Jobs) RemindRating(ctx context.Context, now time.Time) error {
	return j.eachCommunity(ctx, now, "remind rating", j.remindRating)
}

func (j *Jobs) remindRating(tx *storage.Tx, cm storage.Community, now time.Time) error {
	list, err := tx.FindRequests(storage.RequestFilter{CommunityID: cm.ID, Kinds: []string{storage.KindRepair, storage.KindComplaint},
		States: []string{storage.StateResolved}})
	if err != nil {
		return err
	}
	// Followers of a ticket its reporter has already rated (closed) are asked too.
	followers, err := tx.FollowersToRemind(cm.ID, now.AddDate(0, 0, -followerReminderWindow))
	if err != nil || len(list)+len(followers) == 0 {
		return err
	}
	dir, err := newDirectory(tx, cm, j.Classifier)
	if err != nil {
		return err
	}
	due := func(r storage.Request) bool {
		return !r.ResolvedAt.IsZero() && !now.Before(j.Config.Workflow.RemindRatingAfter.After(r.ResolvedAt.In(dir.loc), j.Config.calendar()))
	}
	for _, r := range list {
		if due(r) {
			if err := j.remindOne(tx, dir, r, r, ""); err != nil {
				return err
			}
		}
	}
	asked := map[string]bool{} // one reminder per ticket and person, however often they reported it
	for _, f := range followers {
		orig, err := tx.FindRequest(cm.ID, f.DuplicateOf)
		if err != nil {
			return err
		}
		key := fmt.Sprintf(":p%d", f.PersonID)
		if !due(orig) || f.PersonID == orig.PersonID || asked[Ref(orig.Kind, orig.ID)+key] {
			continue
		}
		asked[Ref(orig.Kind, orig.ID)+key] = true
		if err := j.remindOne(tx, dir, orig, f, key); err != nil {
			return err
		}
	}
	return nil
}

// followerReminderWindow is how many days after its resolution a ticket's
// followers may still be reminded: older ones are history, not a reminder.
const followerReminderWindow = 30

// remindOne reminds whoever reported r (the ticket itself, or a follower's
// report merged into it) to rate orig, once (dedupe key per ticket and
// reporter), and records the reminder on r: r is on the 回访 list from now.
func (j *Jobs) remindOne(tx *storage.Tx, dir *directory, orig, r storage.Request, keySuffix string) error {
	v, err := dir.view(orig)
	if err != nil {
		return err
	}
	reporter, err := tx.FindPerson(r.PersonID)
	if err != nil {
		return err
	}
	err = j.Outbox.ToPerson(tx, reporter, bot.Post{Template: prompts.WorkflowRatingReminder,
		Data: reminderView{view: v, Resolved: orig.ResolvedAt.In(dir.loc)}, DedupeKey: "rate-remind:" + v.ID + keySuffix})
	if errors.Is(err, storage.ErrDuplicate) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.AddRequestEvent(storage.RequestEvent{RequestID: r.ID, Action: storage.ActionRemindRating,
		FromState: r.State, ToState: r.State})
}
