package bot

import (
	"context"
	"runtime"
	"sync"

	"github.com/qiao-community/qiao/storage"
)

// maxGroupCommit bounds how many messages share one commit.
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
	fn   func(tx *storage.Tx) error
	err  error
	done chan bool // true: finished (err set); false: lead the next batch
}

// commitAll runs each fn in a write transaction, possibly shared with other
// messages', keeping their order: they join the queue together.
func (e *Engine) commitAll(ctx context.Context, fns []func(tx *storage.Tx) error) []error {
	c := &e.committer
	jobs := make([]*commitJob, len(fns))
	c.mu.Lock()
	for i, fn := range fns {
		jobs[i] = &commitJob{fn: fn, done: make(chan bool, 1)}
		c.queue = append(c.queue, jobs[i])
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
	batch := c.queue[:min(len(c.queue), maxGroupCommit)]
	c.queue = c.queue[len(batch):]
	c.mu.Unlock()
	fns := make([]func(tx *storage.Tx) error, len(batch))
	for i, b := range batch {
		fns[i] = b.fn
	}
	// Once begun, a batch finishes: other callers' messages are in it.
	errs := e.DB.UpdateBatch(context.WithoutCancel(ctx), fns)
	for i, b := range batch {
		b.err = errs[i]
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
