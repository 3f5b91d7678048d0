package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// executor runs the writer's writes on a goroutine of their own during the
// optimistic pass of UpdateBatch, so that SQLite stepping a message's writes
// overlaps the next message's Go work on the other core: most writes are
// INSERTs and UPDATEs whose result nobody reads (outbox, request events, poll
// acks).
//
// SQLite sees exactly what it sees without it: the same statements in the
// order they were issued, on the same connection, never two at once. A write
// is handed over (asyncExec) only when its statement is prepared and no rows of
// a query are open; everything else — queries, writes without a prepared
// statement, a result read (LastInsertId, RowsAffected) — first drains the
// queue (wait), and then runs on the caller. A write that fails fails the
// optimistic batch, however the function it ran for goes on: the error is
// returned at the next wait, and the batch rolls back and runs again with a
// savepoint a function, synchronously (see UpdateBatch).
//
// A goroutine wake-up (a futex call each side) costs about what a write does,
// so the goroutine is woken once a message, when its function returns (kick),
// and a caller that must wait runs the writes not yet taken itself.
type executor struct {
	ctx     context.Context
	mu      sync.Mutex
	work    sync.Cond // the goroutine waits here for operations
	idle    sync.Cond // a caller waits here for the goroutine's write to end
	chunks  []*opChunk
	issued  int   // operations handed over in this pass (the caller's count)
	next    int   // the first not yet taken to run
	running bool  // the goroutine runs one
	err     error // the first failure of this pass
	asleep  bool  // the goroutine waits on work
	stop    bool
	exited  chan struct{}
}

// op is one write handed over: its statement and its arguments, converted and
// copied, and what it returned once run.
type op struct {
	st      driver.StmtExecContext
	args    []driver.NamedValue
	wantOne bool // the write must change exactly one row (see MarkInbound)
	ex      *executor
	res     driver.Result
	err     error
}

const opChunkLen = 64

// execSpins is how many times the goroutine yields, looking for work, before
// it sleeps.
const execSpins = 100

// opChunk holds operations in place: a result handed out points into it, and
// the goroutine writes there while the caller appends further chunks.
type opChunk [opChunkLen]op

// errNotNew fails an optimistic batch in which a message assumed new was
// handled before: the savepoint pass asks SQLite again, synchronously.
var errNotNew = errors.New("storage: an inbound message assumed new was a redelivery")

// start begins an optimistic pass: the goroutine runs until finish.
func (ex *executor) start(ctx context.Context) {
	ex.ctx = ctx
	ex.work.L, ex.idle.L = &ex.mu, &ex.mu
	ex.issued, ex.next, ex.err, ex.stop = 0, 0, nil, false
	ex.exited = make(chan struct{})
	go ex.run()
}

// finish runs what is left, ends the goroutine, and returns the pass's first
// failure.
func (ex *executor) finish() error {
	err := ex.wait()
	ex.mu.Lock()
	ex.stop = true
	ex.work.Signal()
	ex.mu.Unlock()
	<-ex.exited
	for i := range ex.issued { // no caller's data or result kept alive
		o := ex.op(i)
		clear(o.args)
		o.st, o.args, o.res, o.err = nil, o.args[:0], nil, nil
	}
	return err
}

func (ex *executor) op(i int) *op { return &ex.chunks[i/opChunkLen][i%opChunkLen] }

// kick wakes the goroutine if writes wait for it, and returns the pass's
// first failure so far. UpdateBatch calls it after each function.
func (ex *executor) kick() error {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if ex.asleep && ex.next < ex.issued {
		ex.work.Signal()
	}
	return ex.err
}

// wait returns once every write handed over has run, running those the
// goroutine has not taken, with the pass's first failure.
func (ex *executor) wait() error {
	ex.mu.Lock()
	for ex.running {
		ex.idle.Wait()
	}
	from, to := ex.next, ex.issued
	ex.next = to
	ex.mu.Unlock()
	err := ex.runOps(from, to)
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if err != nil && ex.err == nil {
		ex.err = err
	}
	return ex.err
}

// asyncExec hands a prepared write over; args are converted and copied now,
// since the caller may reuse them. Its result drains the queue when read. The
// error is a conversion's, or an earlier write's: then the pass is lost.
func (ex *executor) asyncExec(st driver.StmtExecContext, args []any, wantOne bool) (*op, error) {
	i := ex.issued // the caller's alone until issued moves past it
	if i/opChunkLen == len(ex.chunks) {
		c := new(opChunk)
		ex.mu.Lock() // the goroutine reads chunks too
		ex.chunks = append(ex.chunks, c)
		ex.mu.Unlock()
	}
	o := ex.op(i)
	nv, err := DriverArgs(o.args[:0], args)
	if err != nil {
		clear(nv)
		o.args = nv[:0]
		return nil, err
	}
	for j, v := range nv {
		if b, ok := v.Value.([]byte); ok {
			nv[j].Value = append([]byte(nil), b...)
		}
	}
	o.st, o.args, o.wantOne, o.ex, o.res, o.err = st, nv, wantOne, ex, nil, nil
	ex.mu.Lock()
	ex.issued++
	err = ex.err
	ex.mu.Unlock()
	return o, err
}

// run is the goroutine: it takes the operations one at a time, in order,
// until stopped.
func (ex *executor) run() {
	defer close(ex.exited)
	ex.mu.Lock()
	defer ex.mu.Unlock()
	for {
		for spin := 0; ex.next == ex.issued && !ex.stop && spin < execSpins; spin++ {
			ex.mu.Unlock()
			runtime.Gosched() // the callers run first; a wake-up costs more
			ex.mu.Lock()
		}
		for ex.next == ex.issued && !ex.stop {
			ex.asleep = true
			ex.work.Wait()
			ex.asleep = false
		}
		if ex.next == ex.issued { // stopped, nothing left
			return
		}
		i := ex.next
		ex.next++
		ex.running = true
		ex.mu.Unlock()
		err := ex.runOps(i, i+1)
		ex.mu.Lock()
		ex.running = false
		if err != nil && ex.err == nil {
			ex.err = err
		}
		ex.idle.Broadcast()
	}
}

// runOps runs operations from to to, stopping at the first that fails (the
// pass is lost: the rest are marked failed).
func (ex *executor) runOps(from, to int) error {
	ex.mu.Lock()
	failed := ex.err != nil
	ex.mu.Unlock()
	var err error
	for i := from; i < to; i++ {
		o := ex.op(i)
		if failed || err != nil {
			o.err = errBatchFailed
			continue
		}
		o.res, o.err = o.st.ExecContext(ex.ctx, o.args)
		if o.err == nil && o.wantOne {
			if n, rerr := o.res.RowsAffected(); rerr != nil || n != 1 {
				o.err = errNotNew
			}
		}
		err = o.err
	}
	return err
}

// LastInsertId and RowsAffected make an operation the sql.Result of its write:
// reading it drains the queue.
func (o *op) LastInsertId() (int64, error) {
	if err := o.result(); err != nil {
		return 0, err
	}
	return o.res.LastInsertId()
}

func (o *op) RowsAffected() (int64, error) {
	if err := o.result(); err != nil {
		return 0, err
	}
	return o.res.RowsAffected()
}

func (o *op) result() error {
	o.ex.wait()
	if o.err != nil {
		return fmt.Errorf("storage: a write of the optimistic batch: %w", o.err)
	}
	return nil
}

// execAsync is Tx.exec during an optimistic pass: the write is handed over if
// its statement is prepared and no query's rows are open (stepping them runs
// on this goroutine); otherwise it runs here once the writes before it have.
func (tx *Tx) execAsync(query string, args []any, wantOne bool) (sql.Result, error) {
	if st, ok := tx.writer.direct[query]; ok && !tx.rowsOpen() {
		o, err := tx.async.asyncExec(st, args, wantOne)
		if o != nil {
			return o, err
		}
		if !errors.Is(err, errNamedArg) {
			return nil, err
		}
	}
	if err := tx.async.wait(); err != nil {
		return nil, err
	}
	return tx.writer.exec(tx.ctx, query, args)
}

// rowsOpen reports whether rows of a query run in this pass are still open,
// forgetting those closed (Columns fails only on closed rows).
func (tx *Tx) rowsOpen() bool {
	for len(tx.open) > 0 {
		if _, err := tx.open[len(tx.open)-1].Columns(); err == nil {
			return true
		}
		tx.open[len(tx.open)-1] = nil
		tx.open = tx.open[:len(tx.open)-1]
	}
	return false
}
