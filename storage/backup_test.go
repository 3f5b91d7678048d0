package storage_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

func mustOpen(tb testing.TB, path string) *storage.DB { return storagetest.OpenAt(tb, path) }

func countKV(tb testing.TB, db *storage.DB) int {
	tb.Helper()
	n := 0
	for i := 0; ; i++ {
		if _, err := db.Value(context.Background(), fmt.Sprintf("k%d", i)); errors.Is(err, storage.ErrNotFound) {
			return n
		} else if err != nil {
			tb.Fatal(err)
		}
		n++
	}
}

func TestBackupOfLiveDatabaseIsConsistentAndRestorable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := mustOpen(t, filepath.Join(dir, "live.db"))
	for i := range 50 {
		if err := db.SetValue(ctx, fmt.Sprintf("k%d", i), "v"); err != nil {
			t.Fatal(err)
		}
	}
	// Keep writing while the backup runs: the copy must still be one point in time.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 50; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := db.SetValue(ctx, fmt.Sprintf("k%d", i), "v"); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	backup := filepath.Join(dir, "backup.db")
	err := db.Backup(ctx, backup)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	info, err := storage.VerifyBackup(ctx, backup)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	want, _ := db.SchemaVersion(ctx)
	if info.SchemaVersion != want {
		t.Errorf("schema version %d, want %d", info.SchemaVersion, want)
	}
	copied := countKV(t, mustOpen(t, backup))
	if copied < 50 {
		t.Errorf("backup has %d values, want at least the 50 written before it", copied)
	}

	t.Run("refuses to overwrite", func(t *testing.T) {
		before, _ := os.ReadFile(backup)
		if err := db.Backup(ctx, backup); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("err = %v, want already exists", err)
		}
		after, _ := os.ReadFile(backup)
		if string(before) != string(after) {
			t.Error("backup file changed")
		}
	})

	t.Run("restore keeps the old database aside", func(t *testing.T) {
		target := filepath.Join(dir, "target.db")
		old := mustOpen(t, target)
		if err := old.SetValue(ctx, "k0", "old"); err != nil {
			t.Fatal(err)
		}
		old.Close()
		now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		aside, err := storage.Restore(ctx, backup, target, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := target + ".before-restore-20261201T080000Z"; aside != want {
			t.Errorf("aside = %q, want %q", aside, want)
		}
		if v, err := mustOpen(t, aside).Value(ctx, "k0"); err != nil || v != "old" {
			t.Errorf("old database: k0 = %q, %v", v, err)
		}
		if n := countKV(t, mustOpen(t, target)); n != copied {
			t.Errorf("restored database has %d values, want %d", n, copied)
		}
	})
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	target := filepath.Join(dir, "target.db")
	mustOpen(t, target).Close()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not sqlite ", 1000)), 0o600)
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	foreign := filepath.Join(dir, "foreign.db")
	if db, err := storage.OpenWithMigrations(ctx, foreign, os.DirFS(t.TempDir())); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	for _, tc := range []struct{ name, file, want string }{
		{"missing", filepath.Join(dir, "nope.db"), "no such file"},
		{"empty", empty, "empty"},
		{"garbage", garbage, "damaged"},
		{"not qiao", foreign, "not a Qiao database"},
		{"itself", target, "the database itself"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(target)
			_, err := storage.Restore(ctx, tc.file, target, time.Now())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			after, _ := os.ReadFile(target)
			if string(before) != string(after) {
				t.Error("target database changed")
			}
		})
	}
}
