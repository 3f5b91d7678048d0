package storage_test

import (
	"errors"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestUpdateBatch checks group commit: each function's work commits or rolls
// back alone, and a RollbackThen replaces a function's work with its Then's.
func TestUpdateBatch(t *testing.T) {
	db := MustOpen(t)
	set := func(key string) func(tx *storage.Tx) error {
		return func(tx *storage.Tx) error { return tx.SetValue(key, "x") }
	}
	refused := errors.New("refused")
	failed := errors.New("failed")
	errs := db.UpdateBatch(ctx, []func(tx *storage.Tx) error{
		set("ok"),
		func(tx *storage.Tx) error {
			if err := tx.SetValue("undone", "x"); err != nil {
				return err
			}
			return &storage.RollbackThen{Err: refused, Then: set("answer")}
		},
		func(tx *storage.Tx) error {
			if err := tx.SetValue("failed", "x"); err != nil {
				return err
			}
			return failed
		},
		func(tx *storage.Tx) error {
			return &storage.RollbackThen{Err: refused, Then: func(tx *storage.Tx) error {
				if err := tx.SetValue("then-failed", "x"); err != nil {
					return err
				}
				return failed
			}}
		},
	})
	if errs[0] != nil || errs[1] != nil || !errors.Is(errs[2], failed) || !errors.Is(errs[3], failed) {
		t.Fatalf("errors: %v", errs)
	}
	for key, want := range map[string]bool{"ok": true, "undone": false, "answer": true, "failed": false, "then-failed": false} {
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
		if got != want {
			t.Errorf("%s stored: %v, want %v", key, got, want)
		}
	}
}
