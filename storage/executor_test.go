package storage_test

import (
	"errors"
	"runtime"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// batchOf runs fns as one UpdateBatch and fails the test on any error.
func batchOf(t *testing.T, db *storage.DB, fns ...func(tx *storage.Tx) error) {
	t.Helper()
	for i, err := range db.UpdateBatch(ctx, fns) {
		if err != nil {
			t.Fatalf("fn %d: %v", i, err)
		}
	}
}

func valueOf(t *testing.T, db *storage.DB, key string) string {
	t.Helper()
	var v string
	db.View(ctx, func(tx *storage.Tx) error {
		var err error
		if v, err = tx.Value(key); err != nil && !errors.Is(err, storage.ErrNotFound) {
			t.Fatal(err)
		}
		return nil
	})
	return v
}

// TestOptimisticWriteFailsBatch: a write handed over in the optimistic pass
// that fails (the outbox's UNIQUE dedupe key) fails the batch after the fn has
// gone on; the savepoint pass rolls back only that fn and keeps the others.
func TestOptimisticWriteFailsBatch(t *testing.T) {
	db := MustOpen(t)
	dup := storage.OutboxMessage{Platform: "console", ChatKey: "g", Text: "once", DedupeKey: "k"}
	// The first batch prepares both writes, so the next one hands them over.
	batchOf(t, db, func(tx *storage.Tx) error { return tx.Post(dup) },
		func(tx *storage.Tx) error { return tx.SetValue("warm", "x") })
	before := db.WriteStats()
	var got []error // what the failing fn's Post returned, a run each
	errs := db.UpdateBatch(ctx, []func(tx *storage.Tx) error{
		func(tx *storage.Tx) error { return tx.SetValue("a", "x") },
		func(tx *storage.Tx) error {
			if err := tx.SetValue("b", "x"); err != nil {
				return err
			}
			err := tx.Post(dup)
			got = append(got, err)
			if err != nil {
				return err
			}
			return tx.SetValue("b-after", "x")
		},
		func(tx *storage.Tx) error { return tx.SetValue("c", "x") },
	})
	if errs[0] != nil || !errors.Is(errs[1], storage.ErrDuplicate) || errs[2] != nil {
		t.Fatalf("errors %v; want nil, ErrDuplicate, nil", errs)
	}
	if len(got) != 2 || got[0] != nil || !errors.Is(got[1], storage.ErrDuplicate) {
		t.Errorf("Post returned %v; want nil (handed over) then ErrDuplicate (savepoint pass)", got)
	}
	if st := db.WriteStats(); st.Retried-before.Retried != 1 {
		t.Errorf("retried %d batches, want 1", st.Retried-before.Retried)
	}
	for key, want := range map[string]string{"a": "x", "b": "", "b-after": "", "c": "x"} {
		if v := valueOf(t, db, key); v != want {
			t.Errorf("%s = %q, want %q", key, v, want)
		}
	}
}

// TestOptimisticWritesInOrder: a read in the same fn sees the writes handed
// over before it, in the order they were issued.
func TestOptimisticWritesInOrder(t *testing.T) {
	db := MustOpen(t)
	batchOf(t, db, func(tx *storage.Tx) error { return tx.SetValue("k", "0") })
	var seen []string
	fn := func(tx *storage.Tx) error {
		for _, v := range []string{"1", "2", "3"} {
			if err := tx.SetValue("k", v); err != nil {
				return err
			}
		}
		v, err := tx.Value("k")
		seen = append(seen, v)
		if err != nil {
			return err
		}
		return tx.SetValue("k2", v+"!")
	}
	batchOf(t, db, fn, func(tx *storage.Tx) error {
		v, err := tx.Value("k2")
		seen = append(seen, v)
		return err
	})
	if len(seen) != 2 || seen[0] != "3" || seen[1] != "3!" {
		t.Errorf("reads saw %q, want [3 3!]", seen)
	}
}

// TestOptimisticDuplicateInbound: the optimistic pass assumes each message
// new; a redelivery in the batch (of an earlier message of the same batch, or
// of one committed before) fails it, and the savepoint pass tells it apart.
func TestOptimisticDuplicateInbound(t *testing.T) {
	db := MustOpen(t)
	handle := func(id, key string) func(tx *storage.Tx) error {
		return func(tx *storage.Tx) error {
			isNew, err := tx.MarkInbound("console", "chat", id)
			if err != nil || !isNew {
				return err
			}
			return tx.SetValue(key, "x")
		}
	}
	batchOf(t, db, handle("1", "first"))
	before := db.WriteStats()
	batchOf(t, db, handle("2", "a"), handle("2", "a-again"), handle("1", "first-again"), handle("3", "c"))
	if st := db.WriteStats(); st.Retried-before.Retried != 1 {
		t.Errorf("retried %d batches, want 1", st.Retried-before.Retried)
	}
	for key, want := range map[string]string{"first": "x", "a": "x", "a-again": "", "first-again": "", "c": "x"} {
		if v := valueOf(t, db, key); v != want {
			t.Errorf("%s = %q, want %q", key, v, want)
		}
	}
	batchOf(t, db, handle("4", "d"), handle("5", "e"))
	if st := db.WriteStats(); st.Retried-before.Retried != 1 {
		t.Errorf("a batch of new messages was run again (retried %d)", st.Retried-before.Retried)
	}
}

// TestExecutorLeavesNoGoroutine: each optimistic pass's goroutine ends with
// it, a failed or panicking pass's too, and nothing is left after Close.
func TestExecutorLeavesNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	db := MustOpen(t)
	set := func(tx *storage.Tx) error { return tx.SetValue("k", "v") }
	batchOf(t, db, set, set)
	db.UpdateBatch(ctx, []func(tx *storage.Tx) error{set, func(*storage.Tx) error { return errors.New("no") }})
	func() {
		defer func() { recover() }()
		db.UpdateBatch(ctx, []func(tx *storage.Tx) error{set, func(*storage.Tx) error { panic("bug") }})
	}()
	batchOf(t, db, set) // the connection is usable after the panic
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// A goroutine that has returned leaves the count as soon as it is
	// scheduled out; yield until then rather than sleep.
	for i := 0; i < 10000 && runtime.NumGoroutine() > base; i++ {
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before Open:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}
