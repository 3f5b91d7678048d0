package telegram

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/qiao-community/qiao/bot"
)

// burst collects updates posted to the webhook at about the same time into
// one engine batch (one group commit). Telegram posts over up to 40
// connections at once and each request waits for its answer, so a burst is
// many concurrent requests. The first request of a batch leads it: it waits
// BatchWait (on the adapter's clock) or until the batch holds BatchMax
// updates, then until the batch before it was handled, and hands its
// batch to the engine in update order; every request is answered only once
// its own update is committed. There is no goroutine of its own.
type burst struct {
	a  *Adapter
	in bot.BatchInbound

	mu   sync.Mutex
	open *burstBatch // the batch new updates join; nil: none
	last *burstBatch // the batch created last (the next one waits for it)
}

type burstBatch struct {
	items   []pageItem
	errs    []error       // set before done is closed
	full    chan struct{} // closed when the batch reached BatchMax
	done    chan struct{} // closed when the batch was committed (or failed)
	handled chan struct{} // closed when the engine returned
	prev    chan struct{} // the previous batch's handled (nil: none)
}

// add puts an update's message into the open batch and returns that batch,
// its index in it, and whether the caller leads it.
func (b *burst) add(it pageItem) (*burstBatch, int, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	lead := b.open == nil
	if lead {
		nb := &burstBatch{full: make(chan struct{}), done: make(chan struct{}), handled: make(chan struct{})}
		if b.last != nil {
			nb.prev = b.last.handled
		}
		b.open, b.last = nb, nb
	}
	bb := b.open
	bb.items = append(bb.items, it)
	if len(bb.items) >= b.a.cfg.Webhook.BatchMax {
		close(bb.full)
		b.open = nil // the next update starts a batch
	}
	return bb, len(bb.items) - 1, lead
}

// handle commits it with the updates around it and returns its error.
func (b *burst) handle(ctx context.Context, it pageItem) error {
	bb, i, lead := b.add(it)
	if lead {
		b.lead(ctx, bb)
	}
	<-bb.done
	return bb.errs[i]
}

// lead waits for the batch to fill (or its wait to pass) and for the batch
// before it to be handled, then hands it to the engine. The engine's
// context is the adapter's lifetime: a batch holds other requests' updates.
func (b *burst) lead(ctx context.Context, bb *burstBatch) {
	select {
	case <-bb.full:
	case <-b.a.opts.Clock.After(b.a.cfg.Webhook.BatchWait):
	}
	if bb.prev != nil {
		<-bb.prev // one batch at a time, in order; meanwhile this one fills
	}
	b.mu.Lock()
	if b.open == bb {
		b.open = nil
	}
	items := bb.items
	b.mu.Unlock()
	// Telegram's connections race: the batch goes in update order.
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(items[x].id, items[y].id) })
	sorted := make([]pageItem, len(items))
	for k, i := range order {
		sorted[k] = items[i]
	}
	errs := b.a.toEngine(b.a.lifetime(ctx), b.in, sorted, nil)
	bb.errs = make([]error, len(items))
	for k, i := range order {
		bb.errs[i] = errs[k]
	}
	close(bb.done)
	close(bb.handled)
}

// waiting is how many updates wait in the open batch (tests).
func (b *burst) waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open == nil {
		return 0
	}
	return len(b.open.items)
}
