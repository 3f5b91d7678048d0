package storage

import (
	"context"
	"os"
	"sync/atomic"
	"time"
)

// checkpointEvery is how many commits pass between background checkpoints.
const checkpointEvery = 200

// The writer looks at the WAL's size after every commit (a stat, about a
// microsecond) and truncates it once it is within walLimit/walHeadroom of the
// limit, so that one more commit (even a full group commit) cannot pass it.
const walHeadroom = 8

// optimizeEvery is how often a long-running Qiao refreshes the planner's statistics.
const optimizeEvery = 24 * time.Hour

// checkpointer copies the WAL into the database file when asked, with a
// PASSIVE checkpoint: it never waits for, or blocks, readers and the writer.
// Once a day it also refreshes the planner's statistics.
func (db *DB) checkpointer() {
	defer db.stopped.Done()
	for {
		select {
		case <-db.stop:
			return
		case <-db.checkpoint:
			// An error is left to the next checkpoint; Close checkpoints anyway.
			// The row is read to its end: a statement left unfinished would
			// keep its connection a reader of the log, which could then never
			// be truncated.
			var busy, logFrames, done int64
			db.checkpointing.Lock()
			start := time.Now()
			db.read.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &done)
			traceStep(db.tracer.Load(), StepCheckpoint, start)
			db.checkpointing.Unlock()
			if time.Since(db.optimized) > optimizeEvery {
				db.optimize(context.Background())
			}
		}
	}
}

// afterCommit runs on the writer after each commit: it bounds the WAL and
// wakes the background checkpointer now and then.
func (db *DB) afterCommit(ctx context.Context) {
	n := db.commits.Add(1)
	if db.walNearLimit() {
		db.truncateWAL(ctx)
		return
	}
	if n%checkpointEvery == 0 && db.checkpoint != nil {
		select {
		case db.checkpoint <- struct{}{}:
		default:
		}
	}
}

// walNearLimit reports whether the WAL should be truncated now.
func (db *DB) walNearLimit() bool {
	return db.walSize() > db.walLimit-db.walLimit/walHeadroom
}

// walSize is the size of the WAL file in bytes (0 when there is none).
func (db *DB) walSize() int64 {
	st, err := os.Stat(db.path + "-wal")
	if err != nil {
		return 0
	}
	return st.Size()
}

// truncateWAL checkpoints the whole log and truncates it to zero bytes.
//
// The background PASSIVE checkpoints copy most of the log while the writer
// goes on, but they never reach its end under sustained writes, and SQLite
// restarts the log only once a checkpoint has. So the writer, between two
// transactions, does the rest itself. SQLite refuses a second checkpoint
// while one runs instead of waiting for it, so the writer first waits for the
// background one to finish (its fsync can take tens of milliseconds, in which
// the writer would add megabytes). TRUNCATE then waits for readers still on
// the old log; that wait is kept short (50 ms, 1 s once the log is past the
// limit) so a long reader (a backup) delays the writer by milliseconds, not
// the connection's usual ten seconds, and the next commit tries again.
func (db *DB) truncateWAL(ctx context.Context) {
	// Not cut short by the caller: the connection's busy timeout must be restored.
	ctx = context.WithoutCancel(ctx)
	trace, waiting := db.tracer.Load(), time.Now()
	db.checkpointing.Lock()
	defer db.checkpointing.Unlock()
	traceStep(trace, StepCkptWait, waiting)
	defer traceStep(trace, StepTruncate, time.Now())
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	// Near the limit a short wait will do (the next commit tries again); past
	// it, readers descheduled on a busy machine must not let the log grow on.
	wait := "PRAGMA busy_timeout(50)"
	if db.walSize() > db.walLimit {
		wait = "PRAGMA busy_timeout(1000)"
	}
	if _, err := conn.ExecContext(ctx, wait); err != nil {
		return
	}
	var busy, logFrames, done int64
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done)
	if err == nil && busy == 0 {
		db.stats.walTruncates.Add(1)
	}
	conn.ExecContext(ctx, "PRAGMA busy_timeout(10000)") // as in dsn
}

// optimize refreshes the planner's statistics where SQLite thinks they are
// missing or stale (sampled: analysis_limit is set in the DSN), as SQLite
// recommends at open and periodically. Qiao's queries do not depend on it for
// their plans (see digest.go); it helps the rest. Best effort: a failure
// changes nothing but the statistics.
func (db *DB) optimize(ctx context.Context) {
	db.write.ExecContext(ctx, "PRAGMA optimize=0x10002")
	db.optimized = time.Now()
}

// walLeftBehind reports whether path has a WAL file. Closing the last
// connection checkpoints and deletes it, so one found before Open means the
// last process stopped without closing (a crash, kill -9, power loss), or
// another process has the database open.
func walLeftBehind(path string) bool {
	_, err := os.Stat(path + "-wal")
	return err == nil
}

// corruptOr turns an error that says the file is not a sound database into *ErrCorrupt.
func corruptOr(path string, err error) error {
	if isCorruptErr(err) {
		return &ErrCorrupt{Path: path, Problem: err.Error()}
	}
	return err
}

type writeStats struct {
	batches, batched, walTruncates, retried atomic.Int64
}

// WriteStats counts the writer's work since Open.
type WriteStats struct {
	Commits      int64 // write transactions committed
	Batches      int64 // group commits (UpdateBatch) committed
	Batched      int64 // functions run by them
	WALTruncates int64 // times the writer truncated the WAL
	// Retried counts group commits run again with a savepoint per function
	// because one function failed (see UpdateBatch).
	Retried int64
}

// MeanBatch is the mean number of functions a group commit carried.
func (s WriteStats) MeanBatch() float64 {
	if s.Batches == 0 {
		return 0
	}
	return float64(s.Batched) / float64(s.Batches)
}

// WriteStats reports the writer's counters.
func (db *DB) WriteStats() WriteStats {
	return WriteStats{Commits: db.commits.Load(), Batches: db.stats.batches.Load(),
		Batched: db.stats.batched.Load(), WALTruncates: db.stats.walTruncates.Load(),
		Retried: db.stats.retried.Load()}
}

// WALSize is the current size of the database's WAL file in bytes.
func (db *DB) WALSize() int64 { return db.walSize() }
