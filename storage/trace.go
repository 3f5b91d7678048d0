package storage

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
}

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
