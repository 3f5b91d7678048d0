package storage_test

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

var (
	dupRows    = flag.Int("dup.rows", 100_000, "requests BenchmarkDuplicateCheck indexes (1000000 for a million)")
	dupAnalyze = flag.Bool("dup.analyze", false, "BenchmarkDuplicateCheck runs ANALYZE first (statistics as PRAGMA optimize may leave)")
)

// BenchmarkDuplicateCheck is the duplicate check of a new report over
// -dup.rows indexed requests at the demo's buildings (2% of them still open):
// rank is the statement before (the trigram index's 200 best matches by
// FTS5's rank, then the place and state), open_tickets SimilarOpenTickets now
// (the open tickets at the building, through their partial index).
//
//	go test -run '^$' -bench DuplicateCheck ./storage -args -dup.rows=1000000
func BenchmarkDuplicateCheck(b *testing.B) {
	d := openTrigramDB(b, filepath.Join(b.TempDir(), "qiao.db"), storage.DefaultTrigramBatch)
	for first := 1; first <= *dupRows; first += 50_000 {
		last := min(first+50_000-1, *dupRows)
		_, err := d.raw.Exec(`WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i < ?),
			place(n, id) AS (SELECT row_number() OVER (ORDER BY id) - 1, id FROM buildings WHERE community_id = ?)
			INSERT INTO requests (community_id, kind, category, text, building_id, person_id, state, created_at, updated_at)
			SELECT ?, CASE i % 4 WHEN 0 THEN 'repair' WHEN 1 THEN 'complaint' WHEN 2 THEN 'suggestion' ELSE 'need' END, 'other',
				CASE i % 5 WHEN 0 THEN '楼道灯坏了' WHEN 1 THEN '电梯停在三楼不动' WHEN 2 THEN '厨房水管漏水' WHEN 3 THEN '单元门禁刷不开' ELSE '屋顶漏雨' END || '（' || i || '）',
				place.id, ?, CASE WHEN i % 50 < 2 THEN 'submitted' ELSE 'closed' END, 1700000000 + i, 1700000000 + i
			FROM seq JOIN place ON place.n = i % (SELECT count(*) FROM place)`,
			first, last, d.cid, d.cid, d.person)
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := d.raw.Exec(`INSERT INTO requests_fts(rowid, text) SELECT id, qiao_fold(text) FROM requests`); err != nil {
		b.Fatal(err)
	}
	trigrams := []string{"电梯停", "梯停在", "停在三", "在三楼", "三楼不", "楼不动"}
	if *dupAnalyze {
		if _, err := d.raw.Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	var open int
	if err := d.raw.QueryRow(`SELECT count(*) FROM requests WHERE building_id = ? AND state = 'submitted' AND kind IN ('repair', 'complaint')`, d.building).Scan(&open); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d requests, %d open tickets at the building", *dupRows, open)
	b.Run("rank", func(b *testing.B) {
		var found int
		for b.Loop() {
			rows, err := d.raw.Query(`SELECT id FROM requests WHERE id IN (
				SELECT rowid FROM (SELECT rowid FROM requests_fts WHERE requests_fts MATCH ? ORDER BY rank LIMIT 200))
				AND +community_id = ? AND +building_id = ? AND +kind IN ('repair', 'complaint')
				AND +state IN ('submitted', 'dispatched', 'accepted', 'reopened') ORDER BY id DESC LIMIT 10`,
				`"电梯停" OR "梯停在" OR "停在三" OR "在三楼" OR "三楼不" OR "楼不动"`, d.cid, d.building)
			if err != nil {
				b.Fatal(err)
			}
			for found = 0; rows.Next(); found++ {
			}
			rows.Close()
		}
		b.ReportMetric(float64(found), "found")
	})
	// The worst case reads every open ticket at the building: no match.
	for name, pieces := range map[string][]string{"open_tickets": trigrams, "open_tickets_no_match": {"水表箱", "表箱门"}} {
		b.Run(name, func(b *testing.B) {
			var found int
			for b.Loop() {
				err := d.db.View(ctx, func(tx *storage.Tx) error {
					list, err := tx.SimilarOpenTickets(storage.SimilarParams{CommunityID: d.cid, BuildingID: d.building, Trigrams: pieces, Limit: 10})
					found = len(list)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(found), "found")
		})
	}
	explain(b, d, `EXPLAIN QUERY PLAN SELECT id FROM requests WHERE community_id = ? AND building_id = ? AND kind IN ('repair', 'complaint')
		AND state IN ('submitted', 'dispatched', 'accepted', 'reopened') AND qiao_shares(text, 'x') ORDER BY id DESC LIMIT 10`)
}

// explain logs a query's plan.
func explain(b *testing.B, d trigramDB, q string) {
	rows, err := d.raw.Query(q, d.cid, d.building)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			b.Fatal(err)
		}
		b.Log(detail)
	}
}
