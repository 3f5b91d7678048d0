package storage_test

import (
	"database/sql"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// A busy batch of reports writes the trigram index once, at its end: FTS5
// writes its pending terms as a new segment at every statement savepoint, and
// indexing each report from an insert trigger made a segment per report,
// whose merging took most of the writer's time as the index grew. The reports
// are still found: by a search later in the same transaction, and after it.
func TestNewReportsReachTheTrigramIndexOncePerTransaction(t *testing.T) {
	db, cid, raw := communityWithConn(t)
	var building int64
	err := db.Update(ctx, func(tx *storage.Tx) error {
		bs, err := tx.Buildings(cid)
		if err != nil || len(bs) == 0 {
			t.Fatalf("buildings: %v %v", bs, err)
		}
		building = bs[0].ID
		p, err := tx.ResolvePerson(cid, "console", "u1", "居民甲")
		if err != nil {
			return err
		}
		for i := range 50 {
			id, err := tx.CreateRequest(storage.Request{CommunityID: cid, Kind: storage.KindRepair, Text: "楼道灯不亮了" + string(rune('甲'+i)),
				BuildingID: building, PersonID: p.ID, State: storage.StateSubmitted})
			if err != nil {
				return err
			}
			// The statement after each report opens a statement savepoint.
			if err := tx.AddRequestEvent(storage.RequestEvent{RequestID: id, ActorID: p.ID, Action: "create", ToState: storage.StateSubmitted}); err != nil {
				return err
			}
		}
		found, err := tx.SimilarOpenTickets(storage.SimilarParams{CommunityID: cid, BuildingID: building, Trigrams: []string{"楼道灯"}, Limit: 100})
		if err != nil || len(found) != 50 {
			t.Errorf("a search in the same transaction found %d of 50 reports (%v)", len(found), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx *storage.Tx) error {
		found, err := tx.SearchRequests([]int64{cid}, "楼道灯", 100)
		if err != nil || len(found) != 50 {
			t.Errorf("the search after commit found %d of 50 reports (%v)", len(found), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if written := ftsSegmentsWritten(t, raw); written > 2 {
		t.Errorf("one transaction of 50 reports wrote %d segments of the trigram index, want 1", written)
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
