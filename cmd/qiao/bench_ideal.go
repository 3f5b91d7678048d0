package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// The ideal baseline: the statements Qiao's writer ran for the first messages
// of the pipeline, with the same transactions (group commits, the
// dispatcher's updates), replayed on bare modernc SQLite from one goroutine,
// prepared once, on a copy of the database as it was before the pipeline.
// What Qiao adds on top — routing, parsing, handlers, database/sql
// transactions, the group commit's hand-offs — is qiao/ideal.

// tracedStmt is one statement the writer ran.
type tracedStmt struct {
	query string
	args  []any
}

// writeRecorder keeps the writer's committed transactions until they carry
// limit messages.
type writeRecorder struct {
	mu       sync.Mutex
	limit    int
	cur      []tracedStmt
	txs      [][]tracedStmt
	messages int // UpdateBatch functions in txs
}

func (r *writeRecorder) tracer() *storage.Tracer {
	return &storage.Tracer{
		Begin: func() {
			r.mu.Lock()
			r.cur = r.cur[:0]
			r.mu.Unlock()
		},
		Stmt: func(write bool, query string, args []any) {
			if !write {
				return
			}
			r.mu.Lock()
			if r.messages < r.limit {
				r.cur = append(r.cur, tracedStmt{query, append([]any(nil), args...)})
			}
			r.mu.Unlock()
		},
		Commit: func(batched int) {
			r.mu.Lock()
			if r.messages < r.limit && len(r.cur) > 0 {
				r.txs = append(r.txs, append([]tracedStmt(nil), r.cur...))
				r.messages += batched
			}
			r.mu.Unlock()
		},
	}
}

// statements is how many statements the recorded transactions hold.
func (r *writeRecorder) statements() int {
	n := 0
	for _, tx := range r.txs {
		n += len(tx)
	}
	return n
}

// idealRate replays the recorded transactions on a copy of snapshot at path
// and returns messages per second, the CPU the replay took, and how many
// statements failed (none should: the replay starts from the same state and
// repeats what committed).
func idealRate(ctx context.Context, snapshot, path string, r *writeRecorder) (rate float64, cpu cpuMeter, failed int, err error) {
	defer removeDB(path)
	if err := copyDB(snapshot, path); err != nil {
		return 0, cpu, 0, err
	}
	// As Qiao's writer: no checkpoint inside a commit (Qiao checkpoints on
	// another connection, beside the writer), so the replay does not pay
	// for checkpoints the pipeline's writer never waits for.
	db, err := sql.Open("sqlite", storage.DSN(path)+"&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return 0, cpu, 0, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, cpu, 0, err
	}
	defer conn.Close()
	// Prepared before the clock starts, as Qiao's statement cache is warm.
	stmts := map[string]*sql.Stmt{}
	for _, q := range []string{"BEGIN IMMEDIATE", "COMMIT"} {
		if stmts[q], err = conn.PrepareContext(ctx, q); err != nil {
			return 0, cpu, 0, err
		}
	}
	rowsOf := map[string]bool{} // whether a query returns rows, decided before the clock starts
	for _, tx := range r.txs {
		for _, s := range tx {
			if stmts[s.query] == nil {
				if stmts[s.query], err = conn.PrepareContext(ctx, s.query); err != nil {
					return 0, cpu, 0, fmt.Errorf("bench: ideal: prepare %q: %w", s.query, err)
				}
				rowsOf[s.query] = returnsRows(s.query)
			}
		}
	}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	begin, commit := stmts["BEGIN IMMEDIATE"], stmts["COMMIT"]
	meter := cpuNow()
	start := time.Now()
	for _, tx := range r.txs {
		if _, err := begin.ExecContext(ctx); err != nil {
			return 0, cpu, failed, err
		}
		for _, s := range tx {
			if err := runStmt(ctx, stmts[s.query], rowsOf[s.query], s.args); err != nil {
				failed++
			}
		}
		if _, err := commit.ExecContext(ctx); err != nil {
			return 0, cpu, failed, err
		}
	}
	rate = float64(r.messages) / time.Since(start).Seconds()
	return rate, meter.since(), failed, nil
}

// returnsRows says whether a query returns rows (to be read) or is executed.
func returnsRows(query string) bool {
	q := strings.ToUpper(strings.TrimSpace(query))
	return strings.HasPrefix(q, "SELECT") || strings.HasPrefix(q, "PRAGMA") || strings.HasPrefix(q, "WITH") || strings.Contains(q, "RETURNING")
}

// runStmt runs a statement, reading every row of one that returns rows.
func runStmt(ctx context.Context, st *sql.Stmt, rowsToRead bool, args []any) error {
	if !rowsToRead {
		_, err := st.ExecContext(ctx, args...)
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	dest := make([]any, len(cols))
	for i := range dest {
		dest[i] = new(any)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func copyDB(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// removeDB removes a database file and its WAL and shared memory.
func removeDB(path string) {
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(path + s)
	}
}
