package storage_test

import (
	"context"
	"testing"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// TestWriterCacheStaysWithinTheBudget seals an anonymous poll of 20,000
// ballots (a transaction that rewrites ~2 MB through the writer's temp
// database) and checks the writer's page cache afterwards. The process's page
// caches share one budget, so the writer's cache can grow to the sum of every
// open cache's setting; that sum must be the settings Qiao chose, with no
// allowance nobody uses: with the temp database's default (2000 KiB) it held
// 2.67 MB here, and as much with the temp database in memory but its free
// pages kept (no auto_vacuum).
func TestWriterCacheStaysWithinTheBudget(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	cid := storagetest.Sync(t, db, storagetest.Community())
	// Both read connections open, so their allowances are in the budget.
	if err := db.View(ctx, func(*storage.Tx) error { return db.View(ctx, func(*storage.Tx) error { return nil }) }); err != nil {
		t.Fatal(err)
	}
	err := db.Update(ctx, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat("console", "3栋居民群")
		if err != nil {
			return err
		}
		p, err := tx.ResolvePerson(cid, "console", "张楼长", "张楼长")
		if err != nil {
			return err
		}
		poll, err := tx.CreatePoll(storage.Poll{CommunityID: cid, CreatorID: p.ID, Title: "t", Options: []string{"a", "b"},
			GroupIDs: []int64{g.ID}, Anonymous: true})
		if err != nil {
			return err
		}
		// Keys out of order, so the seal moves every row.
		err = tx.ExecForTest(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
			INSERT INTO ballots (poll_id, ballot_key, choices, cast_at) SELECT ?, printf('%064x', i * 7919 % 20011), '1', 0 FROM n`, poll)
		if err != nil {
			return err
		}
		return tx.SealBallots(poll)
	})
	if err != nil {
		t.Fatal(err)
	}
	write, _, err := db.ConnMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := storage.Memory{}.WithDefaults()
	budgetKiB := m.CacheKiB + m.ReadConns*m.ReadCacheKiB + storage.MaintenanceCacheKiB
	// SQLite's account adds each page's header (~2%) to what the KiB count.
	if limit := budgetKiB << 10 * 11 / 10; write.Cache > limit {
		t.Errorf("writer's page cache holds %.2f MB after the seal; want at most %.2f MB (%d KiB of settings)",
			float64(write.Cache)/(1<<20), float64(limit)/(1<<20), budgetKiB)
	}
	// Below its own setting the seal was too small to tell.
	if write.Cache < m.CacheKiB<<10 {
		t.Errorf("writer's page cache holds %d bytes after the seal; want at least its own %d KiB", write.Cache, m.CacheKiB)
	}
}
