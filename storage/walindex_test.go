package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestWALLogSizeFollowsTheLog checks the wal-index reading against SQLite's
// own count of the log's frames, before and after a restart.
func TestWALLogSizeFollowsTheLog(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
