package requests

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/qiao-community/qiao/handlers/workdays"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// TestRatesEqualPerTicket computes the 三率 of many periods of a varied
// history both ways — the bounded queries (computeRates) and the old
// per-ticket reads (computeRatesPerTicket) — and compares every figure.
func TestRatesEqualPerTicket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qiao.db")
	db := storagetest.OpenAt(t, path)
	cid := storagetest.Sync(t, db, storagetest.Community())
	conn, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	history, err := conn.Begin() // one commit for the whole history
	if err != nil {
		t.Fatal(err)
	}
	varied(t, history, cid, start, rand.New(rand.NewPCG(20, 26)))
	if err := history.Commit(); err != nil {
		t.Fatal(err)
	}
	storagetest.SameRatingSummaries(t, db)
	storagetest.SameRateEntries(t, db)

	cfg := DefaultConfig()
	cfg.FillDefaults()
	// Working-day limits for one category, hours for the rest, and the urgent ones.
	cfg.TimeLimits["water"] = StageLimits{Dispatched: workdays.Limit{Workdays: 1}}
	cfg.TimeLimits["lift"] = StageLimits{Dispatched: workdays.Limit{Days: 2}}
	ctx := context.Background()
	var checked, nonEmpty int
	for _, now := range []time.Time{start.AddDate(0, 1, 3).Add(9 * time.Hour), start.AddDate(0, 3, 0)} {
		err := db.View(ctx, func(tx *storage.Tx) error {
			tx.Now = now
			cm, err := tx.FindCommunity(cid)
			if err != nil {
				return err
			}
			dir, err := newDirectory(tx, cm, nil)
			if err != nil {
				return err
			}
			for from := start.AddDate(0, 0, -2); from.Before(now); from = from.AddDate(0, 0, 15) {
				var periods []Period
				var wants []RateReport
				for _, to := range []time.Time{from.Add(24 * time.Hour), from.AddDate(0, 1, 0)} {
					want, err := computeRatesPerTicket(tx, dir, &cfg, from, to)
					if err != nil {
						return err
					}
					periods, wants = append(periods, Period{from, to}), append(wants, want)
					got, err := computeRates(tx, dir, &cfg, from, to)
					if err != nil {
						return err
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("now %v, [%v, %v):\n got %+v\nwant %+v", now, from, to, got, want)
					}
					checked++
					sameSatisfaction(t, tx, cid, from, to)
					if want.Community.Any() && want.Community.Rated() > 0 && want.Community.Dispatched > 0 && want.Urgent.Any() {
						nonEmpty++
					}
				}
				// Both periods at once, as the 日报 reads yesterday and this month.
				both, err := computeRatesOf(tx, dir, &cfg, periods...)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(both, wants) {
					t.Errorf("now %v, from %v, periods together:\n got %+v\nwant %+v", now, from, both, wants)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if nonEmpty < checked/3 {
		t.Fatalf("only %d of %d periods had dispatches, ratings and urgent tickets: the history is too thin", nonEmpty, checked)
	}
}

// varied writes 160 tickets over three months: every kind, urgent ones,
// buildings of both grids and none, dispatches to both departments with
// acceptances in and out of time, hand-backs, reopenings, ratings and
// call-backs, and merged followers rated after their original.
func varied(t *testing.T, conn *sql.Tx, cid int64, start time.Time, rnd *rand.Rand) {
	t.Helper()
	ids := func(q string, args ...any) []int64 {
		rows, err := conn.Query(q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	deps := append(ids(`SELECT id FROM departments WHERE community_id = ?`, cid), 0)
	buildings := append(ids(`SELECT id FROM buildings WHERE community_id = ?`, cid), 0)
	person := ids(`SELECT id FROM people WHERE community_id = ? LIMIT 1`, cid)[0]
	pick := func(xs []string) string { return xs[rnd.IntN(len(xs))] }
	exec := func(q string, args ...any) int64 {
		res, err := conn.Exec(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	nullable := func(id int64) any {
		if id == 0 {
			return nil
		}
		return id
	}
	var originals []int64
	for i := range 160 {
		at := start.Add(time.Duration(rnd.IntN(90*24)) * time.Hour)
		kind := pick([]string{storage.KindRepair, storage.KindRepair, storage.KindComplaint, storage.KindSuggestion})
		dep := deps[rnd.IntN(len(deps))]
		id := exec(`INSERT INTO requests (community_id, kind, category, text, building_id, person_id, state, department_id, urgent,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?)`,
			cid, kind, pick([]string{"water", "lift", "noise"}), "诉求", nullable(buildings[rnd.IntN(len(buildings))]), person,
			nullable(dep), rnd.IntN(5) == 0, at.Unix(), at.Unix())
		state := storage.StateSubmitted
		event := func(action, to string, dep int64) {
			at = at.Add(time.Duration(rnd.IntN(60)) * time.Hour)
			exec(`INSERT INTO request_events (request_id, action, to_state, department_id, created_at) VALUES (?, ?, ?, ?, ?)`,
				id, action, to, nullable(dep), at.Unix())
			state = to
		}
		for range 1 + rnd.IntN(6) {
			switch rnd.IntN(9) {
			case 0, 1:
				event(ActDispatch, storage.StateDispatched, dep)
			case 2:
				event(ActAccept, storage.StateAccepted, dep)
			case 3, 4:
				event(ActResolve, storage.StateResolved, 0)
			case 5:
				event(ActReturn, storage.StateSubmitted, dep)
			case 6:
				event("reopen", storage.StateReopened, 0)
			case 7:
				event(pick([]string{ActRate, ActCallback}), storage.StateClosed, 0)
			case 8:
				event(pick([]string{ActReject, ActCancel}), storage.StateRejected, 0)
			}
		}
		rating, note, duplicateOf := "", "", int64(0)
		if state == storage.StateClosed {
			rating, note = pick([]string{storage.RatingSatisfied, storage.RatingBasic, storage.RatingUnsatisfied}), pick([]string{"", "", "再快点"})
		}
		if i%7 == 0 && len(originals) > 0 { // a follower merged into an earlier ticket, rated on its own
			duplicateOf = originals[rnd.IntN(len(originals))]
			event(ActDuplicate, storage.StateClosed, 0)
			event(ActRate, storage.StateClosed, 0)
			rating = pick([]string{storage.RatingSatisfied, storage.RatingUnsatisfied})
		} else {
			originals = append(originals, id)
		}
		var ratedAt any
		if rating == "" && i%11 == 0 { // rated by an older Qiao: a stored rating without an audit entry
			rating, note = storage.RatingBasic, "旧评价"
		}
		if rating != "" {
			ratedAt = at.Unix()
		}
		exec(`UPDATE requests SET state = ?, rating = ?, rating_note = ?, rated_at = ?, duplicate_of = ?, stage_due_at = ? WHERE id = ?`,
			state, rating, note, ratedAt, nullable(duplicateOf), at.Add(time.Duration(rnd.IntN(96)-24)*time.Hour).Unix(), id)
	}
}

// sameSatisfaction checks that the window's rating events (RatingEventsIn)
// give the same first-time and final satisfaction, and the same events in the
// window, as every rating of the community's history (RatingEvents).
func sameSatisfaction(t *testing.T, tx *storage.Tx, cid int64, from, to time.Time) {
	t.Helper()
	all, err := tx.RatingEvents(cid, to)
	if err != nil {
		t.Fatal(err)
	}
	some, err := tx.RatingEventsIn(cid, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := storage.SatisfactionOf(some, from, to), storage.SatisfactionOf(all, from, to); got != want {
		t.Errorf("[%v, %v): satisfaction %+v from the window's ratings, %+v from all", from, to, got, want)
	}
	if got, err := tx.SatisfactionIn(cid, from, to); err != nil {
		t.Fatal(err)
	} else if want := storage.SatisfactionOf(all, from, to); got != want {
		t.Errorf("[%v, %v): satisfaction %+v from the rating summaries, %+v from all", from, to, got, want)
	}
	in := func(events []storage.RatingEvent) []storage.RatingEvent {
		var out []storage.RatingEvent
		for _, e := range events {
			if !e.At.Before(from) {
				out = append(out, e)
			}
		}
		return out
	}
	if got, want := in(some), in(all); !reflect.DeepEqual(got, want) {
		t.Errorf("[%v, %v): the window's ratings\n got %+v\nwant %+v", from, to, got, want)
	}
}
