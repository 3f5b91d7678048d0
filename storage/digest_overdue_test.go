package storage_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// TestOverdueRequestsUrgentFirst checks the 日报's overdue list against a
// plain sort of every overdue request (urgent first, then the longest
// overdue, then by id): OverdueRequests takes each part in index order and
// stops at its share, which must pick the same requests for any limit.
func TestOverdueRequestsUrgentFirst(t *testing.T) {
	db, cid, conn := communityWithConn(t)
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	rnd := rand.New(rand.NewPCG(20, 2))
	type row struct {
		id, due int64
		urgent  bool
	}
	var overdue []row
	history, err := conn.Begin() // one commit for all of them
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		kind := []string{storage.KindRepair, storage.KindComplaint, storage.KindSuggestion, storage.KindNeed}[rnd.IntN(4)]
		state := []string{storage.StateSubmitted, storage.StateDispatched, storage.StateAccepted, storage.StateReopened,
			storage.StateResolved, storage.StateAdopted, storage.StateClosed}[rnd.IntN(7)]
		// Whole hours, so that some share their due time and the id decides.
		due := now.Add(time.Duration(rnd.IntN(48)-40) * time.Hour).Unix()
		urgent := rnd.IntN(4) == 0
		res, err := history.Exec(`INSERT INTO requests (community_id, kind, category, text, person_id, state, urgent, stage_due_at, created_at, updated_at)
			VALUES (?, ?, 'water', ?, (SELECT id FROM people LIMIT 1), ?, ?, ?, ?, ?)`, cid, kind, "r", state, urgent, due, due-86400, due-86400)
		if err != nil {
			t.Fatal(i, err)
		}
		id, _ := res.LastInsertId()
		open := slices.Contains(storage.OpenStates(kind), state)
		if open && due < now.Unix() {
			overdue = append(overdue, row{id, due, urgent})
		}
	}
	if err := history.Commit(); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(overdue, func(a, b row) int {
		if a.urgent != b.urgent {
			if a.urgent {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.due, b.due), cmp.Compare(a.id, b.id))
	})
	for _, limit := range []int{0, 1, 7, 30, 1000} {
		err := db.View(ctx, func(tx *storage.Tx) error {
			got, total, err := tx.OverdueRequests(cid, now, limit)
			if err != nil {
				return err
			}
			if total != len(overdue) {
				t.Errorf("limit %d: total %d, want %d", limit, total, len(overdue))
			}
			want := overdue[:min(limit, len(overdue))]
			if len(got) != len(want) {
				t.Fatalf("limit %d: %d listed, want %d", limit, len(got), len(want))
			}
			for i := range want {
				if got[i].ID != want[i].id || got[i].Urgent != want[i].urgent || got[i].DueAt.Unix() != want[i].due {
					t.Errorf("limit %d, #%d: got %d (urgent %v, due %v), want %+v", limit, i, got[i].ID, got[i].Urgent, got[i].DueAt, want[i])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if urgent := slices.IndexFunc(overdue, func(r row) bool { return !r.urgent }); urgent < 3 || urgent > len(overdue)-10 {
		t.Fatalf("%d urgent of %d overdue: the history does not exercise both parts", urgent, len(overdue))
	}
}
