package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestWALFileHighWaterIsNeverBelowTheFile: the writer no longer measures the
// WAL file after every commit but keeps the largest log since it last did.
// That mark must never be below the file's real size — whatever shrinks the
// file between commits (the writer's truncation, a secret's TRUNCATE, the
// checkpointer's restarts) — or the writer would miss the limit.
func TestWALFileHighWaterIsNeverBelowTheFile(t *testing.T) {
	ctx := context.Background()
	const limit = 256 << 10
	db, err := OpenWithOptions(ctx, filepath.Join(t.TempDir(), "qiao.db"), Options{WALLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	value := strings.Repeat("水", 1000)
	var peak int64
	for i := range 400 {
		if err := db.SetValue(ctx, fmt.Sprint("k", i), value); err != nil {
			t.Fatal(err)
		}
		if i == 150 {
			if err := db.TruncateWAL(ctx); err != nil {
				t.Fatal(err)
			}
		}
		db.gate.Lock() // walFileHigh is the writer's
		high, file := db.walFileHigh, db.walSize()
		db.gate.Unlock()
		if high < file {
			t.Fatalf("after commit %d: high-water %d bytes, file %d", i, high, file)
		}
		peak = max(peak, file)
	}
	if st := db.WriteStats(); st.WALTruncates == 0 || peak > limit {
		t.Errorf("%d truncations, peak %d bytes (limit %d)", st.WALTruncates, peak, limit)
	}
}
