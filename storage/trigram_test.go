package storage_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// trigramDB opens a database at path that indexes new requests batch at a
// time, with the demo community, its first building, a resident, and a raw
// connection that reads the index's own records.
type trigramDB struct {
	db       *storage.DB
	raw      *sql.DB
	cid      int64
	building int64
	person   int64
}

func openTrigramDB(t testing.TB, path string, batch int) trigramDB {
	t.Helper()
	storagetest.Seed(t, path)
	db, err := storage.OpenWithOptions(ctx, path, storage.Options{TrigramBatch: batch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	raw, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	d := trigramDB{db: db, raw: raw, cid: storagetest.Sync(t, db, demo())}
	err = db.Update(ctx, func(tx *storage.Tx) error {
		bs, err := tx.Buildings(d.cid)
		if err != nil || len(bs) == 0 {
			t.Fatalf("buildings: %v %v", bs, err)
		}
		d.building = bs[0].ID
		p, err := tx.ResolvePerson(d.cid, "console", "u1", "居民甲")
		d.person = p.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// report creates a repair with text in tx, and its event after it (a
// statement that opens a statement savepoint, where FTS5 flushes).
func (d trigramDB) report(tx *storage.Tx, text string) error {
	id, err := tx.CreateRequest(storage.Request{CommunityID: d.cid, Kind: storage.KindRepair, Text: text,
		BuildingID: d.building, PersonID: d.person, State: storage.StateSubmitted})
	if err != nil {
		return err
	}
	return tx.AddRequestEvent(storage.RequestEvent{RequestID: id, ActorID: d.person, Action: "create", ToState: storage.StateSubmitted})
}

// reportEach creates each text in a transaction of its own.
func (d trigramDB) reportEach(t *testing.T, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if err := d.db.Update(ctx, func(tx *storage.Tx) error { return d.report(tx, text) }); err != nil {
			t.Fatal(err)
		}
	}
}

// found counts the reports both searches find for a three-character word:
// the duplicate check's and the staff's.
func (d trigramDB) found(t *testing.T, tx *storage.Tx, word string) (similar, search int) {
	t.Helper()
	s, err := tx.SimilarOpenTickets(storage.SimilarParams{CommunityID: d.cid, BuildingID: d.building, Trigrams: []string{word}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	f, err := tx.SearchRequests([]int64{d.cid}, word, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(s), len(f)
}

// foundAfterCommit is found in a read transaction.
func (d trigramDB) foundAfterCommit(t *testing.T, word string) (similar, search int) {
	t.Helper()
	err := d.db.View(ctx, func(tx *storage.Tx) error {
		similar, search = d.found(t, tx, word)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return similar, search
}

// indexed is how many requests the trigram index holds.
func (d trigramDB) indexed(t *testing.T) int {
	t.Helper()
	var n int
	if err := d.raw.QueryRow(`SELECT count(*) FROM requests_fts_docsize`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func texts(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + string(rune('甲'+i))
	}
	return out
}

// New requests wait for a batch before they reach the trigram index, one
// segment a batch; meanwhile both searches find them in the tail, a report
// made a moment ago too.
func TestTrigramIndexWaitsForABatch(t *testing.T) {
	d := openTrigramDB(t, filepath.Join(t.TempDir(), "qiao.db"), 8)
	before := ftsSegmentsWritten(t, d.raw)
	d.reportEach(t, texts("楼道灯不亮了", 7)...)
	if n, w := d.indexed(t), ftsSegmentsWritten(t, d.raw); n != 0 || w != before {
		t.Errorf("7 reports of a batch of 8: %d indexed, %d segments written, want none", n, w-before)
	}
	if s, f := d.foundAfterCommit(t, "楼道灯"); s != 7 || f != 7 {
		t.Errorf("the tail of 7: duplicate check found %d, search %d", s, f)
	}
	d.reportEach(t, "楼道灯又坏了")
	if n, w := d.indexed(t), ftsSegmentsWritten(t, d.raw); n != 8 || w != before+1 {
		t.Errorf("the 8th report: %d indexed, %d segments written, want 8 in 1", n, w-before)
	}
	d.reportEach(t, texts("楼道灯闪个不停", 3)...)
	if s, f := d.foundAfterCommit(t, "楼道灯"); s != 11 || f != 11 {
		t.Errorf("8 indexed and 3 in the tail: duplicate check found %d, search %d", s, f)
	}
	if s, f := d.foundAfterCommit(t, "闪个不"); s != 3 || f != 3 {
		t.Errorf("a word only in the tail: duplicate check found %d, search %d", s, f)
	}
}

// A busy batch of reports writes the trigram index once, at its end: FTS5
// writes its pending terms as a new segment at every statement savepoint, and
// indexing each report from an insert trigger made a segment per report,
// whose merging took most of the writer's time as the index grew. The reports
// are still found: by a search later in the same transaction, and after it.
func TestNewReportsReachTheTrigramIndexOncePerTransaction(t *testing.T) {
	d := openTrigramDB(t, filepath.Join(t.TempDir(), "qiao.db"), 50)
	before := ftsSegmentsWritten(t, d.raw)
	err := d.db.Update(ctx, func(tx *storage.Tx) error {
		for _, text := range texts("楼道灯不亮了", 50) {
			if err := d.report(tx, text); err != nil {
				return err
			}
		}
		if s, f := d.found(t, tx, "楼道灯"); s != 50 || f != 50 {
			t.Errorf("in the same transaction: duplicate check found %d of 50 reports, search %d", s, f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, f := d.foundAfterCommit(t, "楼道灯"); s != 50 || f != 50 {
		t.Errorf("after commit: duplicate check found %d of 50 reports, search %d", s, f)
	}
	if n, w := d.indexed(t), ftsSegmentsWritten(t, d.raw); n != 50 || w != before+1 {
		t.Errorf("one transaction of 50 reports: %d indexed in %d segments, want 50 in 1", n, w-before)
	}
}

// A process that stops between two batches (here: a crash, the files copied
// while it runs) leaves its tail unindexed; the next start indexes it, and the
// searches find every report before and after.
func TestTrigramTailIsIndexedAfterACrash(t *testing.T) {
	dir := t.TempDir()
	d := openTrigramDB(t, filepath.Join(dir, "qiao.db"), 8)
	d.reportEach(t, texts("单元门禁刷不开", 11)...) // 8 indexed, 3 in the tail
	if n := d.indexed(t); n != 8 {
		t.Fatalf("%d indexed before the crash, want 8", n)
	}
	crashed := filepath.Join(dir, "crashed.db")
	copyAsACrashLeavesIt(t, filepath.Join(dir, "qiao.db"), crashed)
	again := openTrigramDB(t, crashed, 8)
	again.allIndexedAndFound(t, "门禁刷", 11)
}

// Searching the tail reads only the tail: the plans look requests up by id,
// never scan the table.
func TestTrigramSearchPlansReadOnlyTheTail(t *testing.T) {
	d := openTrigramDB(t, filepath.Join(t.TempDir(), "qiao.db"), 8)
	d.reportEach(t, texts("楼道灯不亮了", 3)...)
	var got []traced
	d.db.SetTracer(&storage.Tracer{Stmt: func(_ bool, q string, args []any) {
		got = append(got, traced{q, append([]any(nil), args...)})
	}})
	d.foundAfterCommit(t, "楼道灯")
	d.db.SetTracer(nil)
	if len(got) != 2 {
		t.Fatalf("the two searches ran %d statements, want 2", len(got))
	}
	for _, q := range got {
		for _, step := range plan(t, d.raw, q) {
			if step == "SCAN requests" || strings.HasPrefix(step, "SCAN requests USING") {
				t.Errorf("%s\n  scans the requests: %q", q.query, step)
			}
		}
	}
}

// ftsSegmentsWritten reads the write counter of requests_fts's structure
// record (fts5_index.c: a 4-byte cookie, then varints: levels, segments,
// segments written so far).
func ftsSegmentsWritten(t *testing.T, raw *sql.DB) uint64 {
	t.Helper()
	var rec []byte
	if err := raw.QueryRow(`SELECT block FROM requests_fts_data WHERE id = 10`).Scan(&rec); err != nil {
		t.Fatal(err)
	}
	if len(rec) > 4 && rec[0] == 0xff && rec[1] == 0xff && rec[2] == 0xff && rec[3] == 0xff {
		rec = rec[4:] // a structure record with flags
	}
	var v [3]uint64
	rest := rec[4:]
	for i := range v {
		for n := 0; n < 9 && len(rest) > 0; n++ {
			b := rest[0]
			rest = rest[1:]
			v[i] = v[i]<<7 | uint64(b&0x7f)
			if b < 0x80 {
				break
			}
		}
	}
	return v[2]
}
