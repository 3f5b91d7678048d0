package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

func TestPruneDeletesOnlyOldDeliveredRowsAndOldInboundMarks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	db := mustOpen(t, path)
	day := 24 * time.Hour
	now := time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC)
	old, recent := now.Add(-40*day), now.Add(-2*day)

	seq := 0
	enqueue := func(at time.Time, m storage.OutboxMessage) int64 {
		t.Helper()
		db.Now = func() time.Time { return at }
		var id int64
		err := db.Update(ctx, func(tx *storage.Tx) error {
			var err error
			m.Platform, m.ChatKey = "console", "g"
			id, err = tx.Enqueue(m)
			if err != nil {
				return err
			}
			seq++
			_, err = tx.MarkInbound("console", "g", fmt.Sprint(seq))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	// Old and delivered, more than two batches of them.
	defer storage.SetPruneBatch(200)()
	var delivered []storage.Delivery
	db.Now = func() time.Time { return old }
	if err := db.Update(ctx, func(tx *storage.Tx) error {
		for i := range 450 {
			id, err := tx.Enqueue(storage.OutboxMessage{Platform: "console", ChatKey: "g", Text: "old delivered"})
			if err != nil {
				return err
			}
			delivered = append(delivered, storage.Delivery{ID: id, PlatformMsgID: "p"})
			if _, err := tx.MarkInbound("console", "g", fmt.Sprint("bulk", i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSentBatch(ctx, delivered, old); err != nil {
		t.Fatal(err)
	}
	newSent := enqueue(recent, storage.OutboxMessage{Text: "recent delivered"})
	db.MarkSent(ctx, newSent, "p", recent)
	enqueue(old, storage.OutboxMessage{Text: "old pending"})
	failed := enqueue(old, storage.OutboxMessage{Text: "old failed"})
	db.MarkFailed(ctx, failed, "gone")
	digest := enqueue(old, storage.OutboxMessage{Text: "old digest", DedupeKey: "digest:2026-11-21"})
	db.MarkSent(ctx, digest, "p", old)
	tally := enqueue(old, storage.OutboxMessage{Text: "old tally", Ref: "poll:1"})
	db.MarkSent(ctx, tally, "p9", old)

	got, err := db.Prune(ctx, now, storage.Retention{OutboxDelivered: 30 * day, Inbound: 30 * day})
	if err != nil {
		t.Fatal(err)
	}
	if want := (storage.Pruned{Outbox: 450, Blanked: 2, Inbound: 454}); got != want {
		t.Errorf("pruned %+v, want %+v", got, want)
	}

	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT text, status, COALESCE(dedupe_key, ''), ref, platform_msg_id FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var left []string
	for rows.Next() {
		var text, status, key, ref, pid string
		if err := rows.Scan(&text, &status, &key, &ref, &pid); err != nil {
			t.Fatal(err)
		}
		left = append(left, status+"|"+text+"|"+key+"|"+ref+"|"+pid)
	}
	want := []string{"sent|recent delivered|||p", "pending|old pending|||", "failed|old failed|||",
		"sent||digest:2026-11-21||p", "sent|||poll:1|p9"}
	if len(left) != len(want) {
		t.Fatalf("outbox left:\n%q\nwant:\n%q", left, want)
	}
	for i := range want {
		if left[i] != want[i] {
			t.Errorf("outbox row %d: %q, want %q", i, left[i], want[i])
		}
	}
	if n, _ := db.CountRows(ctx, "inbound"); n != 1 {
		t.Errorf("%d inbound marks left, want the recent one", n)
	}
	// A second prune finds nothing more.
	if again, err := db.Prune(ctx, now, storage.Retention{OutboxDelivered: 30 * day, Inbound: 30 * day}); err != nil || again != (storage.Pruned{}) {
		t.Errorf("second prune: %+v, %v", again, err)
	}
}

func TestPruneWithZeroRetentionKeepsEverything(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "q.db"))
	db.Now = func() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }
	if err := db.Update(ctx, func(tx *storage.Tx) error {
		_, err := tx.MarkInbound("console", "g", "1")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Prune(ctx, time.Now(), storage.Retention{}); err != nil || got != (storage.Pruned{}) {
		t.Errorf("prune with no retention: %+v, %v", got, err)
	}
}

func TestRetentionValidate(t *testing.T) {
	if errs := storage.DefaultRetention.Validate("retention"); len(errs) != 0 {
		t.Errorf("default: %v", errs)
	}
	if errs := (storage.Retention{OutboxDelivered: -time.Hour, Inbound: time.Hour}).Validate("retention"); len(errs) != 2 {
		t.Errorf("negative outbox and one-hour inbound: %v, want two problems", errs)
	}
}
