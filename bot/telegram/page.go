package telegram

import (
	"context"
	"slices"
	"strconv"

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
// where the engine takes batches (one group commit, the offset stored in it),
// and returns the id of the last update handled with every update before it,
// whether that id is stored already, and the error that stopped it. A group's
// move to a supergroup is applied between the messages around it.
func (a *Adapter) handlePage(ctx context.Context, in bot.Inbound, updates []*models.Update) (last int64, stored bool, err error) {
	var items []pageItem
	flush := func() error {
		if len(items) == 0 {
			return nil
		}
		done, checked, err := a.handleItems(ctx, in, items)
		if done > 0 {
			last, stored = items[done-1].id, checked
		}
		items = items[:0]
		return err
	}
	for _, u := range updates {
		if migrates(u) {
			if err := flush(); err != nil {
				return last, stored, err
			}
			if err := a.handle(ctx, in, u); err != nil {
				return last, stored, err
			}
			last, stored = u.ID, false
			continue
		}
		msg, ok, err := a.incoming(ctx, u)
		if err != nil {
			if ferr := flush(); ferr != nil {
				return last, stored, ferr
			}
			return last, stored, err // not confirmed: Telegram delivers the update again
		}
		items = append(items, pageItem{id: u.ID, msg: msg, ok: ok})
	}
	err = flush()
	return last, stored, err
}

// covered is how many leading items are done when the first handled
// messages of items are: up to the next message not handled.
func covered(items []pageItem, handled int) int {
	k := 0
	for i, it := range items {
		if it.ok {
			if k == handled {
				return i
			}
			k++
		}
	}
	return len(items)
}

// handleItems hands items to the engine and returns how many leading items
// were handled, and whether the engine stored the offset with them.
func (a *Adapter) handleItems(ctx context.Context, in bot.Inbound, items []pageItem) (int, bool, error) {
	_, checked := in.(bot.BatchInbound)
	checked = checked && slices.ContainsFunc(items, func(it pageItem) bool { return it.ok })
	cp := bot.Checkpoint{Key: a.opts.Offsets.Key(), Value: func(handled int) (string, bool) {
		if n := covered(items, handled); n > 0 {
			return strconv.FormatInt(items[n-1].id, 10), true
		}
		return "", false
	}}
	errs := a.toEngine(ctx, in, items, &cp)
	done := 0
	for _, err := range errs {
		if err != nil {
			return done, checked, err
		}
		done++
	}
	return done, checked, nil
}

// toEngine hands the items' messages to the engine, in one batch where it
// takes batches (with the checkpoint, if any), and returns each item's error
// (nil for an item without a message). A button press is answered with an
// empty toast unless its reply does so in time.
func (a *Adapter) toEngine(ctx context.Context, in bot.Inbound, items []pageItem, cp *bot.Checkpoint) []error {
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
	if b, ok := in.(bot.BatchInbound); ok && len(msgs) > 0 {
		var cps []bot.Checkpoint
		if cp != nil {
			cps = append(cps, *cp)
		}
		errs = b.HandleBatch(ctx, msgs, cps...)
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
	out := make([]error, len(items))
	k := 0
	for i, it := range items {
		if !it.ok {
			continue
		}
		out[i] = errs[k]
		k++
		if it.msg.CallbackID != "" {
			if out[i] != nil {
				a.takeCallback(it.msg.CallbackID)
			} else {
				a.awaitAnswer(a.lifetime(ctx), it.msg.CallbackID)
			}
		}
	}
	return out
}
