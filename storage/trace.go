package storage

import "time"

// Tracer sees the statements transactions run: for the query-plan tests, and
// for qiao bench's ideal baseline, which replays the writer's statements on a
// bare connection. Production runs without one.
type Tracer struct {
	// Stmt is called with each statement and its arguments; write says
	// whether it ran in a write transaction.
	Stmt func(write bool, query string, args []any)
	// Begin is called when a write transaction begins; the statements of one
	// that does not commit are followed by the next Begin, not by Commit.
	Begin func()
	// Commit is called when a write transaction is about to commit, with the
	// number of functions it ran for UpdateBatch (0 for Update). Begin, Stmt
	// and Commit of write transactions are never called concurrently.
	Commit func(batched int)
	// Step is called when the writer, or the checkpointer, finishes a named
	// step of its work (see the Step* names), with when it began and how
	// long it took: qiao bench tells from them what its slowest messages
	// waited on.
	Step func(step string, start time.Time, d time.Duration)
}

// Steps reported to Tracer.Step.
const (
	StepTransaction = "transaction"     // a write transaction's statements (begin to commit)
	StepCommit      = "commit"          // the commit itself
	StepGateWait    = "checkpoint gate" // the writer waiting for the checkpointer's final pass
	StepCkptWait    = "checkpoint wait" // the writer waiting for a background checkpoint to finish
	StepTruncate    = "truncate"        // the writer truncating the WAL itself
	StepCheckpoint  = "checkpoint"      // a background PASSIVE checkpoint (the writer goes on)
	StepRestart     = "restart"         // the checkpointer's final pass, writer held off
	StepFlush       = "flush"           // the checkpointer flushing the database file before that pass (the writer goes on)
)

// SetTracer sets (nil: removes) the tracer for transactions begun from now on.
// Its functions are called from the goroutines running the transactions.
func (db *DB) SetTracer(t *Tracer) { db.tracer.Store(t) }

func (tx *Tx) traceStmt(query string, args []any) {
	if tx.trace != nil && tx.trace.Stmt != nil {
		tx.trace.Stmt(tx.config != nil, query, args)
	}
}

func (tx *Tx) traceBegin() {
	if tx.trace != nil && tx.trace.Begin != nil {
		tx.trace.Begin()
	}
}

func (tx *Tx) traceCommit() {
	if tx.trace != nil && tx.trace.Commit != nil {
		tx.trace.Commit(tx.batched)
	}
}

// traceStep reports a step that began at start to the tracer t, if any.
func traceStep(t *Tracer, step string, start time.Time) {
	if t != nil && t.Step != nil {
		t.Step(step, start, time.Since(start))
	}
}
