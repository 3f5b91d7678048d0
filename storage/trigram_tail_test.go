package storage_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// writtenAround closes d and adds n repairs with text at its building by SQL,
// as an import or a restored old backup would: none of them indexed.
func (d trigramDB) writtenAround(t *testing.T, n int, text string) {
	t.Helper()
	d.db.Close()
	_, err := d.raw.Exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO requests (community_id, kind, category, text, building_id, person_id, state, created_at, updated_at)
		SELECT ?, 'repair', 'other', ? || i, ?, ?, 'submitted', 1700000000 + i, 1700000000 + i FROM seq`,
		n, d.cid, text, d.building, d.person)
	if err != nil {
		t.Fatal(err)
	}
}

// reopen opens the database at path again with batches of batch.
func reopen(t *testing.T, d trigramDB, path string, batch int) trigramDB {
	t.Helper()
	db, err := storage.OpenWithOptions(ctx, path, storage.Options{TrigramBatch: batch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d.db = db
	return d
}

// A database written around Qiao has its whole history in the tail. Open
// indexes one batch of it and returns; the rest is indexed in the background,
// a batch a transaction, and the searches find every report meanwhile.
func TestOpenIndexesOneBatchOfALongTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qiao.db")
	d := openTrigramDB(t, path, 8)
	d.writtenAround(t, 300, "楼道灯不亮了")
	before := ftsSegmentsWritten(t, d.raw)
	d = reopen(t, d, path, 8)
	st := d.db.TrigramStatus()
	if st.TailAtOpen != 300 || st.IndexedAtOpen != 8 || !st.Background {
		t.Errorf("open with 300 unindexed: %+v, want a tail of 300, 8 indexed before Open returned, the rest in the background", st)
	}
	if s, f := d.foundAfterCommit(t, "楼道灯"); s != 300 || f != 300 {
		t.Errorf("while indexing: duplicate check found %d, search %d of 300", s, f)
	}
	<-d.db.TrigramsCaughtUp()
	if n, w := d.indexed(t), ftsSegmentsWritten(t, d.raw); n != 300 || w-before != 38 {
		t.Errorf("after the background pass: %d of 300 indexed in %d segments, want 38 batches of 8 at most", n, w-before)
	}
	// New reports wait for a batch again.
	d.reportEach(t, texts("楼道灯闪个不停", 7)...)
	if n := d.indexed(t); n != 300 {
		t.Errorf("7 new reports after the pass: %d indexed, want 300", n)
	}
	if s, f := d.foundAfterCommit(t, "闪个不"); s != 7 || f != 7 {
		t.Errorf("the new tail: duplicate check found %d, search %d", s, f)
	}
}

// A normal restart (a tail shorter than a batch) is indexed whole by Open.
func TestOpenIndexesAShortTailWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qiao.db")
	d := openTrigramDB(t, path, 8)
	d.writtenAround(t, 5, "楼道灯不亮了")
	d = reopen(t, d, path, 8)
	if st := d.db.TrigramStatus(); st.TailAtOpen != 5 || st.IndexedAtOpen != 5 || st.Background {
		t.Errorf("open with 5 unindexed: %+v, want all 5 indexed, no background pass", st)
	}
	select {
	case <-d.db.TrigramsCaughtUp():
	default:
		t.Error("no background pass, yet not caught up")
	}
}

// A long tail is read directly only as far as its newest
// TrigramTailSearched requests: the search's cost stays bounded.
func TestTailSearchReadsOnlyTheNewest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qiao.db")
	d := openTrigramDB(t, path, 8)
	d.writtenAround(t, storage.TrigramTailSearched+100, "楼道灯不亮了")
	var n int
	if err := d.raw.QueryRow(`SELECT count(*) FROM (` + storage.TrigramTailQuery + `)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != storage.TrigramTailSearched {
		t.Errorf("a tail of %d: %d read directly, want %d", storage.TrigramTailSearched+100, n, storage.TrigramTailSearched)
	}
}

// A crash while the background pass runs (the files copied between two of
// its batches, as a kill -9 leaves them) loses nothing: the next Open resumes
// from the index's watermark.
func TestTrigramBackgroundPassSurvivesACrash(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "qiao.db")
	d := openTrigramDB(t, path, 8)
	d.writtenAround(t, 400, "单元门禁刷不开")
	d = reopen(t, d, path, 8)
	crashed := filepath.Join(dir, "crashed.db")
	// Between two write transactions: the writer's gate is held while copying.
	err := d.db.Update(ctx, func(*storage.Tx) error {
		copyAsACrashLeavesIt(t, path, crashed)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", storage.DSN(crashed))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	again := reopen(t, trigramDB{raw: raw, cid: d.cid, building: d.building, person: d.person}, crashed, 8)
	t.Logf("the crashed copy had %d unindexed", again.db.TrigramStatus().TailAtOpen)
	<-again.db.TrigramsCaughtUp()
	again.allIndexedAndFound(t, "门禁刷", 400)
}

// allIndexedAndFound checks that the index holds n requests and both
// searches find n with word.
func (d trigramDB) allIndexedAndFound(t *testing.T, word string, n int) {
	t.Helper()
	if got := d.indexed(t); got != n {
		t.Errorf("%d of %d indexed", got, n)
	}
	if s, f := d.foundAfterCommit(t, word); s != n || f != n {
		t.Errorf("%q: duplicate check found %d, search %d, want %d", word, s, f, n)
	}
}

// The index stores folded text and both searches fold what they look for:
// full-width letters and digits are their ASCII forms, letters of any script
// compare in lower case — in the index and in the tail alike.
func TestSearchesFoldWidthAndCase(t *testing.T) {
	d := openTrigramDB(t, filepath.Join(t.TempDir(), "qiao.db"), 2)
	d.reportEach(t, "３号楼Ｒ１８室漏水", "ÄRGER mit dem Aufzug", "3号楼r18室又漏水") // 2 indexed, 1 in the tail
	if n := d.indexed(t); n != 2 {
		t.Fatalf("%d indexed, want 2 (and 1 in the tail)", n)
	}
	for word, want := range map[string]int{"r18": 2, "Ｒ１８": 2, "R18": 2, "ärger": 1, "ÄRG": 1, "aufzug": 1} {
		if s, f := d.foundAfterCommit(t, word); s != want || f != want {
			t.Errorf("%q: duplicate check found %d, search %d, want %d", word, s, f, want)
		}
	}
	var ok string
	if err := d.raw.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("the folded index fails the integrity check: %q %v", ok, err)
	}
}

// The duplicate check reads the open tickets at the building through their
// partial index, newest first, without a sort: its work is the open tickets
// at one place, not every report that shares a trigram.
func TestSimilarOpenTicketsPlanReadsOpenTicketsAtThePlace(t *testing.T) {
	d := openTrigramDB(t, filepath.Join(t.TempDir(), "qiao.db"), 8)
	var got []traced
	d.db.SetTracer(&storage.Tracer{Stmt: func(_ bool, q string, args []any) {
		got = append(got, traced{q, append([]any(nil), args...)})
	}})
	err := d.db.View(ctx, func(tx *storage.Tx) error {
		_, err := tx.SimilarOpenTickets(storage.SimilarParams{CommunityID: d.cid, BuildingID: d.building, Trigrams: []string{"楼道灯"}})
		return err
	})
	d.db.SetTracer(nil)
	if err != nil || len(got) != 1 {
		t.Fatalf("the duplicate check ran %d statements (%v), want 1", len(got), err)
	}
	steps := plan(t, d.raw, got[0])
	want := "SEARCH requests USING INDEX requests_open_tickets (community_id=? AND building_id=?)"
	if len(steps) != 1 || steps[0] != want {
		t.Errorf("plan %q, want only %q", steps, want)
	}
}

func ExampleFold() {
	fmt.Println(storage.Fold("３号楼Ｒ１８室　ÄRGER"))
	// Output: 3号楼r18室 ärger
}

// copyAsACrashLeavesIt copies the files of the running database at from to
// to, as a kill -9 leaves them on disk: the database and its log.
func copyAsACrashLeavesIt(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
