package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestWALLogSizeFollowsTheLog checks the wal-index reading against SQLite's
// own count of the log's frames, before and after a restart.
func TestWALLogSizeFollowsTheLog(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	for i := range 20 {
		if err := db.SetValue(ctx, fmt.Sprint("k", i), "v"); err != nil {
			t.Fatal(err)
		}
	}
	frames := func(mode string) int64 {
		var busy, log, done int64
		if err := db.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &log, &done); err != nil {
			t.Fatal(err)
		}
		return log
	}
	n := frames("PASSIVE")
	if want := walHeaderBytes + n*(walFrameHeader+4096); n == 0 || db.walLogSize() != want {
		t.Fatalf("log size %d, want %d (%d frames)", db.walLogSize(), want, n)
	}
	frames("RESTART")
	if err := db.SetValue(ctx, "after", "v"); err != nil {
		t.Fatal(err)
	}
	if got, file := db.walLogSize(), db.walSize(); got >= file || got != walHeaderBytes+frames("PASSIVE")*(walFrameHeader+4096) {
		t.Errorf("after a restart: log size %d, file %d", got, file)
	}
}

// TestRestartEmptiesTheLogWithoutTruncatingTheFile is the checkpointer's
// restart: the log starts again from the file's start, the file keeps its
// size, and nothing written is lost.
func TestRestartEmptiesTheLogWithoutTruncatingTheFile(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	for i := range 50 {
		if err := db.SetValue(ctx, fmt.Sprint("k", i), "v"); err != nil {
			t.Fatal(err)
		}
	}
	file := db.walSize()
	db.restartWAL()
	if st := db.WriteStats(); st.WALRestarts != 1 {
		t.Fatalf("restarts %d, want 1", st.WALRestarts)
	}
	// RESTART leaves the restart itself to the next writer.
	if err := db.SetValue(ctx, "after", "v"); err != nil {
		t.Fatal(err)
	}
	if got := db.walLogSize(); got == 0 || got >= file/10 {
		t.Errorf("log %d bytes after the restart and one write; the file is %d", got, file)
	}
	if got := db.walSize(); got != file {
		t.Errorf("WAL file %d bytes after the restart, want %d (written again from its start)", got, file)
	}
	if n, err := db.CountRows(ctx, "kv"); err != nil || n < 51 {
		t.Errorf("kv rows = %d, %v; want at least 51", n, err)
	}
}

// openTemp opens a new database in the test's folder.
func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestRestartWaitsForItsPassesToCatchUp: while a reader keeps the log from
// being copied, the checkpointer's passes cannot catch up, so it puts the
// restart off instead of holding the writer off for a final pass that could
// not finish; once the reader is gone, the next restart goes through.
func TestRestartWaitsForItsPassesToCatchUp(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	reader, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRowContext(ctx, "SELECT count(*) FROM kv").Scan(&n); err != nil { // takes its snapshot
		t.Fatal(err)
	}
	for i := range 2 * restartFrames {
		if err := db.SetValue(ctx, fmt.Sprint("k", i), "v"); err != nil {
			t.Fatal(err)
		}
	}
	gated := 0
	db.SetTracer(&Tracer{Step: func(step string, _ time.Time, _ time.Duration) {
		if step == StepRestart {
			gated++
		}
	}})
	db.restartWAL()
	if st := db.WriteStats(); st.RestartsPutOff != 1 || st.WALRestarts != 0 || gated != 0 {
		t.Fatalf("with a reader on the log: %d put off, %d restarts, %d final passes; want 1, 0, 0", st.RestartsPutOff, st.WALRestarts, gated)
	}
	reader.Rollback()
	db.restartWAL()
	if st := db.WriteStats(); st.RestartsPutOff != 1 || st.WALRestarts != 1 || gated != 1 {
		t.Errorf("after the reader: %d put off, %d restarts, %d final passes; want 1, 1, 1", st.RestartsPutOff, st.WALRestarts, gated)
	}
}
