package storage_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// TestMemorySettingsAreApplied reads the page caches, memory-mapped I/O and
// the read pool's bound back from the connections: by default and as set.
func TestMemorySettingsAreApplied(t *testing.T) {
	ctx := context.Background()
	got, err := storagetest.Open(t).MemorySettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := storage.MemorySettings{CacheKiB: storage.DefaultCacheKiB, ReadCacheKiB: storage.DefaultReadCacheKiB,
		ReadConns: storage.DefaultReadConns, MaintenanceCacheKiB: storage.MaintenanceCacheKiB}
	if got != want {
		t.Errorf("defaults: got %+v, want %+v (no memory-mapped I/O)", got, want)
	}

	mem := storage.Memory{CacheKiB: 3000, ReadCacheKiB: 256, ReadConns: 3}
	db, err := storage.OpenWithOptions(ctx, filepath.Join(t.TempDir(), "qiao.db"), storage.Options{Memory: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err = db.MemorySettings(ctx); err != nil {
		t.Fatal(err)
	}
	want = storage.MemorySettings{CacheKiB: 3000, ReadCacheKiB: 256, ReadConns: 3,
		MaintenanceCacheKiB: storage.MaintenanceCacheKiB}
	if got != want {
		t.Errorf("set: got %+v, want %+v", got, want)
	}
	// Reads on every connection of the pool at once keep them all open.
	if err := db.View(ctx, func(*storage.Tx) error { return db.View(ctx, func(*storage.Tx) error { return nil }) }); err != nil {
		t.Fatal(err)
	}
	if st := db.ReadPoolStats(); st.OpenConnections > 3 || st.MaxIdleClosed != 0 {
		t.Errorf("read pool: %d open, %d closed for want of an idle slot; want ≤ 3 and none", st.OpenConnections, st.MaxIdleClosed)
	}
}
