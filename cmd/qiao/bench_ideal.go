package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// The ideal baseline: the statements Qiao's writer ran for the first messages
// of the pipeline, with the same transactions (group commits, the
// dispatcher's updates), replayed on bare modernc SQLite from one goroutine,
// prepared once, on a copy of the database as it was before the pipeline.
// The replay runs below database/sql (the driver's connection, as Qiao's
// writer runs its writes since round 10), so that qiao/ideal does not count
// database/sql's overhead per statement in Qiao's favour. What Qiao adds on
// top — routing, parsing, handlers, its queries through database/sql, the
// group commit's hand-offs — is qiao/ideal.

// tracedStmt is one statement the writer ran.
type tracedStmt struct {
	query string
	args  []any
}

// writeRecorder keeps the writer's committed transactions until they carry
// limit messages. It runs inside the writer's transactions, so it is kept
// small there: storage calls Begin, Stmt and Commit of write transactions one
// at a time, in commit order (never concurrently), so it takes no lock; the
// bench reads txs only once the pipeline and its dispatcher have stopped.
type writeRecorder struct {
	limit     int
	cur       []tracedStmt // the open transaction's statements (reused)
	stmtSpace []tracedStmt // a chunk committed transactions' statements are copied into
	argSpace  []any        // a chunk the statements' arguments are copied into
	txs       [][]tracedStmt
	messages  int // UpdateBatch functions in txs
}

// recordChunk is how many statements, and arguments, the recorder copies
// into one allocation.
const recordChunk = 4096

// carve appends src to the chunk *space, starting a new chunk when it does not
// fit, and returns the copy: the recorder allocates once a chunk, not once a
// statement or a transaction.
func carve[T any](space *[]T, src []T) []T {
	if len(src) == 0 {
		return nil
	}
	if len(src) > cap(*space)-len(*space) {
		*space = make([]T, 0, max(recordChunk, len(src)))
	}
	n := len(*space)
	*space = append(*space, src...)
	return (*space)[n:len(*space):len(*space)]
}

func (r *writeRecorder) tracer() *storage.Tracer {
	return &storage.Tracer{
		Begin: func() {
			r.cur = r.cur[:0] // a transaction that did not commit leaves nothing
		},
		Stmt: func(write bool, query string, args []any) {
			// The arguments are already boxed: copied as they are.
			if write && r.messages < r.limit {
				r.cur = append(r.cur, tracedStmt{query, carve(&r.argSpace, args)})
			}
		},
		Commit: func(batched int) {
			if r.messages < r.limit && len(r.cur) > 0 {
				r.txs = append(r.txs, carve(&r.stmtSpace, r.cur))
				r.messages += batched
			}
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

// idealRate replays the recorded transactions on a copy of snapshot at path,
// with the writer's memory settings mem, and returns messages per second, the
// CPU the replay took, and how many statements failed (none should: the
// replay starts from the same state and repeats what committed).
func idealRate(ctx context.Context, snapshot, path string, mem storage.Memory, r *writeRecorder) (rate float64, cpu cpuMeter, failed int, err error) {
	defer removeDB(path)
	if err := copyDB(snapshot, path); err != nil {
		return 0, cpu, 0, err
	}
	// With the writer's own settings (mem is the pipeline's): no checkpoint
	// inside a commit (Qiao checkpoints on another connection, beside the
	// writer), the writer's page cache, statement journals in memory.
	db, err := sql.Open("sqlite", storage.WriterDSN(path, mem))
	if err != nil {
		return 0, cpu, 0, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, cpu, 0, err
	}
	defer conn.Close()
	// Below database/sql, as Qiao's writer runs its writes (storage's
	// writeConn): the driver's connection, statements prepared on it, the
	// arguments converted as database/sql would. Bare modernc SQLite.
	err = conn.Raw(func(dc any) error {
		var err error
		rate, cpu, failed, err = replay(ctx, dc, r)
		return err
	})
	return rate, cpu, failed, err
}

// replay runs the recorded transactions on the driver's connection dc.
func replay(ctx context.Context, dc any, r *writeRecorder) (rate float64, cpu cpuMeter, failed int, err error) {
	pc, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return 0, cpu, 0, fmt.Errorf("bench: ideal: the driver's connection %T does not prepare with a context", dc)
	}
	// Prepared before the clock starts, as Qiao's statement cache is warm.
	stmts := map[string]driver.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	prepare := func(q string) error {
		if stmts[q] != nil {
			return nil
		}
		st, err := pc.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("bench: ideal: prepare %q: %w", q, err)
		}
		if _, ok := st.(driver.StmtExecContext); !ok {
			st.Close()
			return fmt.Errorf("bench: ideal: statement %T does not execute with a context", st)
		}
		if _, ok := st.(driver.StmtQueryContext); !ok {
			st.Close()
			return fmt.Errorf("bench: ideal: statement %T does not query with a context", st)
		}
		stmts[q] = st
		return nil
	}
	rowsOf := map[string]bool{} // whether a query returns rows, decided before the clock starts
	for _, q := range []string{"BEGIN IMMEDIATE", "COMMIT"} {
		if err := prepare(q); err != nil {
			return 0, cpu, 0, err
		}
	}
	for _, tx := range r.txs {
		for _, s := range tx {
			if err := prepare(s.query); err != nil {
				return 0, cpu, 0, err
			}
			rowsOf[s.query] = returnsRows(s.query)
		}
	}
	begin := stmts["BEGIN IMMEDIATE"].(driver.StmtExecContext)
	commit := stmts["COMMIT"].(driver.StmtExecContext)
	var nv []driver.NamedValue // the arguments' buffer, reused as the writer's
	// As the writer runs a batch (context.WithoutCancel): with a context that
	// can be cancelled the driver starts a goroutine a statement to watch it,
	// which the writer never pays for.
	ctx = context.WithoutCancel(ctx)
	meter := cpuNow()
	start := time.Now()
	for _, tx := range r.txs {
		if _, err := begin.ExecContext(ctx, nil); err != nil {
			return 0, cpu, failed, err
		}
		for _, s := range tx {
			if nv, err = runStmt(ctx, stmts[s.query], rowsOf[s.query], s.args, nv[:0]); err != nil {
				failed++
			}
		}
		if _, err := commit.ExecContext(ctx, nil); err != nil {
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

// runStmt runs a statement, reading every row of one that returns rows, with
// args converted into nv as the writer converts them. It returns nv for reuse.
func runStmt(ctx context.Context, st driver.Stmt, rowsToRead bool, args []any, nv []driver.NamedValue) ([]driver.NamedValue, error) {
	nv, err := storage.DriverArgs(nv, args)
	if err != nil {
		return nv, fmt.Errorf("bench: ideal: %w", err)
	}
	if !rowsToRead {
		_, err := st.(driver.StmtExecContext).ExecContext(ctx, nv)
		return nv, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, nv)
	if err != nil {
		return nv, err
	}
	defer rows.Close()
	dest := make([]driver.Value, len(rows.Columns()))
	for {
		if err := rows.Next(dest); err != nil {
			if err == io.EOF {
				return nv, nil
			}
			return nv, err
		}
	}
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
