package storage_test

import (
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

var openMB = flag.Int("open.mb", 64, "size of the database BenchmarkOpen opens, in MB (1024 for the 1 GB target)")

// BenchmarkOpen opens and closes a cleanly closed database of -open.mb
// megabytes of requests: Qiao's start-up cost in storage. The quick_check
// sub-benchmark is the full-file check Open ran on every start before (and
// still runs after an unclean shutdown).
//
//	go test -run X -bench Open ./storage -args -open.mb=1024
func BenchmarkOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "qiao.db")
	built := time.Now()
	buildLargeDatabase(b, path, int64(*openMB)<<20)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("database of %d MB built in %v", st.Size()>>20, time.Since(built).Round(time.Second))
	ctx := context.Background()
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			db, err := storage.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			if err := db.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("quick_check", func(b *testing.B) {
		db, err := storage.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		for b.Loop() {
			if err := db.QuickCheck(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Last, and each Open on connections of its own: FTS5's integrity check
	// trusts the index structure a connection cached, so a long-lived
	// connection checking while another writes the index reports corruption
	// that a fresh connection does not see.
	//
	// A database written around Qiao (an import, a restore of an old backup,
	// the upgrade that refolded the index): the whole history unindexed. Open
	// indexes one batch; the background pass is cut short by Close.
	b.Run("open_unindexed", func(b *testing.B) {
		unindex(b, path)
		var st storage.TrigramStatus
		for b.Loop() {
			db, err := storage.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			st = db.TrigramStatus()
			if err := db.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(st.TailAtOpen), "unindexed")
		b.ReportMetric(float64(st.IndexedAtOpen), "indexed-at-open")
		// Once: the background pass to its end, beside nothing else.
		db, err := storage.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		start := time.Now()
		<-db.TrigramsCaughtUp()
		b.Logf("background pass: %d requests indexed in %v", db.TrigramStatus().TailAtOpen, time.Since(start).Round(time.Millisecond))
	})
}

// buildLargeDatabase fills a new Qiao database at path with requests (about
// 1 kB of text each) until it is about size bytes, and closes it cleanly.
func buildLargeDatabase(b *testing.B, path string, size int64) {
	b.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	conn, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	for _, q := range []string{
		`INSERT INTO communities (id, key, name, timezone, lang) VALUES (1, 'big', '大社区', 'Asia/Shanghai', 'zh-CN')`,
		`INSERT INTO people (id, community_id, platform, user_key, name, created_at) VALUES (1, 1, 'console', 'u1', '居民', 0)`,
	} {
		if _, err := conn.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	// As Qiao writes it: a short text for each request, in the trigram index
	// (folded, as Qiao indexes it), and the bulk in each request's history.
	const rowsPerStep = 50_000 // about 60 MB with the indexes
	for step := int64(0); ; step++ {
		if st, err := os.Stat(path); err == nil && st.Size() >= size {
			break
		}
		first, last := step*rowsPerStep+1, (step+1)*rowsPerStep
		for _, q := range []string{`WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
			INSERT INTO requests (community_id, kind, category, text, person_id, state, rated_at, stage_due_at, created_at, updated_at)
			SELECT 1, CASE i % 4 WHEN 0 THEN 'repair' WHEN 1 THEN 'complaint' WHEN 2 THEN 'suggestion' ELSE 'need' END,
				'water', printf('%d栋%d单元楼道灯不亮，麻烦物业看看 %d', i % 30 + 1, i % 6 + 1, i), 1,
				CASE WHEN i % 50 = 0 THEN 'accepted' ELSE 'closed' END,
				1700000000 + i * 60, 1700000000 + i * 60, 1700000000 + i * 60, 1700000000 + i * 60 FROM seq`,
			`INSERT INTO request_events (request_id, action, note, created_at)
			SELECT id, 'submit', hex(randomblob(450)), created_at FROM requests WHERE id BETWEEN ? AND ?`,
			`INSERT INTO requests_fts (rowid, text) SELECT id, qiao_fold(text) FROM requests WHERE id BETWEEN ? AND ?`,
		} {
			if _, err := conn.Exec(q, first, last); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := conn.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
	}
}

// unindex empties the trigram index of the database at path, as migration
// 0024 does, and logs how long that took.
func unindex(b *testing.B, path string) {
	b.Helper()
	start := time.Now()
	defer func() { b.Logf("the trigram index emptied in %v", time.Since(start).Round(time.Millisecond)) }()
	conn, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{`INSERT INTO requests_fts(requests_fts) VALUES ('delete-all')`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := conn.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
}
