package telegram

import (
	"context"

	"github.com/go-telegram/bot/models"

	"github.com/qiao-community/qiao/bot"
)

// pageItem is one update of a getUpdates page turned into a message.
type pageItem struct {
	id  int64
	msg bot.Message
	ok  bool // false: nothing to hand to the engine (an update Qiao ignores)
}

// handlePage hands a getUpdates page to the engine in order, as one batch
// where the engine takes batches (shared group commits), and returns the id
// of the last update handled with every update before it, and the error that
// stopped it. A group's move to a supergroup is applied between the messages
// around it.
func (a *Adapter) handlePage(ctx context.Context, in bot.Inbound, updates []*models.Update) (int64, error) {
	var last int64
	var items []pageItem
	flush := func() error {
		done, err := a.handleItems(ctx, in, items)
		if done > 0 {
			last = items[done-1].id
		}
		items = items[:0]
		return err
	}
	for _, u := range updates {
		if m := u.Message; m != nil && (m.MigrateToChatID != 0 || m.MigrateFromChatID != 0) {
			if err := flush(); err != nil {
				return last, err
			}
			if err := a.handle(ctx, in, u); err != nil {
				return last, err
			}
			last = u.ID
			continue
		}
		msg, ok := a.message(u)
		if ok {
			if err := a.fetchAttachments(ctx, u.Message, &msg); err != nil {
				if ferr := flush(); ferr != nil {
					return last, ferr
				}
				return last, err // not confirmed: Telegram delivers the update again
			}
		}
		items = append(items, pageItem{id: u.ID, msg: msg, ok: ok})
	}
	return last, flush()
}

// handleItems hands items to the engine and returns how many leading items
// were handled.
func (a *Adapter) handleItems(ctx context.Context, in bot.Inbound, items []pageItem) (int, error) {
	var msgs []bot.Message
	for _, it := range items {
		if it.ok {
			msgs = append(msgs, it.msg)
			if it.msg.CallbackID != "" { // before Handle: the answer may be sent before it returns
				a.mu.Lock()
				a.callbacks[it.msg.CallbackID] = true
				a.mu.Unlock()
			}
		}
	}
	errs := make([]error, len(msgs))
	if b, ok := in.(bot.BatchInbound); ok && len(msgs) > 1 {
		errs = b.HandleBatch(ctx, msgs)
	} else {
		for i, m := range msgs {
			if errs[i] = in.Handle(ctx, m); errs[i] != nil {
				for j := i + 1; j < len(errs); j++ {
					errs[j] = errs[i] // not tried: after a failure, order matters
				}
				break
			}
		}
	}
	done, k := 0, 0
	var stop error
	for _, it := range items {
		if it.ok {
			err := errs[k]
			k++
			if it.msg.CallbackID != "" {
				if err != nil {
					a.takeCallback(it.msg.CallbackID)
				} else {
					a.awaitAnswer(a.lifetime(ctx), it.msg.CallbackID)
				}
			}
			if err != nil && stop == nil {
				stop = err
			}
		}
		if stop == nil {
			done++
		}
	}
	return done, stop
}
