package storage_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestVoteBurstKeepsTheWALBounded is the vote burst's pattern: full group
// commits back to back while readers count what was stored (the tally). The
// readers keep the log from restarting now and then; it must stay bounded all
// the same, and nothing written may be lost.
func TestVoteBurstKeepsTheWALBounded(t *testing.T) {
	ctx := context.Background()
	const limit = 512 << 10
	db := openWithWALLimit(t, limit)
	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := db.CountRows(ctx, "kv"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	const batches, batch = 20, 64 // about twice the limit in log
	ballot := strings.Repeat("票", 150)
	var peak int64
	for b := range batches {
		fns := make([]func(tx *storage.Tx) error, batch)
		for i := range fns {
			fns[i] = func(tx *storage.Tx) error { return tx.SetValue(fmt.Sprintf("voter-%d-%d", b, i), ballot) }
		}
		for _, err := range db.UpdateBatch(ctx, fns) {
			if err != nil {
				t.Fatal(err)
			}
		}
		peak = max(peak, db.WALSize())
	}
	close(done)
	readers.Wait()
	st := db.WriteStats()
	t.Logf("WAL peak %d bytes; emptied %d times, %d by the checkpointer", peak, st.WALTruncates, st.WALRestarts)
	if st.WALTruncates == 0 {
		t.Fatalf("the WAL was never restarted nor truncated (peak %d bytes)", peak)
	}
	if peak > limit {
		t.Errorf("WAL peaked at %d bytes, limit %d", peak, limit)
	}
	if n, err := db.CountRows(ctx, "kv"); err != nil || n < batches*batch {
		t.Errorf("kv rows = %d, %v; want at least %d", n, err, batches*batch)
	}
}
