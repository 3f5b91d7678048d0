package jielong

import (
	"context"
	"fmt"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"time"
)

// Jobs closes 接龙 at their deadlines.
type Jobs struct {
	DB     *storage.DB
	Outbox *bot.Outbox
}

// Tick closes every 接龙 whose deadline has come and posts its final list
// into its group, once (a dedupe key per 接龙).
func (j *Jobs) Tick(ctx context.Context, now time.Time) error {
	return j.DB.Update(ctx, func(tx *storage.Tx) error {
		due, err := tx.DueJielongs(now)
		if err != nil {
			return err
		}
		for _, jl := range due {
			if _, err := tx.CloseJielong(jl.ID); err != nil {
				return err
			}
			g, err := tx.FindGroup(jl.GroupID)
			if err != nil {
				return err
			}
			c, err := tx.FindCommunity(jl.CommunityID)
			if err != nil {
				return err
			}
			lines, err := tx.JielongLines(jl.ID)
			if err != nil {
				return err
			}
			jl.ClosedAt = now
			err = j.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.JielongFinal, Data: view(jl, lines, bot.Location(c.Timezone)),
				DedupeKey: fmt.Sprintf("jielong:%d:final", jl.ID)})
			if err != nil && err != storage.ErrDuplicate {
				return err
			}
		}
		return nil
	})
}
