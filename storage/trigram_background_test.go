package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// errDiskFull stands for what can make a batch of the background pass fail.
var errDiskFull = errors.New("disk I/O error")

// longTail opens a database with batches of 8 whose 100 repairs were written
// around Qiao, and reopens it with hook in each background batch.
func longTail(t *testing.T, hook func(ctx context.Context) error) (trigramDB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "qiao.db")
	d := openTrigramDB(t, path, 8)
	d.writtenAround(t, 100, "楼道灯不亮了")
	restore := storage.OnBackgroundTrigramBatch(hook)
	t.Cleanup(restore) // after the reopened database closed (cleanups run last first)
	return reopen(t, d, path, 8), path
}

// A batch of the background pass that fails ends the pass without losing
// anything: the rest of the tail is found by the searches meanwhile, and the
// write transactions that follow index it, a batch each.
func TestTrigramBackgroundFailureHandsTheTailToTheWrites(t *testing.T) {
	batches := 0
	d, _ := longTail(t, func(context.Context) error {
		batches++
		if batches == 3 {
			return errDiskFull
		}
		return nil
	})
	<-d.db.TrigramsCaughtUp() // closed when the pass gives up too
	if err := d.db.TrigramPassErr(); !errors.Is(err, errDiskFull) {
		t.Errorf("TrigramPassErr = %v, want the batch's error", err)
	}
	if n := d.indexed(t); n != 24 {
		t.Fatalf("%d indexed when the third background batch failed, want 24 (Open's and two batches)", n)
	}
	if s, f := d.foundAfterCommit(t, "楼道灯"); s != 100 || f != 100 {
		t.Errorf("after the pass gave up: duplicate check found %d, search %d of 100", s, f)
	}
	// Every write indexes a batch of the rest with its own report: 76 + 9 in 9
	// transactions, but for the 4 left as a normal tail (less than a batch).
	d.reportEach(t, texts("楼道灯闪个不停", 9)...)
	if n := d.indexed(t); n != 24+9*9 {
		t.Errorf("9 reports after the pass gave up: %d indexed, want %d (a batch and its own each)", n, 24+9*9)
	}
	if s, f := d.foundAfterCommit(t, "楼道灯"); s != 109 || f != 109 {
		t.Errorf("handed over: duplicate check found %d, search %d of 109", s, f)
	}
	d.reportEach(t, texts("楼道灯又坏了", 4)...) // the tail is a batch again
	d.allIndexedAndFound(t, "楼道灯", 113)
}

// Close while the background pass is indexing stops it within its batch: that
// batch is rolled back, Close succeeds, and the next Open resumes from what
// was committed.
func TestCloseWhileTheTrigramPassIndexes(t *testing.T) {
	inBatch := make(chan struct{})
	batches := 0
	d, path := longTail(t, func(ctx context.Context) error {
		batches++
		if batches == 2 {
			close(inBatch)
			<-ctx.Done() // Close has begun: the batch goes on into its statement
		}
		return nil
	})
	<-inBatch
	closed := make(chan error, 1)
	go func() { closed <- d.db.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close while indexing: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Close did not stop the background pass")
	}
	if n := d.indexed(t); n != 16 {
		t.Errorf("%d indexed after Close in the second batch, want 16 (Open's and the first batch)", n)
	}
	if err := d.db.TrigramPassErr(); err != nil {
		t.Errorf("TrigramPassErr = %v, want none for a pass stopped by Close", err)
	}
	// On a fresh connection: FTS5's part of the check trusts the index
	// structure a connection cached (docs/performance.md).
	fresh, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	var ok string
	if err := fresh.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity check after Close while indexing: %q %v", ok, err)
	}
	again := reopen(t, d, path, 8)
	if st := again.db.TrigramStatus(); st.TailAtOpen != 84 {
		t.Errorf("reopened: %+v, want the 84 not committed in the tail", st)
	}
	<-again.db.TrigramsCaughtUp()
	again.allIndexedAndFound(t, "楼道灯", 100)
}
