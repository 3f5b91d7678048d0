package storage_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// WriteStats keeps the most one commit added to the log: a commit of 200
// values of 3 KB each adds at least their 600 KB, and a small commit after it
// leaves the figure as it was.
func TestWriteStatsKeepTheLargestCommit(t *testing.T) {
	db := MustOpen(t)
	value := strings.Repeat("水", 1000) // 3,000 bytes
	if err := db.SetValue(ctx, "small", value); err != nil {
		t.Fatal(err)
	}
	small := db.WriteStats().LargestCommit
	err := db.Update(ctx, func(tx *storage.Tx) error {
		for i := range 200 {
			if err := tx.SetValue(fmt.Sprint("k", i), value); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	large := db.WriteStats().LargestCommit
	if err := db.SetValue(ctx, "small again", value); err != nil {
		t.Fatal(err)
	}
	if small <= 0 || small >= 64<<10 {
		t.Errorf("a commit of one value added %d bytes to the log, want a few pages", small)
	}
	if large < 200*3000 || large > 4*200*3000 {
		t.Errorf("a commit of 200 values of 3 KB added %d bytes to the log", large)
	}
	if after := db.WriteStats().LargestCommit; after != large {
		t.Errorf("a small commit changed the largest from %d to %d bytes", large, after)
	}
}
