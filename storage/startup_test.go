package storage_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// damagedDatabase writes a database, closes it cleanly and scribbles over the
// file three quarters in (the values' b-tree pages, written last: not the
// header, nor the schema, which grows with every migration). It returns the path.
func damagedDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "qiao.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		if err := db.SetValue(ctx, fmt.Sprintf("k%d", i), strings.Repeat("x", 500)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	junk := []byte(strings.Repeat("\xff\x00\x13", 4096))
	if _, err := f.WriteAt(junk, st.Size()*3/4/4096*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func TestCleanCloseRemovesTheWAL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qiao.db")
	db := mustOpen(t, path)
	if err := db.SetValue(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("no WAL while open: %v", err)
	}
	db.Close()
	// Open relies on this to tell a clean shutdown from a crash.
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("WAL left after a clean close: %v", err)
	}
}

func TestOpenAfterUncleanShutdownRefusesDamagedDatabase(t *testing.T) {
	path := damagedDatabase(t)
	// What a crash right after a checkpoint leaves: an empty log beside the file.
	if err := os.WriteFile(path+"-wal", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := storage.Open(context.Background(), path)
	var corrupt *storage.ErrCorrupt
	if !errors.As(err, &corrupt) {
		t.Fatalf("Open = %v, want *ErrCorrupt", err)
	}
	if !strings.Contains(err.Error(), "qiao restore") {
		t.Errorf("error does not say what to do: %v", err)
	}
}

func TestOpenAfterCleanShutdownSkipsTheFullCheck(t *testing.T) {
	path := damagedDatabase(t)
	// The damaged pages are not read at start: Open does not scan the file.
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open = %v; a cleanly closed database is opened without a full check", err)
	}
	db.Close()
	// The check on demand (qiao check) finds the damage.
	_, err = storage.CheckFile(context.Background(), path)
	var corrupt *storage.ErrCorrupt
	if !errors.As(err, &corrupt) {
		t.Fatalf("CheckFile = %v, want *ErrCorrupt", err)
	}
}

func TestCheckFileOnSoundDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qiao.db")
	db := mustOpen(t, path)
	if err := db.SetValue(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	// While the database is open, as an operator would run it beside the bot.
	info, err := storage.CheckFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if info.SchemaVersion != storage.LatestVersion() || info.Size == 0 {
		t.Errorf("info = %+v", info)
	}
}
