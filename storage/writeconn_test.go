package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestWriterConnectionEndsEveryTransaction checks that the writer's own
// connection is left with no transaction open whatever a write transaction
// came to — an error, a panic, a cancelled context — so the next one begins
// cleanly and stores only its own work.
func TestWriterConnectionEndsEveryTransaction(t *testing.T) {
	db := MustOpen(t)
	failed := errors.New("failed")
	if err := db.Update(ctx, func(tx *storage.Tx) error {
		if err := tx.SetValue("failed", "x"); err != nil {
			return err
		}
		return failed
	}); !errors.Is(err, failed) {
		t.Fatalf("failing update: %v", err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic did not reach the caller")
			}
		}()
		db.Update(ctx, func(tx *storage.Tx) error {
			if err := tx.SetValue("panicked", "x"); err != nil {
				return err
			}
			panic("handler bug")
		})
	}()
	cancelled, cancel := context.WithCancel(ctx)
	if err := db.Update(cancelled, func(tx *storage.Tx) error {
		if err := tx.SetValue("cancelled", "x"); err != nil {
			return err
		}
		cancel()
		_, err := tx.Value("cancelled") // a statement after the cancel
		return err
	}); err == nil {
		t.Fatal("an update whose context ended mid-way committed")
	}
	if err := db.Update(ctx, func(tx *storage.Tx) error { return tx.SetValue("ok", "x") }); err != nil {
		t.Fatalf("update after the failures: %v", err)
	}
	expectStored(t, db, map[string]bool{"failed": false, "panicked": false, "cancelled": false, "ok": true})
}

// expectStored checks which kv keys are stored.
func expectStored(t *testing.T, db *storage.DB, want map[string]bool) {
	t.Helper()
	for key, stored := range want {
		var got bool
		if err := db.View(ctx, func(tx *storage.Tx) error {
			_, err := tx.Value(key)
			got = err == nil
			if errors.Is(err, storage.ErrNotFound) {
				err = nil
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got != stored {
			t.Errorf("%s stored: %v, want %v", key, got, stored)
		}
	}
}
