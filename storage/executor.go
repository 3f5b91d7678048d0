package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
)

// executor runs the writer's writes on a goroutine of their own during the
// optimistic pass of UpdateBatch, so that SQLite stepping a write (~40 µs of a
// message's ~60) overlaps the handlers' Go work on the other core: most writes
// are INSERTs and UPDATEs whose result nobody reads (outbox, request events,
// poll acks).
//
// SQLite sees exactly what it sees without it: the same statements in the
// order they were issued, on the same connection, never two at once. A write
// is handed over (asyncExec) only when its statement is prepared and no rows of
// a query are open; everything else — queries, writes without a prepared
// statement, a result read (LastInsertId, RowsAffected) — first waits until
// every earlier write has run (wait), and then runs on the caller. A write that
// fails fails the optimistic batch, however the function it ran for goes on:
// the error is returned at the next wait, and the batch rolls back and runs
// again with a savepoint a function, synchronously (see UpdateBatch).
//
// The hand-off is a queue of operations, not a channel: the caller appends
// under a mutex and wakes the goroutine only when it sleeps, so a wake-up is
// paid for a run of writes, not for each.
type executor struct {
	ctx    context.Context
	mu     sync.Mutex
	work   sync.Cond // the goroutine waits here for operations
	idle   sync.Cond // callers wait here for the goroutine to catch up
	chunks []*opChunk
	issued int   // operations handed over in this pass (the caller's count)
	done   int   // operations run
	err    error // the first failure of this pass
	asleep bool  // the goroutine waits on work
	stop   bool
	exited chan struct{}
}

// op is one write handed over: its statement and its arguments, converted and
// copied, and what it returned once run.
type op struct {
	st      driver.StmtExecContext
	args    []driver.NamedValue
	wantOne bool // the write must change exactly one row (see MarkInbound)
	ex      *executor
	seq     int
	res     driver.Result
	err     error
}

const opChunkLen = 64

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
	ex.issued, ex.done, ex.err, ex.stop = 0, 0, nil, false
	ex.exited = make(chan struct{})
	go ex.run()
}

// finish waits for the writes handed over, ends the goroutine, and returns
// the pass's first failure.
func (ex *executor) finish() error {
	err := ex.wait()
	ex.mu.Lock()
	ex.stop = true
	ex.work.Signal()
	ex.mu.Unlock()
	<-ex.exited
	for i := range ex.issued { // no caller's data or result kept alive
		o := &ex.chunks[i/opChunkLen][i%opChunkLen]
		clear(o.args)
		o.st, o.args, o.res, o.err = nil, o.args[:0], nil, nil
	}
	return err
}

// failed reports the pass's first failure so far, without waiting.
func (ex *executor) failed() error {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.err
}

// wait returns once every write handed over has run, with the pass's first
// failure.
func (ex *executor) wait() error {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	for ex.done < ex.issued {
		ex.idle.Wait()
	}
	return ex.err
}

// asyncExec hands a prepared write over; args are converted and copied now,
// since the caller may reuse them. Its result waits for it when read. The
// error is a conversion's, or an earlier write's: then the pass is lost.
func (ex *executor) asyncExec(st driver.StmtExecContext, args []any, wantOne bool) (*op, error) {
	i := ex.issued // the caller's alone until issued moves past it
	if i/opChunkLen == len(ex.chunks) {
		c := new(opChunk)
		ex.mu.Lock() // the goroutine reads chunks too
		ex.chunks = append(ex.chunks, c)
		ex.mu.Unlock()
	}
	o := &ex.chunks[i/opChunkLen][i%opChunkLen]
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
	o.st, o.args, o.wantOne, o.ex, o.seq, o.res, o.err = st, nv, wantOne, ex, i, nil, nil
	ex.mu.Lock()
	ex.issued++
	if ex.asleep {
		ex.work.Signal()
	}
	err = ex.err
	ex.mu.Unlock()
	return o, err
}

// run is the goroutine: it runs the operations in order until stopped.
func (ex *executor) run() {
	defer close(ex.exited)
	ex.mu.Lock()
	for {
		for ex.done == ex.issued && !ex.stop {
			ex.asleep = true
			ex.work.Wait()
			ex.asleep = false
		}
		if ex.done == ex.issued { // stopped, nothing left
			ex.mu.Unlock()
			return
		}
		from, to, chunks, failed := ex.done, ex.issued, ex.chunks, ex.err != nil
		ex.mu.Unlock()
		var err error
		for i := from; i < to; i++ {
			o := &chunks[i/opChunkLen][i%opChunkLen]
			if failed || err != nil {
				o.err = errBatchFailed // the pass is lost: skip what follows
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
		ex.mu.Lock()
		if err != nil && ex.err == nil {
			ex.err = err
		}
		ex.done = to
		ex.idle.Broadcast()
	}
}

// LastInsertId and RowsAffected make an operation the sql.Result of its write:
// reading it waits for the write to run.
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
	ex := o.ex
	ex.mu.Lock()
	for ex.done <= o.seq {
		ex.idle.Wait()
	}
	ex.mu.Unlock()
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
