package storage_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestWriterBoundsTheWAL writes far more than the WAL limit, one commit at a
// time with no pause for a checkpoint to catch up: the log is truncated and
// never grows much past the limit.
func TestWriterBoundsTheWAL(t *testing.T) {
	const limit = 256 << 10
	db := openWithWALLimit(t, limit)
	value := strings.Repeat("水", 1000)
	var peak int64
	for i := range 600 { // about 5 MB of log without the limit
		if err := db.SetValue(ctx, fmt.Sprintf("k%d", i), value); err != nil {
			t.Fatal(err)
		}
		peak = max(peak, db.WALSize())
	}
	st := db.WriteStats()
	if st.WALTruncates == 0 {
		t.Fatalf("the WAL was never truncated (peak %d bytes)", peak)
	}
	if peak > limit {
		t.Errorf("WAL peaked at %d bytes, limit %d", peak, limit)
	}
	if n, err := db.CountRows(ctx, "kv"); err != nil || n != 600 {
		t.Errorf("kv rows = %d, %v; want 600", n, err)
	}
}

// openWithWALLimit opens a new database whose WAL is kept under limit bytes.
func openWithWALLimit(t *testing.T, limit int64) *storage.DB {
	t.Helper()
	db, err := storage.OpenWithOptions(context.Background(), filepath.Join(t.TempDir(), "qiao.db"), storage.Options{WALLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestWriteStatsCountGroupCommits(t *testing.T) {
	db := MustOpen(t)
	fns := make([]func(tx *storage.Tx) error, 5)
	for i := range fns {
		fns[i] = func(tx *storage.Tx) error { return tx.SetValue(fmt.Sprint("k", i), "v") }
	}
	before := db.WriteStats()
	db.UpdateBatch(ctx, fns)
	db.UpdateBatch(ctx, fns[:1])
	st := db.WriteStats()
	if got := st.Batches - before.Batches; got != 2 {
		t.Errorf("batches = %d, want 2", got)
	}
	if got := st.Batched - before.Batched; got != 6 {
		t.Errorf("batched = %d, want 6", got)
	}
	if got := st.Commits - before.Commits; got != 2 {
		t.Errorf("commits = %d, want 2", got)
	}
}
