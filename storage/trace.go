package storage

// Tracer sees the statements transactions run: for the query-plan tests, and
// for qiao bench's ideal baseline, which replays the writer's statements on a
// bare connection. Production runs without one.
type Tracer struct {
	// Stmt is called with each statement and its arguments; write says
	// whether it ran in a write transaction.
	Stmt func(write bool, query string, args []any)
	// Commit is called after each write transaction commits.
	Commit func()
}

// SetTracer sets (nil: removes) the tracer for transactions begun from now on.
// Its functions are called from the goroutines running the transactions.
func (db *DB) SetTracer(t *Tracer) { db.tracer.Store(t) }

func (tx *Tx) traceStmt(query string, args []any) {
	if tx.trace != nil && tx.trace.Stmt != nil {
		tx.trace.Stmt(tx.config != nil, query, args)
	}
}

func (tx *Tx) traceCommit() {
	if tx.trace != nil && tx.trace.Commit != nil {
		tx.trace.Commit()
	}
}
