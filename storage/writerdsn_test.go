package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// writerSettings are the pragmas that make the writer's connection differ
// from a reader's.
var writerSettings = []string{"temp_store", "cache_size", "wal_autocheckpoint"}

// TestWriterKeepsStatementJournalsInMemory: the writer's connection keeps
// statement journals (and any temporary table) in memory; the readers keep
// SQLite's default, so a large report sorts on disk, not in the heap.
func TestWriterKeepsStatementJournalsInMemory(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	if v, err := db.WriterPragma(ctx, "temp_store"); err != nil || v != 2 {
		t.Errorf("writer's temp_store = %d, %v; want 2 (MEMORY)", v, err)
	}
	// Its temp database gives freed pages back (TestWriterCacheStaysWithinTheBudget
	// shows what they cost otherwise).
	if v, err := db.WriterPragma(ctx, "temp.auto_vacuum"); err != nil || v != 1 {
		t.Errorf("writer's temp.auto_vacuum = %d, %v; want 1 (FULL)", v, err)
	}
	if v, err := db.ReadPragma(ctx, "temp_store"); err != nil || v != 0 {
		t.Errorf("reader's temp_store = %d, %v; want 0 (the default)", v, err)
	}
}

// TestStatementRollsBackInsideTheWritersTransaction: a request's insert has
// triggers (its rating and rate rows), so it runs with a statement journal,
// now in memory. Many of them in one transaction, then one that fails its
// foreign key — checked at the statement's end, after its row was written —:
// only that statement is undone, the others commit, and the file checks clean.
func TestStatementRollsBackInsideTheWritersTransaction(t *testing.T) {
	db := MustOpen(t)
	cid := mustSync(t, db, demo())
	var ids []int64
	err := db.Update(ctx, func(tx *storage.Tx) error {
		p, err := tx.ResolvePerson(cid, "console", "居民甲", "居民甲")
		if err != nil {
			return err
		}
		for i := range 200 {
			id, err := tx.CreateRequest(storage.Request{CommunityID: cid, Kind: storage.KindRepair,
				Text: fmt.Sprintf("%d 号楼 楼道灯不亮 第%d次报修", i%9+1, i), PersonID: p.ID, State: storage.StateSubmitted})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if _, err := tx.CreateRequest(storage.Request{CommunityID: cid + 1000, Kind: storage.KindRepair, Text: "没有这个社区",
			PersonID: p.ID, State: storage.StateSubmitted}); err == nil {
			t.Error("a request of a community that does not exist was stored")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx *storage.Tx) error {
		n, err := storage.QueryForTest(tx, `SELECT CAST(count(*) AS TEXT) FROM requests WHERE text = '没有这个社区'`)
		if err != nil {
			return err
		}
		if len(n) != 1 || n[0] != "0" {
			t.Errorf("the failed insert's rows: %v, want 0", n)
		}
		for _, id := range ids {
			if _, err := tx.FindRequest(cid, id); err != nil {
				t.Errorf("request %d: %v", id, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.QuickCheck(ctx); err != nil {
		t.Error(err)
	}
}

// TestWriterDSNIsTheWritersSettings: what qiao bench's ideal opens with
// WriterDSN has the writer's own pragmas, for the default memory settings and
// for others.
func TestWriterDSNIsTheWritersSettings(t *testing.T) {
	ctx := context.Background()
	for _, mem := range []storage.Memory{{}, {CacheKiB: 3000}} {
		db, err := storage.OpenWithOptions(ctx, filepath.Join(t.TempDir(), "qiao.db"), storage.Options{Memory: mem})
		if err != nil {
			t.Fatal(err)
		}
		bare, err := sql.Open("sqlite", storage.WriterDSN(filepath.Join(t.TempDir(), "bare.db"), mem))
		if err != nil {
			t.Fatal(err)
		}
		bare.SetMaxOpenConns(1)
		for _, p := range writerSettings {
			want, err := db.WriterPragma(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			var got int64
			if err := bare.QueryRowContext(ctx, "PRAGMA "+p).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("memory %+v: %s is %d on WriterDSN's connection, %d on the writer's", mem, p, got, want)
			}
		}
		bare.Close()
		db.Close()
	}
}
