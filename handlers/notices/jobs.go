package notices

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Jobs is the notices' scheduled work.
type Jobs struct {
	DB     *storage.DB
	Outbox *bot.Outbox
	Config Config
}

// Tick reminds, once, everyone who has not confirmed a notice RemindAfter its
// posting (privately), and posts the count into each group. A notice already
// closed is not reminded of: after downtime the reminder is sent only while it
// is still useful. Dedupe keys make a second run send nothing.
func (j *Jobs) Tick(ctx context.Context, now time.Time) error {
	return j.DB.Update(ctx, func(tx *storage.Tx) error {
		open, err := tx.OpenAckNotices(now)
		if err != nil {
			return err
		}
		for _, n := range open {
			if now.Before(n.CreatedAt.Add(j.Config.RemindAfter)) {
				continue
			}
			if err := j.remind(tx, n); err != nil {
				return fmt.Errorf("remind notice %d: %w", n.ID, err)
			}
		}
		return nil
	})
}

func (j *Jobs) remind(tx *storage.Tx, n storage.Notice) error {
	c, err := tx.FindCommunity(n.CommunityID)
	if err != nil {
		return err
	}
	data := noticeData(n, bot.Location(c.Timezone))
	people, err := tx.NoticeUnconfirmed(n.ID)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("notice-remind:%d", n.ID)
	for _, p := range people {
		err := j.Outbox.ToPerson(tx, p, bot.Post{Template: prompts.NoticeRemindPerson, Data: data, DedupeKey: fmt.Sprintf("%s:P%d", key, p.ID)})
		if err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	groups, err := tx.NoticeTurnoutByGroup(n.ID, 0)
	if err != nil {
		return err
	}
	for _, t := range groups {
		if t.Voters >= t.Eligible {
			continue
		}
		g, err := tx.FindGroup(t.GroupID)
		if err != nil {
			return err
		}
		data["Turnout"] = t
		err = j.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.NoticeRemindGroup, Data: data, DedupeKey: fmt.Sprintf("%s:G%d", key, g.ID)})
		if err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	return nil
}
