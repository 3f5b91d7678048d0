package storage

import (
	"context"
	"database/sql"
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
}

func openWriteConn(ctx context.Context, dsn string) (*writeConn, error) {
	pool, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(1)
	pool.SetConnMaxIdleTime(0)
	w := &writeConn{pool: pool, stmts: map[string]*sql.Stmt{}}
	if w.conn, err = pool.Conn(ctx); err != nil {
		pool.Close()
		return nil, err
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

// end rolls back whatever is open on the connection; an error that no
// transaction was open is the usual case after a failed BEGIN or COMMIT.
func (w *writeConn) end(ctx context.Context) {
	w.rollback.ExecContext(context.WithoutCancel(ctx))
}

func (w *writeConn) close() error {
	var errs []error
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
