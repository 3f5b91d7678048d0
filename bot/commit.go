package bot

import (
	"context"
	"runtime"
	"runtime/pprof"
	"sync"

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
// take the lead.
type committer struct {
	mu      sync.Mutex
	queue   []*commitJob
	writing bool // a writer goroutine is running
}

// writerLabel marks the writer goroutine in CPU profiles (pprof -tagfocus
// qiao=writer): its time a message is what bounds the pipeline.
var writerLabel = pprof.Labels("qiao", "writer")

type commitJob struct {
	ctx   context.Context
	fn    func(tx *storage.Tx) error
	span  int                        // on a batch's first job: the batch's length
	after func(tx *storage.Tx) error // on a batch's last job: run after it, in its transaction
	err   error
	// done is closed when committed (err set). A call's jobs share it: the
	// writer takes them whole, into one transaction (see write), and closes
	// it once, at the first (the one with the span).
	done chan struct{}
}

// commitAll runs the fns in one write transaction, possibly shared with other
// messages', keeping their order: they join the queue together. after, if
// not nil, runs in that transaction after the last fn; its error is logged.
func (e *Engine) commitAll(ctx context.Context, fns []func(tx *storage.Tx) error, after func(tx *storage.Tx) error) []error {
	c := &e.committer
	if len(fns) == 0 {
		return nil
	}
	// One allocation for the call's jobs and one channel for them all, not
	// two of each a message.
	jobs, done := make([]commitJob, len(fns)), make(chan struct{})
	for i, fn := range fns {
		jobs[i] = commitJob{ctx: ctx, fn: fn, done: done}
	}
	jobs[0].span = len(jobs)
	jobs[len(jobs)-1].after = after
	c.mu.Lock()
	for i := range jobs {
		c.queue = append(c.queue, &jobs[i])
	}
	start := !c.writing
	c.writing = true
	c.mu.Unlock()
	if start {
		go pprof.Do(context.Background(), writerLabel, func(context.Context) { e.write() })
	}
	<-done // once queued, the messages are committed or failed: the writer does not stop halfway
	errs := make([]error, len(jobs))
	for i := range jobs {
		errs[i] = jobs[i].err
	}
	return errs
}

// write runs the queued batches, each in one transaction, until the queue is
// empty.
func (e *Engine) write() {
	c := &e.committer
	for {
		// Callers just released by the previous batch (or arriving with the
		// first message) are about to queue their next message: let them run
		// first, so they share this commit instead of waiting for the next.
		runtime.Gosched()
		c.mu.Lock()
		n := 0 // whole batches: the queue's head is always a batch's first job
		for n < len(c.queue) && n < maxGroupCommit {
			n += max(c.queue[n].span, 1) // the head is a call's first job, with its span; max guards the loop
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
	for i, b := range batch {
		b.err = errs[at[i]]
	}
	for _, b := range batch {
		if b.span > 0 { // a call's first job: every job of the call is in this batch
			close(b.done)
		}
	}
}
