package bot

import (
	"context"
	"runtime"
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
// outbox) atomically. A message alone is
// committed at once, so a quiet bot waits for nothing.
//
// There is no background goroutine: the first waiting caller leads, runs the
// batch, and hands the lead to the next waiting caller.
type committer struct {
	mu      sync.Mutex
	queue   []*commitJob
	leading bool
}

type commitJob struct {
	fn    func(tx *storage.Tx) error
	span  int                        // on a batch's first job: the batch's length
	after func(tx *storage.Tx) error // on a batch's last job: run after it, in its transaction
	err   error
	done  chan bool // true: finished (err set); false: lead the next batch
}

// commitAll runs the fns in one write transaction, possibly shared with other
// messages', keeping their order: they join the queue together. after, if
// not nil, runs in that transaction after the last fn; its error is logged.
func (e *Engine) commitAll(ctx context.Context, fns []func(tx *storage.Tx) error, after func(tx *storage.Tx) error) []error {
	c := &e.committer
	jobs := make([]*commitJob, len(fns))
	c.mu.Lock()
	for i, fn := range fns {
		jobs[i] = &commitJob{fn: fn, done: make(chan bool, 1)}
		c.queue = append(c.queue, jobs[i])
	}
	if len(jobs) > 0 {
		jobs[0].span = len(jobs)
		jobs[len(jobs)-1].after = after
	}
	lead := !c.leading
	c.leading = true
	c.mu.Unlock()
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		errs[i] = e.await(ctx, j, lead && i == 0)
	}
	return errs
}

// await waits until j is committed, leading a batch when j is at the head of
// the queue with no batch running (lead, or told so by the previous leader).
func (e *Engine) await(ctx context.Context, j *commitJob, lead bool) error {
	c := &e.committer
	if !lead && <-j.done {
		return j.err
	}
	// Lead: j is at the head of the queue. Other callers may be about to
	// join it (they were just released by the previous batch): let them run
	// first, so they share this commit instead of waiting for the next.
	runtime.Gosched()
	c.mu.Lock()
	n := 0 // whole batches: the queue's head is always a batch's first job
	for n < len(c.queue) && n < maxGroupCommit {
		n += max(c.queue[n].span, 1) // a job queued without a span stands alone
	}
	batch := c.queue[:n]
	c.queue = c.queue[n:]
	c.mu.Unlock()
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
	errs := e.DB.UpdateBatch(context.WithoutCancel(ctx), fns)
	for _, k := range afters {
		if errs[k] != nil {
			e.Log.Error("checkpoint not stored with its batch", "err", errs[k])
		}
	}
	for i, b := range batch {
		b.err = errs[at[i]]
		if b != j {
			b.done <- true
		}
	}
	c.mu.Lock()
	if len(c.queue) > 0 {
		next := c.queue[0]
		c.mu.Unlock()
		next.done <- false
	} else {
		c.leading = false
		c.mu.Unlock()
	}
	return j.err
}
