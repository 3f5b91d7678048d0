package storage_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// The guard is on in a test binary only when the rig (storage/storagetest)
// turned it on (TestRowsLeftOpenFailTheWriteTransaction relies on it here): a
// test binary that never did cannot open a database, or its tests would miss
// rows left open without a word.
func TestOpenRefusesATestWithoutTheGuard(t *testing.T) {
	defer storage.Unguarded()()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "q.db"))
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded in a test binary without the open-rows guard")
	}
	if !strings.Contains(err.Error(), "storage/storagetest") {
		t.Errorf("Open = %v, want it to name the rig", err)
	}
}
