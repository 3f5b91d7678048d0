package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

func openTemp(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	return db
}

// TestSecretOutboxRowsAreBlankedThenDeleted: a receipt marked secret keeps no
// text once delivered, and ScrubOutbox removes every row of its key, sent or not.
func TestSecretOutboxRowsAreBlankedThenDeleted(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var ids []int64
	err := db.Update(ctx, func(tx *storage.Tx) error {
		for _, m := range []storage.OutboxMessage{
			{Platform: "console", UserKey: "甲", Text: "已投票 P1：2. 中式凉亭", ScrubKey: "poll:P1"},
			{Platform: "console", UserKey: "乙", Text: "已投票 P1：1. 现代廊架", ScrubKey: "poll:P1"},
			{Platform: "console", ChatKey: "群", Text: "投票 P1：甲 已投票。"},
		} {
			id, err := tx.Enqueue(m)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSentBatch(ctx, []storage.Delivery{{ID: ids[0]}, {ID: ids[2]}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	text := func(id int64) string {
		var s string
		if err := raw.QueryRow(`SELECT text FROM outbox WHERE id = ?`, id).Scan(&s); err != nil {
			return "(gone)"
		}
		return s
	}
	if got := text(ids[0]); got != "" {
		t.Errorf("a delivered receipt keeps its text %q", got)
	}
	if got := text(ids[2]); got != "投票 P1：甲 已投票。" {
		t.Errorf("an ordinary message was changed: %q", got)
	}
	if err := db.Update(ctx, func(tx *storage.Tx) error { return tx.ScrubOutbox("poll:P1") }); err != nil {
		t.Fatal(err)
	}
	if a, b := text(ids[0]), text(ids[1]); a != "(gone)" || b != "(gone)" {
		t.Errorf("after the scrub: %q, %q; want both rows gone", a, b)
	}
}

// TestDeletedSecretLeavesNoBytes: a value deleted under secure_delete, with the
// WAL truncated afterwards, is in neither the database file nor the WAL.
func TestDeletedSecretLeavesNoBytes(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	const secret = "ZQ7XKJ4PL2M9VB3NDW6RT8YH5C"
	if err := db.SetValue(ctx, storage.PollSecretKey(1), secret); err != nil {
		t.Fatal(err)
	}
	// Other values share the page, as in a live database.
	if err := db.SetValue(ctx, "telegram.offset", "42"); err != nil {
		t.Fatal(err)
	}
	if err := db.TruncateWAL(ctx); err != nil { // the secret reaches the main file
		t.Fatal(err)
	}
	// Requested first, so the flag's row cannot happen to land on the freed bytes.
	if err := db.Update(ctx, func(tx *storage.Tx) error { return tx.RequestWALTruncate() }); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *storage.Tx) error { return tx.DeleteValue(storage.PollSecretKey(1)) }); err != nil {
		t.Fatal(err)
	}
	if ran, err := db.TruncateWALIfDue(ctx); err != nil || !ran {
		t.Fatalf("truncate: %v, %v", ran, err)
	}
	if ran, err := db.TruncateWALIfDue(ctx); err != nil || ran {
		t.Errorf("a second truncation ran without a request: %v, %v", ran, err)
	}
	for _, p := range []string{db.Path(), db.Path() + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s still holds the deleted secret", filepath.Base(p))
		}
	}
}
