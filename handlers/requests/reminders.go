package requests

import (
	"context"
	"errors"
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
// records the reminder as an event: from then on the ticket is on the staff's
// 回访 list in the 日报. A second run sends nothing (dedupe key per ticket).
func (j *Jobs) RemindRating(ctx context.Context, now time.Time) error {
	return j.eachCommunity(ctx, now, "remind rating", j.remindRating)
}

func (j *Jobs) remindRating(tx *storage.Tx, cm storage.Community, now time.Time) error {
	list, err := tx.FindRequests(storage.RequestFilter{CommunityID: cm.ID, Kinds: []string{storage.KindRepair, storage.KindComplaint},
		States: []string{storage.StateResolved}})
	if err != nil || len(list) == 0 {
		return err
	}
	dir, err := newDirectory(tx, cm, j.Classifier)
	if err != nil {
		return err
	}
	cal := j.Config.calendar()
	for _, r := range list {
		if r.ResolvedAt.IsZero() || now.Before(j.Config.Workflow.RemindRatingAfter.After(r.ResolvedAt.In(dir.loc), cal)) {
			continue
		}
		v, err := dir.view(r)
		if err != nil {
			return err
		}
		reporter, err := tx.FindPerson(r.PersonID)
		if err != nil {
			return err
		}
		err = j.Outbox.ToPerson(tx, reporter, bot.Post{Template: prompts.WorkflowRatingReminder,
			Data: reminderView{view: v, Resolved: r.ResolvedAt.In(dir.loc)}, DedupeKey: "rate-remind:" + v.ID})
		if errors.Is(err, storage.ErrDuplicate) {
			continue
		}
		if err != nil {
			return err
		}
		if err := tx.AddRequestEvent(storage.RequestEvent{RequestID: r.ID, Action: storage.ActionRemindRating,
			FromState: r.State, ToState: r.State}); err != nil {
			return err
		}
	}
	return nil
}
