package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
)

// runner is what a Tx runs statements on.
type runner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeConn is the writer's connection, held for the DB's life. Write
// transactions run on it as the ideal replay runs them: BEGIN IMMEDIATE and
// COMMIT prepared once, every statement prepared on the connection once. A
// database/sql Tx cost the single writer far more: it prepared BEGIN and
// COMMIT again each transaction, bound each cached statement to each
// transaction, and started a goroutine (and a cancellable context) for every
// query to watch the transaction's context — waking the other core inside
// the transaction.
//
// Only Update uses it, under the gate, so its statements need no lock; other
// writes to the file (migrations, checkpoints, PRAGMA optimize, the
// integrity check) keep the maintenance pool, as before.
type writeConn struct {
	pool                    *sql.DB
	conn                    *sql.Conn
	stmts                   map[string]*sql.Stmt
	begin, commit, rollback *sql.Stmt
	// direct are the writes (exec) prepared on the driver's connection below
	// database/sql, and args their arguments' buffer (see exec).
	driver driver.Conn
	direct map[string]driver.StmtExecContext
	args   []driver.NamedValue
}

func openWriteConn(ctx context.Context, dsn string) (*writeConn, error) {
	pool, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(1)
	pool.SetConnMaxIdleTime(0)
	w := &writeConn{pool: pool, stmts: map[string]*sql.Stmt{}, direct: map[string]driver.StmtExecContext{}}
	if w.conn, err = pool.Conn(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	// Kept past Raw's callback: the sql.Conn holds this connection for the
	// DB's life and every use of either is under the gate (Update, onWriter),
	// so nothing runs on it beside the writer; database/sql's own lock around
	// it only serialised what the gate already does.
	w.conn.Raw(func(dc any) error {
		w.driver, _ = dc.(driver.Conn)
		return nil
	})
	// After the DSN's pragmas, which the driver runs sorted by name: set
	// there, this would precede temp_store and be undone by it.
	if _, err := w.conn.ExecContext(ctx, tempAutoVacuum); err != nil {
		w.close()
		return nil, fmt.Errorf("storage: %s: %w", tempAutoVacuum, err)
	}
	for _, s := range []struct {
		dst   **sql.Stmt
		query string
	}{{&w.begin, "BEGIN IMMEDIATE"}, {&w.commit, "COMMIT"}, {&w.rollback, "ROLLBACK"}} {
		if *s.dst, err = w.conn.PrepareContext(ctx, s.query); err != nil {
			w.close()
			return nil, fmt.Errorf("storage: prepare %s: %w", s.query, err)
		}
	}
	return w, nil
}

// stmt returns query prepared on the connection, preparing it on first use
// (inside a transaction too: the connection is the writer's alone), or nil
// to run it unprepared: past maxCachedStmts, or when it does not prepare
// (the unprepared run reports why).
func (w *writeConn) stmt(ctx context.Context, query string) *sql.Stmt {
	if st, ok := w.stmts[query]; ok {
		return st
	}
	if len(w.stmts) >= maxCachedStmts {
		return nil
	}
	st, err := w.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	w.stmts[query] = st
	return st
}

// exec runs a write. Below database/sql where it can: per statement,
// database/sql's Stmt takes the connection's locks, converts the arguments
// into a slice it allocates, and wraps the result, ~1 µs and 4 allocations
// a statement in the single writer (3–4 statements a message). What it does
// with the arguments is done here the same way (the driver has no
// NamedValueChecker nor ColumnConverter, so each goes through
// driver.DefaultParameterConverter), into a buffer the writer reuses.
func (w *writeConn) exec(ctx context.Context, query string, args []any) (sql.Result, error) {
	st := w.directStmt(ctx, query)
	if st == nil {
		if st := w.stmt(ctx, query); st != nil {
			return st.ExecContext(ctx, args...)
		}
		return w.conn.ExecContext(ctx, query, args...)
	}
	nv, err := DriverArgs(w.args[:0], args)
	defer func() { clear(nv); w.args = nv[:0] }() // no caller's data kept alive
	if errors.Is(err, errNamedArg) {
		return w.conn.ExecContext(ctx, query, args...) // none in this package: database/sql's way
	}
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, nv)
}

// errNamedArg: DriverArgs leaves a sql.NamedArg to database/sql.
var errNamedArg = errors.New("storage: a named argument")

// DriverArgs appends args to nv as database/sql converts them for Qiao's
// driver, which has neither a NamedValueChecker nor a ColumnConverter: each
// through driver.DefaultParameterConverter. For what runs below database/sql:
// the writer's writes, and qiao bench's ideal replay of them.
func DriverArgs(nv []driver.NamedValue, args []any) ([]driver.NamedValue, error) {
	for i, a := range args {
		if _, named := a.(sql.NamedArg); named {
			return nv, errNamedArg
		}
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return nv, fmt.Errorf("sql: converting argument $%d type: %w", i+1, err)
		}
		nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	return nv, nil
}

// directStmt is query prepared on the driver's connection, or nil (past
// maxCachedStmts, or when it does not prepare: the database/sql path then
// reports why).
func (w *writeConn) directStmt(ctx context.Context, query string) driver.StmtExecContext {
	if st, ok := w.direct[query]; ok {
		return st
	}
	pc, ok := w.driver.(driver.ConnPrepareContext)
	if !ok || len(w.direct) >= maxCachedStmts {
		return nil
	}
	ds, err := pc.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	st, ok := ds.(driver.StmtExecContext)
	if !ok {
		ds.Close()
		return nil
	}
	w.direct[query] = st
	return st
}

// end rolls back whatever is open on the connection; an error that no
// transaction was open is the usual case after a failed BEGIN or COMMIT.
func (w *writeConn) end(ctx context.Context) {
	w.rollback.ExecContext(context.WithoutCancel(ctx))
}

func (w *writeConn) close() error {
	var errs []error
	for _, st := range w.direct {
		errs = append(errs, st.(driver.Stmt).Close())
	}
	for _, st := range w.stmts {
		errs = append(errs, st.Close())
	}
	for _, st := range []*sql.Stmt{w.begin, w.commit, w.rollback} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	if w.conn != nil {
		errs = append(errs, w.conn.Close())
	}
	return errors.Join(append(errs, w.pool.Close())...)
}

// onWriter runs fn on the writer's connection between transactions.
func (db *DB) onWriter(fn func(c *sql.Conn) error) error {
	db.passGate()
	defer db.gate.Unlock()
	return fn(db.writer.conn)
}

// writeOne runs one statement in a write transaction of its own.
func (db *DB) writeOne(ctx context.Context, query string, args ...any) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(query, args...)
		return err
	})
}
