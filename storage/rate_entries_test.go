package storage_test

import (
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// TestRateEntriesFollowEveryWrite resolves, reopens, rates, calls back,
// merges and retires tickets every way SQL can, and recounts the 三率's rate
// entries after each (migration 0023's triggers).
func TestRateEntriesFollowEveryWrite(t *testing.T) {
	db, cid, conn := communityWithConn(t)
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC).Unix()
	var person, dep, other, building int64
	for q, dst := range map[string]*int64{
		`SELECT id FROM people WHERE community_id = ? ORDER BY id LIMIT 1`:           &person,
		`SELECT id FROM departments WHERE community_id = ? ORDER BY id LIMIT 1`:      &dep,
		`SELECT id FROM departments WHERE community_id = ? ORDER BY id DESC LIMIT 1`: &other,
		`SELECT id FROM buildings WHERE community_id = ? ORDER BY id LIMIT 1`:        &building,
	} {
		if err := conn.QueryRow(q, cid).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	newTicket := func(duplicateOf any) int64 {
		res, err := conn.Exec(`INSERT INTO requests (community_id, kind, category, text, person_id, state, department_id, duplicate_of,
			stage_due_at, created_at, updated_at) VALUES (?, 'repair', 'water', 'r', ?, 'dispatched', ?, ?, ?, ?, ?)`,
			cid, person, dep, duplicateOf, at+3600, at, at)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	original, plain := newTicket(nil), newTicket(nil)
	follower := newTicket(original)
	event := `INSERT INTO request_events (request_id, action, note, created_at) VALUES (?, ?, ?, ?)`
	steps := []struct {
		name, query string
		args        []any
	}{
		{"resolved", event, []any{original, "resolve", "", at + 60}},
		{"state resolved", `UPDATE requests SET state = 'resolved' WHERE id = ?`, []any{original}},
		{"resolved again in the same second", event, []any{original, "resolve", "", at + 60}},
		{"reopened", `UPDATE requests SET state = 'reopened' WHERE id = ?`, []any{original}},
		{"resolved after reopening", event, []any{original, "resolve", "", at + 7200}},
		{"rated", event, []any{plain, "rate", "unsatisfied 太慢", at + 90}},
		{"stored rating", `UPDATE requests SET state = 'closed', rating = 'unsatisfied', rating_note = '太慢', rated_at = ? WHERE id = ?`, []any{at + 90, plain}},
		{"called back", event, []any{plain, "callback", "basic", at + 3600}},
		{"follower rated", event, []any{follower, "rate", "satisfied", at + 120}},
		{"follower's stored rating", `UPDATE requests SET state = 'closed', rating = 'satisfied' WHERE id = ?`, []any{follower}},
		{"original moved to another department", `UPDATE requests SET department_id = ? WHERE id = ?`, []any{other, original}},
		{"original's building and urgency", `UPDATE requests SET building_id = ?, urgent = 1 WHERE id = ?`, []any{building, original}},
		{"comment removed", `UPDATE requests SET rating_note = '' WHERE id = ?`, []any{plain}},
		{"entry re-timed", `UPDATE request_events SET created_at = ? WHERE request_id = ? AND action = 'callback'`, []any{at - 60, plain}},
		{"entry moved", `UPDATE request_events SET request_id = ? WHERE request_id = ? AND action = 'callback'`, []any{original, plain}},
		{"entry no longer a resolution", `UPDATE request_events SET action = 'note' WHERE id = (SELECT MIN(id) FROM request_events WHERE request_id = ? AND action = 'resolve')`, []any{original}},
		{"entry became a resolution", `UPDATE request_events SET action = 'resolve' WHERE request_id = ? AND action = 'note'`, []any{original}},
		{"follower unmerged", `UPDATE requests SET duplicate_of = NULL WHERE id = ?`, []any{follower}},
		{"follower merged again", `UPDATE requests SET duplicate_of = ? WHERE id = ?`, []any{original, follower}},
		{"state closed", `UPDATE requests SET state = 'closed' WHERE id = ?`, []any{original}},
		{"entry deleted", `DELETE FROM request_events WHERE request_id = ? AND action = 'rate'`, []any{plain}},
		{"request deleted", `DELETE FROM request_events WHERE request_id = ?1; DELETE FROM requests WHERE id = ?1`, []any{plain}},
	}
	for _, s := range steps {
		if _, err := conn.Exec(s.query, s.args...); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		t.Run(s.name, func(t *testing.T) { storagetest.SameRateEntries(t, db) })
	}
	// Written with foreign keys off (an import, a repair by hand): an
	// original deleted under its entries and its follower, then a request
	// stored again over the orphaned entries.
	fkOff, err := conn.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer fkOff.Close()
	for _, s := range []struct{ name, query string }{
		{"original deleted with foreign keys off", `PRAGMA foreign_keys = OFF; DELETE FROM requests WHERE id = ?1`},
		{"request stored over orphaned entries", `INSERT INTO requests (id, community_id, kind, text, person_id, state, created_at, updated_at)
			SELECT ?1, community_id, kind, text, person_id, 'resolved', created_at, updated_at FROM requests WHERE id = ?2`},
	} {
		if _, err := fkOff.ExecContext(ctx, s.query, original, follower); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		t.Run(s.name, func(t *testing.T) { storagetest.SameRateEntries(t, db) })
	}
	if _, err := fkOff.ExecContext(ctx, `PRAGMA foreign_keys = ON`); err != nil {
		t.Fatal(err)
	}
	// Merging people moves no entry.
	var gone int64
	if err := conn.QueryRow(`SELECT id FROM people WHERE community_id = ? AND id <> ? LIMIT 1`, cid, person).Scan(&gone); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *storage.Tx) error { return tx.MergePeople(gone, person) }); err != nil {
		t.Fatal(err)
	}
	storagetest.SameRateEntries(t, db)
	err = db.View(ctx, func(tx *storage.Tx) error {
		entries, err := tx.RateEntries(cid)
		if err != nil {
			return err
		}
		// original: three resolutions and the moved call-back; follower: its rating.
		if len(entries) != 5 {
			t.Errorf("%d entries, want 5: %+v", len(entries), entries)
		}
		for _, e := range entries {
			if e.RequestID == follower && e.DepartmentID != 0 {
				t.Errorf("the follower's rating counts for department %d, want none (its original was stored again without one)", e.DepartmentID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
