package storage_test

import (
	"errors"
	"runtime"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// Deliveries ride along in the writer's next transaction: no commit of their
// own, kept when that transaction rolls back, and a flush that finds them
// already committed commits nothing.
func TestDeliveriesRideTheNextCommit(t *testing.T) {
	db := MustOpen(t)
	var ids []int64
	if err := db.Update(ctx, func(tx *storage.Tx) error {
		for _, text := range []string{"a", "b", "c"} {
			id, err := tx.Enqueue(storage.OutboxMessage{Platform: "telegram", ChatKey: "-1", Text: text})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sent := func() int {
		st, err := db.OutboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st["sent"]
	}
	at := db.Now()
	db.QueueMarks([]storage.Delivery{{ID: ids[0], PlatformMsgID: "m1"}}, at)
	failed := errors.New("refused")
	if err := db.Update(ctx, func(tx *storage.Tx) error { return failed }); !errors.Is(err, failed) {
		t.Fatal(err)
	}
	if n := sent(); n != 0 {
		t.Fatalf("%d sent after a rolled-back transaction, want 0", n)
	}
	before := db.WriteStats()
	if err := db.Update(ctx, func(tx *storage.Tx) error { return tx.SetValue("k", "v") }); err != nil {
		t.Fatal(err)
	}
	if n := sent(); n != 1 {
		t.Fatalf("%d sent after the next transaction, want 1", n)
	}
	if err := db.FlushMarks(ctx); err != nil {
		t.Fatal(err)
	}
	if c := db.WriteStats().Commits - before.Commits; c != 1 {
		t.Errorf("%d commits, want 1: the delivery rode along and the flush found nothing to do", c)
	}
	if err := db.MarkSentBatch(ctx, []storage.Delivery{{ID: ids[1]}, {ID: ids[2]}}, at); err != nil {
		t.Fatal(err)
	}
	if n := sent(); n != 3 {
		t.Errorf("%d sent after MarkSentBatch returned, want 3", n)
	}
}

// A flush while another write transaction runs waits for it and is recorded
// by it: one commit for both.
func TestMarkSentRidesARunningTransaction(t *testing.T) {
	db := MustOpen(t)
	var id int64
	if err := db.Update(ctx, func(tx *storage.Tx) (err error) {
		id, err = tx.Enqueue(storage.OutboxMessage{Platform: "telegram", ChatKey: "-1", Text: "a"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	before := db.WriteStats()
	started, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 2)
	go func() {
		done <- db.Update(ctx, func(tx *storage.Tx) error {
			close(started)
			<-release
			return tx.SetValue("k", "v")
		})
	}()
	<-started
	go func() { done <- db.MarkSentBatch(ctx, []storage.Delivery{{ID: id, PlatformMsgID: "m"}}, db.Now()) }()
	for db.PendingMarks() == 0 {
		runtime.Gosched() // until the delivery is queued behind the running transaction
	}
	close(release)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if c := db.WriteStats().Commits - before.Commits; c != 1 {
		t.Errorf("%d commits, want 1: the delivery rides the running transaction", c)
	}
	if st, _ := db.OutboxStats(ctx); st["sent"] != 1 {
		t.Errorf("outbox %v, want the message sent", st)
	}
}
