package storage_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestConcurrentTransactions runs writers and readers at once while the
// statement cache fills: nothing may wait on anything forever.
func TestConcurrentTransactions(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "qiao.db"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				key := fmt.Sprintf("w%d-%d", w, i)
				if err := db.SetValue(ctx, key, "v"); err != nil {
					t.Error(err)
					return
				}
				if v, err := db.Value(ctx, key); err != nil || v != "v" {
					t.Errorf("%s = %q, %v", key, v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("transactions did not finish: a deadlock")
	}
}
