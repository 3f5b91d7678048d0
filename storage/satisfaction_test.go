package storage_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// TestRatingSummariesFollowEveryWrite changes ratings every way SQL can —
// a request stored already rated, audit entries written, moved, re-timed and
// deleted, a stored rating changed, people merged, a request deleted — and
// recounts the summaries after each (migration 0021's triggers).
func TestRatingSummariesFollowEveryWrite(t *testing.T) {
	db, cid, conn := communityWithConn(t)
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC).Unix()
	var person int64
	if err := conn.QueryRow(`SELECT id FROM people WHERE community_id = ? LIMIT 1`, cid).Scan(&person); err != nil {
		t.Fatal(err)
	}
	newRequest := func(rating string, ratedAt any) int64 {
		res, err := conn.Exec(`INSERT INTO requests (community_id, kind, category, text, person_id, state, rating, rated_at, created_at, updated_at)
			VALUES (?, 'repair', 'water', 'r', ?, 'closed', ?, ?, ?, ?)`, cid, person, rating, ratedAt, at, at)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	legacy, plain, other := newRequest(storage.RatingBasic, at), newRequest("", nil), newRequest("", nil)
	steps := []struct {
		name, query string
		args        []any
	}{
		{"rated", `INSERT INTO request_events (request_id, action, note, created_at) VALUES (?, 'rate', 'unsatisfied 太慢', ?)`, []any{plain, at + 60}},
		{"re-rated in the same second", `INSERT INTO request_events (request_id, action, note, created_at) VALUES (?, 'rate', 'satisfied', ?)`, []any{plain, at + 60}},
		{"called back", `INSERT INTO request_events (request_id, action, note, created_at) VALUES (?, 'callback', 'basic 电话回访', ?)`, []any{plain, at + 7200}},
		{"reopened", `INSERT INTO request_events (request_id, action, created_at) VALUES (?, 'reopen', ?)`, []any{plain, at + 7300}},
		{"legacy rating re-rated", `INSERT INTO request_events (request_id, action, note, created_at) VALUES (?, 'rate', 'satisfied', ?)`, []any{legacy, at + 90}},
		{"stored rating written", `UPDATE requests SET rating = 'satisfied', rated_at = ? WHERE id = ?`, []any{at + 100, other}},
		{"stored rating changed", `UPDATE requests SET rating = 'unsatisfied' WHERE id = ?`, []any{other}},
		{"entry re-timed", `UPDATE request_events SET created_at = ? WHERE request_id = ? AND action = 'callback'`, []any{at - 60, plain}},
		{"entry moved", `UPDATE request_events SET request_id = ? WHERE request_id = ? AND action = 'callback'`, []any{other, plain}},
		{"entry no longer a rating", `UPDATE request_events SET action = 'note' WHERE request_id = ? AND note = 'satisfied'`, []any{plain}},
		{"entries deleted", `DELETE FROM request_events WHERE request_id = ?`, []any{legacy}},
		{"rating cleared", `UPDATE requests SET rating = '', rated_at = NULL WHERE id = ?`, []any{legacy}},
		{"request deleted", `DELETE FROM request_events WHERE request_id = ?1; DELETE FROM requests WHERE id = ?1`, []any{other}},
	}
	for _, s := range steps {
		if _, err := conn.Exec(s.query, s.args...); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		t.Run(s.name, func(t *testing.T) { storagetest.SameRatingSummaries(t, db) })
	}
	// Merging people moves no rating.
	var gone int64
	if err := conn.QueryRow(`SELECT id FROM people WHERE community_id = ? AND id <> ? LIMIT 1`, cid, person).Scan(&gone); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *storage.Tx) error { return tx.MergePeople(gone, person) }); err != nil {
		t.Fatal(err)
	}
	storagetest.SameRatingSummaries(t, db)
	var n int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM request_ratings`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d summaries (%v), want plain's alone", n, err)
	}
	// Windows whose edges fall inside a rating's second, or on it.
	second := time.Unix(at+60, 0)
	for _, w := range [][2]time.Time{
		{second, second.Add(time.Second)}, {second.Add(-time.Millisecond), second.Add(time.Millisecond)},
		{second.Add(time.Millisecond), second.Add(time.Hour)}, {time.Unix(at, 0), second}, {time.Time{}, second.Add(time.Nanosecond)},
	} {
		err := db.View(ctx, func(tx *storage.Tx) error {
			all, err := tx.RatingEvents(cid, w[1])
			if err != nil {
				return err
			}
			got, err := tx.SatisfactionIn(cid, w[0], w[1])
			if want := storage.SatisfactionOf(all, w[0], w[1]); err == nil && got != want {
				t.Errorf("[%v, %v): %+v from the summaries, want %+v", w[0], w[1], got, want)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestRatingSummariesBackfilled upgrades a database rated before migration
// 0021 — stored ratings without audit entries, re-ratings, call-backs, two
// ratings in one second — and recounts the summaries it wrote.
func TestRatingSummariesBackfilled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qiao.db")
	old, err := storage.OpenWithMigrations(ctx, path, storage.MigrationsUpTo(storage.LatestVersion()-1, 0))
	if err != nil {
		t.Fatal(err)
	}
	cid := mustSync(t, old, demo())
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 60)
		INSERT INTO requests (community_id, kind, category, text, person_id, state, rating, rated_at, created_at, updated_at)
		SELECT ?, 'repair', 'water', 'r' || i, (SELECT id FROM people LIMIT 1), 'closed',
			CASE i % 3 WHEN 0 THEN 'satisfied' WHEN 1 THEN 'basic' ELSE '' END,
			CASE WHEN i % 3 < 2 THEN 1700000000 + i * 60 END, 1700000000, 1700000000 FROM seq`, cid); err != nil {
		t.Fatal(err)
	}
	// Audit entries for most: one, two in the same second, or a call-back later.
	if _, err := conn.Exec(`INSERT INTO request_events (request_id, action, note, created_at)
		SELECT id, 'rate', CASE id % 2 WHEN 0 THEN 'unsatisfied 慢' ELSE 'satisfied' END, 1700000000 + id * 60 FROM requests WHERE id % 4 <> 0;
		INSERT INTO request_events (request_id, action, note, created_at)
		SELECT id, CASE id % 3 WHEN 0 THEN 'rate' ELSE 'callback' END, 'basic', 1700000000 + id * 60 + (id % 3) * 3600 FROM requests WHERE id % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storagetest.SameRatingSummaries(t, db)
	var n int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM request_ratings`).Scan(&n); err != nil || n < 45 {
		t.Fatalf("%d summaries (%v), want one per rated request", n, err)
	}
}
