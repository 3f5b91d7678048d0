package storage

import (
	"context"
	"database/sql"
	"time"
)

// Tx is one transaction with the time it was opened under.
type Tx struct {
	run        runner     // the read transaction, or the writer's connection
	tx         *sql.Tx    // read transactions: run as a *sql.Tx
	writer     *writeConn // write transactions: the connection's statements
	ctx        context.Context
	stmts      *stmtCache // read transactions: the read pool's statements
	savepoints int        // open savepoints: their names are sp1…spN by depth
	Now        time.Time
	// config is the DB's configuration cache (write transactions only);
	// configDirty is set once this transaction changed configuration rows.
	config      *configCache
	configDirty bool
	// bound are the cached statements already bound to this transaction: a
	// batch runs the same few statements many times.
	bound   map[string]*sql.Stmt
	trace   *Tracer // nil unless a tracer is set (see SetTracer)
	batched int     // functions UpdateBatch runs in this transaction
	// rows is the DB's row cache (write transactions only); rowsDirty marks
	// the sections this transaction wrote, staged the rows it caches on commit.
	rows      *rowCache
	rowsDirty [numSections]bool
	// rowsHeld marks the sections this transaction neither reads from the
	// cache nor adds to, though the rows cached there stay valid (see holdRows).
	rowsHeld [numSections]bool
	staged   []stagedRow
	// newRequests are the requests created in this transaction (the trigram
	// index's backlog counts them; see indexTrigramsIfDue), trigramIndexed
	// the requests it added to the index, trigramCaughtUp whether that ended
	// the background pass.
	newRequests     []int64
	trigramIndexed  int
	trigramCaughtUp bool
	// queried are the write transaction's queries and their rows, checked
	// closed before it commits (tests only; see guardRows).
	queried []queried
	// enqueued counts the messages put in the outbox (see EnqueuedCount).
	enqueued int
	// nowBoxed is unix(Now) as a statement argument (see nowArg).
	nowBoxed any
	nowSec   int64
}

// nowArg is unix(tx.Now) as a statement argument, boxed once for each Now: a
// message's statements store it several times (a new request's eight), and
// boxing an int64 allocates.
func (tx *Tx) nowArg() any {
	if s := unix(tx.Now); tx.nowBoxed == nil || s != tx.nowSec {
		tx.nowBoxed, tx.nowSec = s, s
	}
	return tx.nowBoxed
}

// EnqueuedCount is how many messages this transaction has put in the outbox so
// far, those of rolled-back savepoints included: what the Engine reads to
// know whether a commit left the dispatcher anything to send.
func (tx *Tx) EnqueuedCount() int { return tx.enqueued }

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	return tx.execKeeping(numSections, query, args...)
}

// execKeeping is exec for a write whose effect on section keep the caller
// caches itself (see rowCache).
func (tx *Tx) execKeeping(keep section, query string, args ...any) (sql.Result, error) {
	tx.traceStmt(query, args)
	tx.noteWrites(query, keep)
	if tx.writer != nil {
		return tx.writer.exec(tx.ctx, query, args)
	}
	if st := tx.stmt(query); st != nil {
		return st.ExecContext(tx.ctx, args...)
	}
	return tx.run.ExecContext(tx.ctx, query, args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	tx.traceStmt(query, args)
	tx.noteWrites(query, numSections)
	var rows *sql.Rows
	var err error
	if st := tx.stmt(query); st != nil {
		rows, err = st.QueryContext(tx.ctx, args...)
	} else {
		rows, err = tx.run.QueryContext(tx.ctx, query, args...)
	}
	tx.noteRows(rows, query)
	return rows, err
}

func (tx *Tx) queryRow(query string, args ...any) row {
	tx.traceStmt(query, args)
	tx.noteWrites(query, numSections)
	if tx.writer != nil {
		return row{tx: tx, query: query, args: args} // run at Scan, below database/sql (see row)
	}
	if st := tx.stmt(query); st != nil {
		return row{sqlRow: st.QueryRowContext(tx.ctx, args...)}
	}
	return row{sqlRow: tx.run.QueryRowContext(tx.ctx, query, args...)}
}

// stmt returns the cached prepared statement for query (in a read
// transaction: bound to it), or nil to run the query unprepared. database/sql
// prepares a read statement once per connection and reuses it in every later
// transaction on that connection.
func (tx *Tx) stmt(query string) *sql.Stmt {
	if tx.writer != nil {
		return tx.writer.stmt(tx.ctx, query)
	}
	if tx.stmts == nil {
		return nil
	}
	if st, ok := tx.bound[query]; ok {
		return st
	}
	st := tx.stmts.get(query)
	if st == nil {
		return nil
	}
	st = tx.tx.StmtContext(tx.ctx, st)
	if tx.bound == nil {
		tx.bound = map[string]*sql.Stmt{}
	}
	tx.bound[query] = st
	return st
}
