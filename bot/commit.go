package bot

import (
	"context"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// maxGroupCommit bounds how many messages share one commit; a batch that
// straddles the bound is taken whole (it is bounded by its adapter).
const maxGroupCommit = 64

// committer is the Engine's group commit. Messages that arrive while a commit
// is in progress wait and then go into the next transaction together: one
// message's failure rolls back only that message (storage.UpdateBatch runs the
// batch again with a savepoint each), and each still commits (dedupe, state,
// outbox) atomically. A message alone is committed at once, so a quiet bot
// waits for nothing.
//
// A writer goroutine runs the batches while there are any, and ends when the
// queue is empty; the next message starts another. Each message then costs
// one hand-off (its caller waits for the writer's signal), and a busy writer
// goes from one commit to the next without waiting for a waiter to wake and
// take the lead. Between two commits it waits, briefly, for the callers it
// just released (see awaitCallers), so that they share the next one.
type committer struct {
	mu      sync.Mutex
	queue   []*commitJob
	writing bool // a writer goroutine is running
	// calls counts commitAll's callers; after a commit the writer waits
	// (see awaitCallers) until calls reaches back, or for at most
	// callersWait: waiting is set, and the caller that makes calls reach
	// back sends on wake (capacity 1) and clears it.
	calls, back int64
	waiting     bool
	wake        chan struct{}
	timer       *time.Timer // the writer's, reused
	// yields: after a wait that nobody ended (callers paced by a rate,
	// not waiting to send more), the next commits only yield (see
	// awaitCallers), so a paced stream rarely pays a timer's wake-up.
	yields int
}

// callersWait bounds how long the writer waits for the callers it just
// released to queue their next messages: a caller that does not come back
// (an adapter's last message for now) costs the others at most this.
const callersWait = 200 * time.Microsecond

// yieldsAfterTimeout is how many commits only yield after a wait that timed out.
const yieldsAfterTimeout = 16

// writerLabel marks the writer goroutine in CPU profiles (pprof -tagfocus
// qiao=writer): its time a message is what bounds the pipeline.
var writerLabel = pprof.Labels("qiao", "writer")

type commitJob struct {
	ctx   context.Context
	fn    func(tx *storage.Tx) error
	span  int                        // on a batch's first job: the batch's length
	after func(tx *storage.Tx) error // on a batch's last job: run after it, in its transaction
	err   error
	done  chan struct{} // closed when committed (err set)
}

// commitAll runs the fns in one write transaction, possibly shared with other
// messages', keeping their order: they join the queue together. after, if
// not nil, runs in that transaction after the last fn; its error is logged.
func (e *Engine) commitAll(ctx context.Context, fns []func(tx *storage.Tx) error, after func(tx *storage.Tx) error) []error {
	c := &e.committer
	jobs := make([]*commitJob, len(fns))
	c.mu.Lock()
	for i, fn := range fns {
		jobs[i] = &commitJob{ctx: ctx, fn: fn, done: make(chan struct{})}
		c.queue = append(c.queue, jobs[i])
	}
	if len(jobs) > 0 {
		jobs[0].span = len(jobs)
		jobs[len(jobs)-1].after = after
	}
	start := !c.writing && len(jobs) > 0
	c.writing = c.writing || start
	c.arrived()
	c.mu.Unlock()
	if start {
		go pprof.Do(context.Background(), writerLabel, func(context.Context) { e.write() })
	}
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		<-j.done // once queued, a message is committed or failed: the writer does not stop halfway
		errs[i] = j.err
	}
	return errs
}

// write runs the queued batches, each in one transaction, until the queue is
// empty.
func (e *Engine) write() {
	c := &e.committer
	// The first message's caller may be followed by others: let them run
	// first, so they share this commit instead of waiting for the next.
	runtime.Gosched()
	for {
		c.mu.Lock()
		n := 0 // whole batches: the queue's head is always a batch's first job
		for n < len(c.queue) && n < maxGroupCommit {
			n += max(c.queue[n].span, 1) // a job queued without a span stands alone
		}
		if n == 0 {
			c.writing = false
			c.mu.Unlock()
			return
		}
		batch := c.queue[:n:n]
		c.queue = c.queue[n:]
		c.mu.Unlock()
		e.commitBatch(batch)
		c.awaitCallers()
	}
}

// commitBatch runs one group commit and tells its callers.
func (e *Engine) commitBatch(batch []*commitJob) {
	fns := make([]func(tx *storage.Tx) error, 0, len(batch)+1)
	at := make([]int, len(batch)) // batch[i]'s index in fns
	var afters []int
	for i, b := range batch {
		at[i] = len(fns)
		fns = append(fns, b.fn)
		if b.after != nil {
			afters = append(afters, len(fns))
			fns = append(fns, b.after)
		}
	}
	// Once begun, a batch finishes: other callers' messages are in it.
	errs := e.DB.UpdateBatch(context.WithoutCancel(batch[0].ctx), fns)
	for _, k := range afters {
		if errs[k] != nil {
			e.Log.Error("checkpoint not stored with its batch", "err", errs[k])
		}
	}
	// Before the callers are released, so that none comes back unseen.
	callers := int64(0)
	for _, b := range batch {
		if b.span > 0 {
			callers++
		}
	}
	e.committer.expect(callers)
	for i, b := range batch {
		b.err = errs[at[i]]
		close(b.done)
	}
}

// awaitCallers waits, after a commit, for the callers it released to queue
// their next messages, so that they share the next commit: for at most
// callersWait. Each comes back after its own routing (parsing, the intake
// model's prediction), on either core; the last one to queue wakes the
// writer at once. A yield instead (runtime.Gosched) made the writer wait
// behind every goroutine runnable on its core — the dispatcher, the
// collector's workers — and then for the scheduler's global queue.
func (c *committer) awaitCallers() {
	c.mu.Lock()
	if !c.waiting { // all back already, a full batch queued, or yielding
		yield := c.yields > 0 && c.calls < c.back
		c.drainWake()
		c.mu.Unlock()
		if yield {
			runtime.Gosched() // as before this wait: released callers run first
		}
		return
	}
	c.mu.Unlock()
	if c.timer == nil {
		c.timer = time.NewTimer(callersWait)
	} else {
		c.timer.Reset(callersWait)
	}
	select {
	case <-c.wake:
		c.timer.Stop()
	case <-c.timer.C:
		c.mu.Lock()
		c.waiting = false
		c.yields = yieldsAfterTimeout
		c.drainWake()
		c.mu.Unlock()
	}
}

// expect has the writer's next awaitCallers wait for callers more callers to
// queue: as many as the commit it just ran is about to release.
func (c *committer) expect(callers int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.wake == nil {
		c.wake = make(chan struct{}, 1)
	}
	c.back = c.calls + callers
	c.waiting = len(c.queue) < maxGroupCommit && c.yields == 0 // a full batch waits for no one
	c.yields = max(c.yields-1, 0)
}

// arrived counts a caller that queued (c.mu held) and wakes the writer when
// it was the last the writer waits for.
func (c *committer) arrived() {
	c.calls++
	if c.waiting && c.calls >= c.back {
		c.wake <- struct{}{} // every caller the last commit released is back
		c.waiting = false
	}
}

// drainWake takes a signal the writer will not wait for (c.mu held), so that
// the next wait does not end at once.
func (c *committer) drainWake() {
	select {
	case <-c.wake:
	default:
	}
}
