package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

func TestSecondLockOnOneDatabaseIsRefusedUntilTheFirstIsReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	first, err := storage.LockDatabase(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = storage.LockDatabase(path)
	var locked *storage.ErrLocked
	if !errors.As(err, &locked) {
		t.Fatalf("second lock: got %v, want *ErrLocked", err)
	}
	if locked.PID != os.Getpid() {
		t.Errorf("holder pid = %d, want %d", locked.PID, os.Getpid())
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	again, err := storage.LockDatabase(path)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again.Unlock()
}

func TestLocksOfTwoDatabasesAreIndependent(t *testing.T) {
	// Two databases in two paths never share a lock.
	dir := t.TempDir()
	a, err := storage.LockDatabase(filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Unlock()
	b, err := storage.LockDatabase(filepath.Join(dir, "b.db"))
	if err != nil {
		t.Fatalf("a different database must not be locked: %v", err)
	}
	b.Unlock()
}

// The files must be private whatever the umask; a permissive one shows it.
func TestDatabaseWALSHMAndBackupsArePrivate(t *testing.T) {
	old := syscall.Umask(0o002)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "q.db")
	db := mustOpen(t, path)
	if err := db.SetValue(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "b.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	lock, err := storage.LockDatabase(path)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	for _, name := range []string{path, path + "-wal", path + "-shm", backup, path + ".lock"} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(name), got)
		}
	}
}

func TestOpenTightensFilesAnOlderQiaoLeftReadable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, path)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o600 {
		t.Errorf("mode %o after reopening, want 600", got)
	}
}
