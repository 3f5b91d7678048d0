package bot

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// Dispatcher drains the outbox through the adapters: per platform, in order per
// chat, under the platform's pacing, retrying failures with back-off. A message
// is marked sent only after its adapter accepted it, so a crash in between
// sends it again on restart (at least once, never lost).
type Dispatcher struct {
	DB    *storage.DB
	Clock Clock
	Log   *slog.Logger

	mu       sync.Mutex
	adapters map[string]*lane
	wake     chan struct{}
	// leftBehind holds the platform and kind of each attachment a platform
	// could not send, logged once (a weekly chart goes to every group).
	leftBehind sync.Map
}

// lane is one platform's sending state.
type lane struct {
	adapter  Adapter
	mu       sync.Mutex // one batch at a time per platform
	chatNext map[string]time.Time
	global   time.Time
	recent   []time.Time // times of the latest deliveries, for Limits.PerMinute
	restored bool        // pacing restored from the outbox (pacing_restart.go)
	// sentRefs are the platform ids of named messages sent in this pass, before
	// the pass records them: an edit later in the same pass finds its message.
	sentRefs map[string]string
	// again asks for another pass at once (an answer turned into a post).
	again bool
	// headsAt is when the pass last read the other chats' heads (see pending).
	headsAt time.Time
}

// minuteFree is when another send keeps within perMinute sends in any minute.
func (l *lane) minuteFree(perMinute int) time.Time {
	if perMinute <= 0 || len(l.recent) < perMinute {
		return time.Time{}
	}
	return l.recent[len(l.recent)-perMinute].Add(time.Minute)
}

// batchSize bounds one read of the outbox.
const batchSize = 200

// maxBackoff caps the wait between retries of a failing message.
const maxBackoff = 10 * time.Minute

// Register adds an adapter. Call before Run.
func (d *Dispatcher) Register(a Adapter) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.adapters == nil {
		d.adapters = map[string]*lane{}
		d.wake = make(chan struct{}, 1)
	}
	d.adapters[a.Platform()] = &lane{adapter: a, chatNext: map[string]time.Time{}}
}

// Wake tells the dispatcher new messages are waiting.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run sends until ctx is done.
func (d *Dispatcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wakes := map[string]chan struct{}{}
	for p, l := range d.adapters {
		ch := make(chan struct{}, 1)
		wakes[p] = ch
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.runLane(ctx, l, ch)
		}()
	}
	// Fan the shared wake channel out to every lane.
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil
		case <-d.wake:
			for _, ch := range wakes {
				select {
				case ch <- struct{}{}:
				default:
				}
			}
		}
	}
}

func (d *Dispatcher) runLane(ctx context.Context, l *lane, wake <-chan struct{}) {
	for ctx.Err() == nil {
		next, err := d.sendDue(ctx, l, true)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("outbox", "platform", l.adapter.Platform(), "err", err)
			next = d.Clock.Now().Add(5 * time.Second)
		}
		wait := 30 * time.Second // a safety net; wakes and timers do the real work
		if !next.IsZero() {
			// A next time already past (the clock moved during the pass, or
			// more is waiting behind a full batch) means another pass at once:
			// sendDue returns one only after sending or when time has moved, so
			// this cannot spin. A floor here would be a wait a virtual clock
			// never ends unless a test happens to advance it again.
			wait = min(wait, next.Sub(d.Clock.Now()))
		}
		select {
		case <-ctx.Done():
		case <-wake:
		case <-d.Clock.After(wait):
		}
	}
}

// Drain sends every message of a platform that is due now, ignoring pacing, and
// returns when none is left (the console uses it to print replies in order).
func (d *Dispatcher) Drain(ctx context.Context, platform string) error {
	l := d.adapters[platform]
	if l == nil {
		return nil
	}
	for {
		next, err := d.sendDue(ctx, l, false)
		if err != nil {
			return err
		}
		if next.IsZero() || next.After(d.Clock.Now()) {
			return nil
		}
	}
}

// sendDue sends what is due in one pass over the pending messages and returns
// when the next one will be due (zero if nothing is pending).
func (d *Dispatcher) sendDue(ctx context.Context, l *lane, pace bool) (time.Time, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if pace {
		d.restorePacing(ctx, l)
	}
	now := d.Clock.Now()
	msgs, headsAgain, err := d.pending(ctx, l, now)
	if err != nil {
		return time.Time{}, err
	}
	limits := l.adapter.Limits()
	var next time.Time
	later := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	if !headsAgain.IsZero() {
		later(headsAgain) // other chats may be waiting behind the batch
	}
	sent := 0
	blocked := map[string]bool{} // chats with an earlier message still waiting: keep order
	// Deliveries are recorded together (one commit), at the latest when the pass ends.
	var delivered []storage.Delivery
	l.sentRefs = map[string]string{}
	defer func() { d.markSent(ctx, delivered) }()
	for _, m := range msgs {
		if ctx.Err() != nil {
			return next, nil
		}
		if len(delivered) >= markBatch {
			d.markSent(ctx, delivered)
			delivered = delivered[:0]
		}
		chat := chatOf(m)
		if blocked[chat] {
			continue
		}
		now = d.Clock.Now()
		due := m.NotBefore
		if pace {
			if t := l.chatNext[chat]; t.After(due) {
				due = t
			}
			if l.global.After(due) {
				due = l.global
			}
			if t := l.minuteFree(limits.PerMinute); t.After(due) {
				due = t
			}
		}
		if due.After(now) && !(pace && d.awaitShortGap(ctx, l, m, chat, due, now, limits)) {
			blocked[chat] = true
			later(due)
			continue
		}
		if d.sendOne(ctx, l, m, limits, &delivered) {
			sent++
		} else {
			blocked[chat] = true // keep the chat's order: nothing after a failure
			later(l.chatNext[chat])
		}
	}
	if len(msgs) >= batchSize && sent > 0 || l.again {
		later(d.Clock.Now()) // more may be waiting behind this batch, or a press's answer became a post
	}
	l.again = false
	return next, nil
}

// markBatch bounds how many deliveries wait to be recorded: a crash resends at most these.
const markBatch = 64

// markSent records deliveries in one transaction, even while shutting down.
func (d *Dispatcher) markSent(ctx context.Context, ds []storage.Delivery) {
	if len(ds) == 0 {
		return
	}
	if err := d.DB.MarkSentBatch(context.WithoutCancel(ctx), ds, d.Clock.Now()); err != nil {
		d.Log.Error("outbox: mark sent", "count", len(ds), "err", err)
	}
}

// chatOf is the pacing key of a message: its chat. An answer to a button press
// (a toast where the platform has them) is keyed by the press: it is not a post
// into the chat, so it neither waits behind the chat's pacing nor delays it.
func chatOf(m storage.OutboxMessage) string {
	if m.CallbackID != "" {
		return "cb:" + m.CallbackID
	}
	if m.ChatKey == "" {
		return "@" + m.UserKey
	}
	return m.ChatKey
}

// sendOne sends one message and records the outcome; it reports whether it was delivered.
func (d *Dispatcher) sendOne(ctx context.Context, l *lane, m storage.OutboxMessage, limits Limits, delivered *[]storage.Delivery) bool {
	platform := l.adapter.Platform()
	if m.EditRef != "" {
		if !canEdit(l.adapter) {
			*delivered = append(*delivered, storage.Delivery{ID: m.ID}) // nothing to edit here: done
			return true
		}
		if m.EditID == "" {
			m.EditID = l.sentRefs[m.EditRef] // sent earlier in this pass, not yet recorded
		}
	}
	out := Outgoing{ID: m.ID, Chat: m.ChatKey, User: m.UserKey, UserName: m.UserName, Text: m.Text,
		EditID: m.EditID, CallbackID: m.CallbackID}
	for _, a := range m.Also {
		out.Also = append(out.Also, Addressee{User: a.Key, Name: a.Name})
	}
	for _, row := range m.Buttons {
		var r []Button
		for _, b := range row {
			r = append(r, Button{Text: b.Text, Data: b.Data})
		}
		out.Buttons = append(out.Buttons, r)
	}
	if m.BlobID != 0 {
		if err := d.attach(ctx, l.adapter, &out, m.BlobID); err != nil {
			d.Log.Error("outbox: attachment", "platform", l.adapter.Platform(), "id", m.ID, "blob", m.BlobID, "err", err)
		}
	}
	// Gaps count from the start of a call: the platform counts arrivals, and a
	// slow call must not stretch every gap after it.
	start := d.Clock.Now()
	callCtx, endCall := inFlight(ctx)
	sent, err := l.adapter.Send(callCtx, stripOutgoing(out))
	endCall()
	now := d.Clock.Now()
	chat := chatOf(m)
	gap := limits.Group
	if m.ChatKey == "" {
		gap = limits.Private
	}
	var jitter time.Duration
	if limits.Jitter > 0 {
		jitter = rand.N(limits.Jitter)
	}
	l.chatNext[chat] = start.Add(gap + jitter)
	l.global = trainStart(l.global, start, limits).Add(limits.Global + jitter)

	var retry *RetryAfterError
	var moved *ChatMovedError
	switch {
	case err == nil:
		if m.CallbackID != "" {
			delete(l.chatNext, chat) // a press is answered once: forget its pacing key
		}
		if limits.PerMinute > 0 {
			l.recent = append(l.recent, start)
			l.recent = l.recent[max(0, len(l.recent)-limits.PerMinute):]
		}
		*delivered = append(*delivered, storage.Delivery{ID: m.ID, PlatformMsgID: sent.ID})
		if m.Ref != "" {
			l.sentRefs[m.Ref] = sent.ID
		}
		return true
	case errors.As(err, &retry):
		l.chatNext[chat] = now.Add(retry.After)
		d.Log.Warn("outbox: rate limited", "platform", platform, "chat", m.ChatKey, "retry_after", retry.After)
		_ = d.DB.MarkRetry(ctx, m.ID, err.Error(), now.Add(retry.After))
	case errors.As(err, &moved):
		d.Log.Warn("outbox: chat moved", "platform", platform, "from", m.ChatKey, "to", moved.NewChat)
		if err := d.moveChat(ctx, platform, m.ChatKey, moved.NewChat); err != nil {
			d.Log.Error("outbox: move chat", "err", err)
		}
		l.chatNext[chat] = now
	case errors.Is(err, ErrAnswerAsPost):
		// Posted into the chat in a later pass, behind the chat's pacing like any post.
		delete(l.chatNext, chat)
		if err := d.DB.AnswerAsPost(ctx, m.ID); err != nil {
			d.Log.Error("outbox: answer as post", "id", m.ID, "err", err)
		}
		l.again = true
		return true
	case errors.Is(err, ErrPermanent):
		d.Log.Error("outbox: giving up", "platform", platform, "chat", m.ChatKey, "id", m.ID, "err", err)
		_ = d.DB.MarkFailed(ctx, m.ID, err.Error())
		return true // nothing more will happen to it: do not hold the chat
	default:
		backoff := min(time.Second<<min(m.Attempts, 20), maxBackoff)
		d.Log.Warn("outbox: send failed, will retry", "platform", platform, "chat", m.ChatKey, "id", m.ID,
			"attempt", m.Attempts+1, "retry_in", backoff, "err", err)
		_ = d.DB.MarkRetry(ctx, m.ID, err.Error(), now.Add(backoff))
		l.chatNext[chat] = now.Add(backoff)
	}
	return false
}

// sendGrace is how long a shutdown waits for a send already under way.
const sendGrace = 10 * time.Second

// inFlight is the context of one adapter call. A shutdown does not cut the call
// short at once: the platform may already have the message, and a call
// reported failed is sent again by the next pass (at start-up), so residents
// would read it twice. The call gets sendGrace to finish (adapters bound their
// calls too); only then is it cancelled.
func inFlight(ctx context.Context) (context.Context, context.CancelFunc) {
	call, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(sendGrace, cancel) })
	return call, func() { stop(); cancel() }
}

// MoveChat moves a platform's group from one chat key to another, with its
// pending messages (a Telegram group became a supergroup). A chat no group uses
// (already moved) is not an error.
func (d *Dispatcher) MoveChat(ctx context.Context, platform, from, to string) error {
	err := d.moveChat(ctx, platform, from, to)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	return err
}

func (d *Dispatcher) moveChat(ctx context.Context, platform, from, to string) error {
	return d.DB.Update(ctx, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(platform, from)
		if err != nil {
			return err
		}
		return tx.UpdateGroupChat(g.ID, to)
	})
}
