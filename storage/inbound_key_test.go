package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// TestInboundKeyMarksAsMarkInbound: a key boxed ahead (on the caller's
// goroutine) stores the row MarkInbound stores, with the time of the
// transaction it runs in — each run, as a message run again in a later
// transaction or savepoint takes its key again — and sees the same
// redeliveries.
func TestInboundKeyMarksAsMarkInbound(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	ahead := storage.NewInboundKey("telegram", "-100", "7")
	mark := func(k *storage.InboundKey, id string) bool {
		t.Helper()
		var fresh bool
		err := db.Update(ctx, func(tx *storage.Tx) (err error) {
			if k != nil {
				fresh, err = tx.MarkInboundKey(k)
			} else {
				fresh, err = tx.MarkInbound("telegram", "-100", id)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return fresh
	}
	if !mark(&ahead, "") || mark(&ahead, "") || mark(nil, "7") {
		t.Fatal("a key marked ahead: want fresh once, then a redelivery either way")
	}
	now = now.Add(time.Hour) // a later transaction: the key takes its time
	later := storage.NewInboundKey("telegram", "-100", "8")
	if !mark(&later, "") || !mark(nil, "9") || mark(nil, "8") {
		t.Fatal("another message: want fresh, and a redelivery once marked")
	}
	err := db.View(ctx, func(tx *storage.Tx) error {
		rows, err := storage.QueryForTest(tx, `SELECT message_id || '@' || handled_at FROM inbound WHERE chat_key = '-100' ORDER BY message_id`)
		if err != nil {
			return err
		}
		want := []string{"7@1772355600", "8@1772359200", "9@1772359200"}
		if !slices.Equal(rows, want) {
			t.Errorf("stored %v, want %v", rows, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
