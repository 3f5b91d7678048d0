package storage

import (
	"context"
	"os"
	"sync/atomic"
	"time"
)

// checkpointEvery is how many commits pass between background checkpoints.
const checkpointEvery = 200

// Once the log passes walLimit/walRestartShare, the writer asks the
// checkpointer to restart it (see restartWAL): early enough that a reader in
// the way leaves time to try again before the limit; not earlier, as each
// restart holds the writer for two fsyncs.
const walRestartShare = 2

// Past walLimit-walLimit/walHeadroom the writer truncates the log itself, so
// that one more commit (even a full group commit) cannot pass the limit. The
// checkpointer restarting it first, this is a last resort.
const walHeadroom = 8

// restartFrames is how many frames a background pass may leave for the final
// one, which holds the writer off: half a megabyte to copy.
const restartFrames = 128

// restartRetryCommits is how many commits wait after a restart a reader
// prevented, so that a long reader (a backup) does not keep the checkpointer
// copying in a loop.
const restartRetryCommits = 16

// restartPasses bounds the passes that catch up with the writer before the final one.
const restartPasses = 6

// Until the log is within walLimit/walGateShare of the limit, a restart whose
// passes did not catch up with the writer is tried again later rather than
// holding the writer off for a long final pass; past that the bound comes first.
const walGateShare = 4

// optimizeEvery is how often a long-running Qiao refreshes the planner's statistics.
const optimizeEvery = 24 * time.Hour

// checkpointer copies the WAL into the database file when asked, with a
// PASSIVE checkpoint: it never waits for, or blocks, readers and the writer.
// Asked to restart the log, it also does that (restartWAL). Once a day it
// also refreshes the planner's statistics.
func (db *DB) checkpointer() {
	defer db.stopped.Done()
	for {
		select {
		case <-db.stop:
			return
		case <-db.checkpoint:
			// An error is left to the next checkpoint; Close checkpoints anyway.
			db.checkpointing.Lock()
			db.passiveCheckpoint()
			db.checkpointing.Unlock()
		case <-db.restart:
			db.restartWAL()
		}
		if time.Since(db.optimized) > optimizeEvery {
			db.optimize(context.Background())
		}
	}
}

// passiveCheckpoint copies what it can of the log into the database file and
// returns the log's frames and how many of them are now copied (0, 0 on error).
// The row is read to its end: a statement left unfinished would keep its
// connection a reader of the log, which could then never be restarted.
func (db *DB) passiveCheckpoint() (logFrames, done int64) {
	start := time.Now()
	var busy int64
	if db.read.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &done) != nil {
		return 0, 0
	}
	traceStep(db.tracer.Load(), StepCheckpoint, start)
	return logFrames, done
}

// restartWAL copies the whole log into the database and restarts it (the
// next commit writes from the file's start), holding the writer off only for
// the last short pass.
//
// SQLite restarts a log only once a checkpoint has copied all of it, and
// under sustained writes a PASSIVE checkpoint never does: commits land while
// it copies and fsyncs. So passes run with the writer going on, each copying
// what landed during the one before, and the database file is flushed after
// each (see flushFile), until little is left; then a last pass (RESTART: the
// rest, two short fsyncs, no reader left on the old log, so the writer's next
// commit starts the log again) runs with the writer held at the gate. Passes
// that do not catch up put the restart off while the log has room. It does
// not truncate the file (on ext4 that took longer than the copy;
// journal_size_limit bounds it), nor wait long for readers still on the old
// log: they make it fail after a millisecond, and the writer asks again a
// few commits later.
func (db *DB) restartWAL() {
	if !db.catchUp() && db.walLogSize() < db.walLimit-db.walLimit/walGateShare {
		// The writer outran the copy: the last pass would hold it off for a
		// long copy. Try again a few commits later, while the log has room.
		db.restartAfter.Store(db.commits.Load() + restartRetryCommits)
		db.stats.restartsPutOff.Add(1)
		drain(db.restart)
		return
	}
	db.gate.Lock()
	defer db.gate.Unlock()
	db.restarting.Store(true)
	defer db.restarting.Store(false)
	db.checkpointing.Lock()
	defer db.checkpointing.Unlock()
	// busy_timeout(1): one more try after a millisecond, for a short reader.
	if db.emptyWAL(context.Background(), "RESTART", "PRAGMA busy_timeout(1)", StepRestart) {
		db.stats.walRestarts.Add(1)
	} else { // a reader is on the old log: let it finish before trying again
		db.restartAfter.Store(db.commits.Load() + restartRetryCommits)
	}
	drain(db.restart) // a request the writer made while this one ran is answered by it
}

// catchUp runs PASSIVE checkpoints, the writer going on, until what the log
// holds beyond the last one is at most restartFrames, and reports whether it
// got there. Each pass copies what landed during the one before, and the
// frames left after a pass are what the final pass, which holds the writer
// off, would copy.
func (db *DB) catchUp() bool {
	db.checkpointing.Lock()
	defer db.checkpointing.Unlock()
	for range restartPasses {
		_, done := db.passiveCheckpoint()
		db.flushFile()
		frames, _, ok := db.walFrames()
		if done == 0 || !ok { // nothing to tell from: let the final pass try
			return true
		}
		if frames-done <= restartFrames {
			return true
		}
	}
	return false
}

// flushFile fsyncs the database file. A PASSIVE checkpoint that does not reach
// the end of the log (the writer went on meanwhile) writes pages into the file
// without syncing it; the first pass that does reach the end, the final one
// with the writer held off, syncs them all: megabytes after a restart's worth
// of passes. Flushed here, beside the writer, that pass syncs only its own few.
func (db *DB) flushFile() {
	if db.file == nil {
		return
	}
	start := time.Now()
	db.file.Sync() // best effort: the final pass syncs anyway
	traceStep(db.tracer.Load(), StepFlush, start)
}

// drain empties a signal channel.
func drain(c chan struct{}) {
	select {
	case <-c:
	default:
	}
}

// passGate takes the gate for a write, telling the tracer how long that took
// if the checkpointer held it (another write holding it is the usual queue).
func (db *DB) passGate() {
	if db.gate.TryLock() {
		return
	}
	start, restart := time.Now(), db.restarting.Load()
	db.gate.Lock()
	if restart {
		traceStep(db.tracer.Load(), StepGateWait, start)
	}
}

// afterCommit runs on the writer after each commit: it keeps the WAL bounded
// and wakes the background checkpointer now and then.
func (db *DB) afterCommit(ctx context.Context) {
	n := db.commits.Add(1)
	logSize := db.walLogSize()
	db.noteCommitSize(logSize)
	// The file's size, not the log's: it bounds the file whatever the
	// wal-index says.
	if db.walNearLimitAfter(logSize) {
		db.truncateWAL(ctx, db.walFileHigh) // measured by walNearLimitAfter
		return
	}
	if db.restart != nil && n >= db.restartAfter.Load() && logSize > db.walLimit/walRestartShare {
		signal(db.restart)
		return
	}
	if n%checkpointEvery == 0 && db.checkpoint != nil {
		signal(db.checkpoint)
	}
}

// noteCommitSize keeps the most one commit added to the log, from the log's
// size after it (writer only): how close to the limit one commit can take the
// log decides how early the writer must act.
func (db *DB) noteCommitSize(logSize int64) {
	grown := logSize - db.lastLogSize
	if grown < 0 { // the log was restarted since: it holds this commit alone
		grown = logSize
	}
	db.lastLogSize = logSize
	if grown > db.stats.largestCommit.Load() {
		db.stats.largestCommit.Store(grown)
	}
}

// signal wakes the checkpointer, unless it is already asked.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// walNearLimit reports whether a WAL file of fileSize is near enough the
// limit that the writer must truncate it itself now.
func (db *DB) walNearLimit(fileSize int64) bool {
	return fileSize > db.walLimit-db.walLimit/walHeadroom
}

// walNearLimitAfter is walNearLimit after a commit that left the log at
// logSize, without a stat of the file after every commit (2–3% of the
// writer's CPU). The file grows only when the log writes past its end, so it
// is at most the largest log since it was last measured (walFileHigh);
// only when that nears the limit is the file measured again — it may have
// shrunk meanwhile (a truncation, journal_size_limit at a restart).
func (db *DB) walNearLimitAfter(logSize int64) bool {
	db.walFileHigh = max(db.walFileHigh, logSize)
	if !db.walNearLimit(db.walFileHigh) {
		return false
	}
	db.walFileHigh = db.walSize()
	return db.walNearLimit(db.walFileHigh)
}

// walSize is the size of the WAL file in bytes (0 when there is none); a
// restarted log is written again from the start, so it is the log's high-water mark.
func (db *DB) walSize() int64 {
	st, err := os.Stat(db.path + "-wal")
	if err != nil {
		return 0
	}
	return st.Size()
}

// truncateWAL is the writer truncating the log itself, between two
// transactions (it holds the gate): at Open, and when the checkpointer did
// not restart the log in time (a reader kept it on the old log). SQLite
// refuses a second checkpoint while one runs instead of waiting for it, so
// the writer first waits for the background one to finish. TRUNCATE then
// waits for readers still on the old log; that wait is kept short (50 ms) so
// a long reader (a backup) delays the writer by milliseconds, not the
// connection's usual ten seconds, and the next commit tries again. Only once
// one more commit as large as the largest yet could pass the limit does it
// wait up to a second: the bound comes first.
//
// It used to wait the second after any refusal: a reader that kept one
// snapshot for seconds (at the start of the 1 M soak's vote burst) then held
// every commit for a second each, commit after commit, with the log still
// megabytes short of the limit (issue 20: the burst 5× slower).
// fileSize is the WAL file's size, as the caller just measured it.
func (db *DB) truncateWAL(ctx context.Context, fileSize int64) {
	trace, waiting := db.tracer.Load(), time.Now()
	db.checkpointing.Lock()
	defer db.checkpointing.Unlock()
	traceStep(trace, StepCkptWait, waiting)
	wait := truncateWait(fileSize, db.stats.largestCommit.Load(), db.walLimit)
	db.emptyWAL(ctx, "TRUNCATE", wait, StepTruncate)
}

// truncateWait is how long the writer's TRUNCATE waits for readers: 50 ms,
// or a second once one more commit as large as largest could take a log of
// fileSize past limit.
func truncateWait(fileSize, largest, limit int64) string {
	if fileSize+largest > limit {
		return "PRAGMA busy_timeout(1000)"
	}
	return "PRAGMA busy_timeout(50)"
}

// emptyWAL runs a RESTART or TRUNCATE checkpoint on the write connection (idle:
// the caller holds the gate and checkpointing), with busyTimeout set for its
// wait for readers, and reports whether it emptied the log.
func (db *DB) emptyWAL(ctx context.Context, mode, busyTimeout, step string) bool {
	// Not cut short by the caller: the connection's busy timeout must be restored.
	ctx = context.WithoutCancel(ctx)
	start := time.Now()
	defer traceStep(db.tracer.Load(), step, start)
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, busyTimeout); err != nil {
		return false
	}
	var busy, logFrames, done int64
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logFrames, &done)
	conn.ExecContext(ctx, "PRAGMA busy_timeout(10000)") // as in dsn
	if err == nil && busy != 0 {
		db.stats.walRefused.Add(1)
	}
	if err != nil || busy != 0 {
		return false
	}
	db.stats.walTruncates.Add(1)
	return true
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
	batches, batched, walTruncates, walRestarts, retried, restartsPutOff atomic.Int64
	largestCommit, walRefused                                            atomic.Int64
}

// WriteStats counts the writer's work since Open.
type WriteStats struct {
	Commits      int64 // write transactions committed
	Batches      int64 // group commits (UpdateBatch) committed
	Batched      int64 // functions run by them
	WALTruncates int64 // times the WAL was truncated (by the checkpointer or the writer)
	WALRestarts  int64 // of which by the checkpointer, the writer held for a short last pass
	// Retried counts group commits run again with a savepoint per function
	// because one function failed (see UpdateBatch).
	Retried int64
	// RestartsPutOff counts restarts the checkpointer put off because its
	// passes did not catch up with the writer (see restartWAL).
	RestartsPutOff int64
	// LargestCommit is the most one commit added to the WAL, in bytes.
	LargestCommit int64
	// WALRefused counts restarts and truncations a reader on the old log prevented.
	WALRefused int64
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
		Batched: db.stats.batched.Load(), WALTruncates: db.stats.walTruncates.Load(), WALRestarts: db.stats.walRestarts.Load(),
		Retried: db.stats.retried.Load(), RestartsPutOff: db.stats.restartsPutOff.Load(),
		LargestCommit: db.stats.largestCommit.Load(), WALRefused: db.stats.walRefused.Load()}
}

// WALSize is the current size of the database's WAL file in bytes.
func (db *DB) WALSize() int64 { return db.walSize() }
