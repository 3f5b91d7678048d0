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

// TestTruncateWaitsLongOnlyNearTheLimit: the writer's own truncation waits a
// second for readers only when one more commit as large as the largest could
// pass the limit. Waiting the second at any refusal, with the log megabytes
// short of it, held every commit of the 1 M soak's vote burst for a second
// while one reader kept its snapshot (issue 20).
func TestTruncateWaitsLongOnlyNearTheLimit(t *testing.T) {
	const limit, largest = 64 << 20, 3 << 20
	for _, c := range []struct {
		file int64
		want string
	}{
		{56 << 20, "PRAGMA busy_timeout(50)"}, // past the writer's threshold, a commit short of the limit
		{61 << 20, "PRAGMA busy_timeout(50)"}, // exactly one commit short
		{61<<20 + 1, "PRAGMA busy_timeout(1000)"},
		{70 << 20, "PRAGMA busy_timeout(1000)"}, // already past it
	} {
		if got := truncateWait(c.file, largest, limit); got != c.want {
			t.Errorf("file %d bytes: %q, want %q", c.file, got, c.want)
		}
	}
}
