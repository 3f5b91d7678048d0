package storage_test

import (
	"errors"
	"strings"
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
	expectStored(t, db, map[string]bool{"ok": true, "undone": false, "answer": true, "failed": false, "then-failed": false})
}

// TestUpdateBatchOptimistic checks that a batch of successful functions runs
// without savepoints, and that one poisoned function makes the batch run again
// with savepoints: the others are stored once, the poisoned one not at all.
func TestUpdateBatchOptimistic(t *testing.T) {
	db := MustOpen(t)
	var savepoints int
	db.SetTracer(&storage.Tracer{Stmt: func(write bool, query string, _ []any) {
		if strings.HasPrefix(query, "SAVEPOINT") {
			savepoints++
		}
	}})
	runs := map[string]int{}
	add := func(key string) func(tx *storage.Tx) error {
		return func(tx *storage.Tx) error {
			runs[key]++
			n, err := tx.Value(key)
			if errors.Is(err, storage.ErrNotFound) {
				n, err = "", nil
			}
			if err != nil {
				return err
			}
			return tx.SetValue(key, n+"x") // doubled work would show as "xx"
		}
	}
	before := db.WriteStats()
	if errs := db.UpdateBatch(ctx, []func(tx *storage.Tx) error{add("a"), add("b")}); errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if savepoints != 0 {
		t.Errorf("a successful batch ran %d savepoints, want 0", savepoints)
	}
	poison := errors.New("poison")
	errs := db.UpdateBatch(ctx, []func(tx *storage.Tx) error{add("c"), func(tx *storage.Tx) error {
		runs["poison"]++
		if err := tx.SetValue("poison", "x"); err != nil {
			return err
		}
		return poison
	}, add("d")})
	if errs[0] != nil || !errors.Is(errs[1], poison) || errs[2] != nil {
		t.Fatalf("errors: %v", errs)
	}
	if savepoints == 0 {
		t.Error("the failed batch was not run again with savepoints")
	}
	if runs["c"] != 2 || runs["poison"] != 2 || runs["d"] != 1 {
		t.Errorf("runs %v: c and the poison run twice, d (after the poison) once", runs)
	}
	if st := db.WriteStats(); st.Retried-before.Retried != 1 || st.Batches-before.Batches != 2 {
		t.Errorf("retried %d, batches %d; want 1 and 2", st.Retried-before.Retried, st.Batches-before.Batches)
	}
	want := map[string]string{"a": "x", "b": "x", "c": "x", "d": "x", "poison": ""}
	for key, v := range want {
		db.View(ctx, func(tx *storage.Tx) error {
			got, _ := tx.Value(key)
			if got != v {
				t.Errorf("%s = %q, want %q", key, got, v)
			}
			return nil
		})
	}
}
