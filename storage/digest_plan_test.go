package storage_test

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// traced is a statement a transaction ran.
type traced struct {
	query string
	args  []any
}

// digestQueries runs every digest and report query once and returns the
// statements they ran.
func digestQueries(t *testing.T, db *storage.DB, cid int64) []traced {
	t.Helper()
	var got []traced
	db.SetTracer(&storage.Tracer{Stmt: func(_ bool, q string, args []any) {
		got = append(got, traced{q, append([]any(nil), args...)})
	}})
	defer db.SetTracer(nil)
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	from := now.Add(-24 * time.Hour)
	err := db.View(ctx, func(tx *storage.Tx) error {
		if _, err := tx.CountNewRequests(cid, from, now); err != nil {
			return err
		}
		if _, err := tx.CountTicketsByState(cid); err != nil {
			return err
		}
		if _, _, err := tx.OverdueRequests(cid, now, 10); err != nil {
			return err
		}
		if _, err := tx.CountEvents(cid, from, now, "resolve", "answer"); err != nil {
			return err
		}
		if _, err := tx.CountRatings(cid, from, now); err != nil {
			return err
		}
		if _, _, err := tx.RatingComments(cid, from, now, 10); err != nil {
			return err
		}
		if _, err := tx.OpenPollSummaries(cid); err != nil {
			return err
		}
		if _, err := tx.ClosedPollSummaries(cid, from, now); err != nil {
			return err
		}
		// The 三率 (requests.Jobs.Rates, shown in the 日报) and the 回访 list.
		for _, action := range []string{"dispatch", "return", "resolve", "rate", "callback"} {
			if _, err := tx.FindEvents(cid, action, from, now); err != nil {
				return err
			}
		}
		if _, err := tx.FindRequests(storage.RequestFilter{CommunityID: cid, Kinds: []string{storage.KindRepair, storage.KindComplaint},
			States: storage.OpenStates(storage.KindRepair), DueBefore: now, To: now}); err != nil {
			return err
		}
		if _, err := tx.WindowEvents(cid, "dispatch", from, now, "accept", "resolve", "return"); err != nil {
			return err
		}
		if _, err := tx.WindowEvents(cid, "return", from, now); err != nil {
			return err
		}
		// Yesterday and this month together, as the 日报 reads them.
		if _, err := tx.CountDue(cid, storage.Period{From: from, To: now, End: now},
			storage.Period{From: now.AddDate(0, -1, 0), To: now, End: now}); err != nil {
			return err
		}
		if _, err := tx.CountRated(cid, from, now); err != nil {
			return err
		}
		if _, err := tx.RatingEventsIn(cid, from, now); err != nil {
			return err
		}
		if _, err := tx.SatisfactionIn(cid, from, now); err != nil {
			return err
		}
		if _, err := tx.CallbackList(cid, 10); err != nil {
			return err
		}
		if _, err := tx.FollowerCallbacks(cid, 10); err != nil {
			return err
		}
		for _, perHousehold := range []bool{false, true} {
			if _, _, _, err := tx.PollTurnout(1, perHousehold); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// communityWithConn opens a database with the demo community and a second,
// raw connection to it for writing histories and explaining plans; both
// close with the test.
func communityWithConn(t *testing.T) (*storage.DB, int64, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "qiao.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cid := mustSync(t, db, demo())
	conn, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return db, cid, conn
}

// plan is EXPLAIN QUERY PLAN of q, one line per step.
func plan(t *testing.T, conn *sql.DB, q traced) []string {
	t.Helper()
	rows, err := conn.Query("EXPLAIN QUERY PLAN "+q.query, q.args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q.query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, detail)
	}
	return out
}

// TestDigestPlansNeedNoStatistics checks the digest's query plans on a
// database without sqlite_stat1 (Qiao's state until PRAGMA optimize decides
// to analyse) and after ANALYZE: requests and request_events are always
// searched through an index, never scanned whole.
func TestDigestPlansNeedNoStatistics(t *testing.T) {
	db, cid, conn := communityWithConn(t)
	// Drop whatever PRAGMA optimize gathered at open: the plans below must
	// not need it.
	if _, err := conn.Exec(`DROP TABLE IF EXISTS sqlite_stat1`); err != nil {
		t.Fatal(err)
	}
	// A history shaped like production's: many finished requests, each with an event.
	if _, err := conn.Exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 500)
		INSERT INTO requests (community_id, kind, category, text, person_id, state, rating, rated_at, stage_due_at, created_at, updated_at)
		SELECT ?, CASE i % 2 WHEN 0 THEN 'repair' ELSE 'suggestion' END, 'water', 'r' || i,
			(SELECT id FROM people LIMIT 1), CASE WHEN i % 50 = 0 THEN 'accepted' ELSE 'closed' END,
			'satisfied', 1700000000 + i * 3600, 1700000000 + i * 3600, 1700000000 + i * 3600, 1700000000 + i * 3600 FROM seq`, cid); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`INSERT INTO request_events (request_id, action, created_at) SELECT id, 'resolve', created_at FROM requests`); err != nil {
		t.Fatal(err)
	}
	// Ratings given in digestQueries' window to requests whose stored rating
	// is older: RatingEventsIn then runs its second statement too.
	if _, err := conn.Exec(`INSERT INTO request_events (request_id, action, note, created_at)
		SELECT id, 'rate', 'satisfied', ? FROM requests WHERE rated_at IS NOT NULL LIMIT 3`,
		time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC).Unix()); err != nil {
		t.Fatal(err)
	}
	// One of them rated before the window too: SatisfactionIn reads its
	// ratings one by one.
	if _, err := conn.Exec(`INSERT INTO request_events (request_id, action, note, created_at)
		SELECT request_id, 'rate', 'basic', ? FROM request_events WHERE action = 'rate' LIMIT 1`,
		time.Date(2026, 11, 20, 7, 0, 0, 0, time.UTC).Unix()); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T) {
		queries := digestQueries(t, db, cid)
		if len(queries) < 9 {
			t.Fatalf("traced %d statements, want every digest query", len(queries))
		}
		if !slices.ContainsFunc(queries, func(q traced) bool { return strings.Contains(q.query, "older(id) AS") }) {
			t.Error("RatingEventsIn's statement for older stored ratings did not run")
		}
		if !slices.ContainsFunc(queries, func(q traced) bool { return strings.Contains(q.query, "FROM request_rating_events") }) {
			t.Error("SatisfactionIn's statement for a request rated across the window's edge did not run")
		}
		for _, q := range queries {
			if strings.HasPrefix(q.query, "PRAGMA") {
				continue
			}
			steps := plan(t, conn, q)
			for _, s := range steps {
				if bad := wholeTableStep(s); bad != "" {
					t.Errorf("%s: %q in the plan of\n%s\n%s", bad, s, q.query, strings.Join(steps, "\n"))
				}
			}
			// The 三率's rate entries (migration 0023): the window's range of
			// the primary key, never a community's whole history.
			if strings.Contains(q.query, "FROM rate_entries") && !slices.ContainsFunc(steps, func(s string) bool {
				return strings.HasSuffix(s, "USING PRIMARY KEY (community_id=? AND measure=? AND at>? AND at<?)")
			}) {
				t.Errorf("rate entries are not read by window:\n%s", strings.Join(steps, "\n"))
			}
			// Events first, through an index bounded by time (request_events_time,
			// or request_events_action when the query names the action too).
			// (An EXISTS over one request's events is read by request: not a history read.)
			if strings.Contains(q.query, "FROM request_events e") && !strings.Contains(strings.Join(strings.Fields(q.query), " "), "EXISTS ( SELECT 1 FROM request_events e") &&
				!strings.Contains(q.query, "EXISTS (SELECT 1 FROM request_events e") &&
				!byTime(eventsStep(q.query, steps)) {
				t.Errorf("events are not read by time first:\n%s", strings.Join(steps, "\n"))
			}
		}
	}
	t.Run("without statistics", check)
	if _, err := conn.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	t.Run("after ANALYZE", check)
}

// byTime reports whether a plan step reads events through an index bounded
// by time (covering or not).
func byTime(step string) bool {
	return (strings.HasPrefix(step, "SEARCH e USING INDEX request_events_") ||
		strings.HasPrefix(step, "SEARCH e USING COVERING INDEX request_events_")) && strings.Contains(step, "created_at>")
}

// eventsStep is the step that reads the events: the first, or in a WITH
// query (the window's events materialised first) the first that reads e.
func eventsStep(query string, steps []string) string {
	if strings.HasPrefix(strings.TrimSpace(query), "WITH") {
		for _, s := range steps {
			if strings.HasPrefix(s, "SEARCH e ") || strings.HasPrefix(s, "SCAN e ") {
				return s
			}
		}
	}
	return steps[0]
}

// wholeTableStep says what is wrong with a plan step that reads a whole
// history table, or all of a community's rows in one, or "" if nothing is.
// Configuration tables (departments) are small and may be scanned, and so
// may a subquery's own result and the 三率's window CTEs (resolved, rated:
// the requests with an event in the window, storage/rates.go; older, the
// window's rated requests whose stored rating is older, storage/ratings.go;
// overdue, the first few overdue requests; request_rating_events, one
// request's ratings, the view of migration 0021 searched by request).
func wholeTableStep(step string) string {
	small := []string{"SCAN d ", "SCAN departments", "SCAN CONSTANT", "SCAN (subquery", "SCAN resolved", "SCAN rated", "SCAN older", "SCAN overdue", "SCAN request_rating_events"}
	if strings.HasPrefix(step, "SCAN ") && !slices.ContainsFunc(small, func(p string) bool { return strings.HasPrefix(step, p) }) {
		return "full scan"
	}
	if strings.HasSuffix(step, "(community_id=?)") {
		return "every row of the community"
	}
	return ""
}
