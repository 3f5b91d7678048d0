package projects

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// RemindBefore is how long before a 评议's deadline its groups are reminded.
const RemindBefore = 24 * time.Hour

// Jobs is the projects' scheduled work.
type Jobs struct {
	DB     *storage.DB
	Outbox *bot.Outbox
}

// Tick reminds the groups of a 评议 closing within RemindBefore and closes
// those whose deadline passed, posting the result to the project's groups and
// the staff groups. Every post carries a dedupe key, so a rerun for the same
// time (or a catch-up after downtime) sends nothing twice.
func (j *Jobs) Tick(ctx context.Context, now time.Time) error {
	return j.DB.Update(ctx, func(tx *storage.Tx) error {
		list, err := tx.ReviewingProjects()
		if err != nil {
			return err
		}
		for _, p := range list {
			cm, err := tx.FindCommunity(p.CommunityID)
			if err != nil {
				return err
			}
			loc := bot.Location(cm.Timezone)
			switch {
			case !now.Before(p.ReviewDueAt):
				err = j.close(tx, p, loc)
			case p.ReviewDueAt.Sub(now) <= RemindBefore:
				err = j.remind(tx, p, loc)
			}
			if err != nil {
				return fmt.Errorf("project %s: %w", Ref(p.ID), err)
			}
		}
		return nil
	})
}

// remind posts the reminder into the project's groups and privately to each
// follower who has not rated it (nor their household).
func (j *Jobs) remind(tx *storage.Tx, p storage.Project, loc *time.Location) error {
	v, err := buildView(tx, p, loc)
	if err != nil {
		return err
	}
	post := bot.Post{Template: prompts.ProjectReviewReminder, Data: v}
	if err := j.post(tx, p.GroupIDs, "project-remind", p, post); err != nil {
		return err
	}
	followers, err := tx.ProjectFollowers(p.ID)
	if err != nil {
		return err
	}
	for _, f := range followers {
		key, ok := voterKey(f, p)
		if ok {
			_, err := tx.FindProjectReview(p.ID, key)
			if err == nil {
				continue
			}
			if !errors.Is(err, storage.ErrNotFound) {
				return err
			}
		}
		post.DedupeKey = fmt.Sprintf("project-remind:%s:P%d", Ref(p.ID), f.ID)
		if err := j.Outbox.ToPerson(tx, f, post); err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	return nil
}

func (j *Jobs) close(tx *storage.Tx, p storage.Project, loc *time.Location) error {
	if _, err := tx.CloseReview(p.ID, p.ReviewDueAt); err != nil {
		return err
	}
	p.State, p.ReviewClosedAt = storage.ProjectDone, p.ReviewDueAt
	v, err := buildView(tx, p, loc)
	if err != nil {
		return err
	}
	staff, err := tx.Groups(p.CommunityID, storage.GroupStaff)
	if err != nil {
		return err
	}
	ids := append([]int64(nil), p.GroupIDs...)
	for _, g := range staff {
		ids = append(ids, g.ID)
	}
	return j.post(tx, ids, "project-result", p, bot.Post{Template: prompts.ProjectReviewResult, Data: v})
}

// post enqueues a post into groups, once per kind, project and group.
func (j *Jobs) post(tx *storage.Tx, groupIDs []int64, kind string, p storage.Project, post bot.Post) error {
	for _, id := range groupIDs {
		g, err := tx.FindGroup(id)
		if err != nil {
			return err
		}
		post.DedupeKey = fmt.Sprintf("%s:%s:G%d", kind, Ref(p.ID), g.ID)
		if err := j.Outbox.ToGroup(tx, g, post); err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	return nil
}
