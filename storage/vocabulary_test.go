package storage

import (
	"context"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// liveIndexRE finds the partial indexes over live requests and their state list.
var liveIndexRE = regexp.MustCompile(`(?s)CREATE INDEX (requests_live_\w+) ON requests\([^)]*\)\s*WHERE state IN \(([^)]*)\)`)

// TestLiveIndexesMatchTheVocabulary checks that the migrations' partial-index
// SQL literals read exactly as liveStates: SQLite uses a partial index only
// when the query's WHERE spells out the same terms.
func TestLiveIndexesMatchTheVocabulary(t *testing.T) {
	migs := mustSub(migrationFiles, "migrations")
	files, err := fs.Glob(migs, "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	found := map[string]bool{} // a later migration may widen one under the same name
	for _, f := range files {
		body, err := fs.ReadFile(migs, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range liveIndexRE.FindAllStringSubmatch(string(body), -1) {
			found[m[1]] = true
			if got := strings.Join(strings.Fields(m[2]), " "); got != liveStates {
				t.Errorf("%s: index %s lists states %s; storage/vocabulary.go says %s", f, m[1], got, liveStates)
			}
		}
	}
	if len(found) != 2 {
		t.Errorf("found %d requests_live_* indexes, want 2 (requests_live_state, requests_live_due)", len(found))
	}
}

// TestQueriesUseTheLiveIndex proves the agreement on a real file: the planner
// picks the partial index for a query built from the vocabulary.
func TestQueriesUseTheLiveIndex(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.read.Query(`EXPLAIN QUERY PLAN SELECT state, COUNT(*) FROM requests
		WHERE community_id = ? AND state IN (`+liveStates+`) AND kind IN (`+ticketKinds+`) GROUP BY state`, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "requests_live_state") {
		t.Errorf("the live-state query does not use requests_live_state:\n%s", strings.Join(plan, "\n"))
	}
}

func TestLiveStatesAreTheOpenOnesAndResolved(t *testing.T) {
	want := append(AllOpenStates(), StateResolved)
	got := LiveStates()
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("LiveStates = %v, want the open states and resolved: %v", got, want)
	}
	for _, s := range LiveStates() {
		if !slices.Contains(States(), s) {
			t.Errorf("live state %q is not a state", s)
		}
	}
}

func TestOpenAndFinal(t *testing.T) {
	for _, tc := range []struct {
		kind, state string
		open, final bool
	}{
		{KindRepair, StateSubmitted, true, false},
		{KindComplaint, StateReopened, true, false},
		{KindRepair, StateResolved, false, false}, // waits for a rating
		{KindRepair, StateClosed, false, true},
		{KindRepair, StateAdopted, false, true}, // not a ticket state
		{KindSuggestion, StateDeferred, true, false},
		{KindNeed, StateDispatched, false, true},
		{KindNeed, StateDone, false, true},
	} {
		if got := IsOpen(tc.kind, tc.state); got != tc.open {
			t.Errorf("IsOpen(%s, %s) = %v", tc.kind, tc.state, got)
		}
		if got := IsFinal(tc.kind, tc.state); got != tc.final {
			t.Errorf("IsFinal(%s, %s) = %v", tc.kind, tc.state, got)
		}
	}
	if OpenStates(KindRepair)[0] = "changed"; OpenStates(KindRepair)[0] != StateSubmitted {
		t.Error("OpenStates hands out its own list")
	}
}

func TestDisplayState(t *testing.T) {
	for _, tc := range []struct{ kind, state, want string }{
		{KindRepair, StateSubmitted, StateSubmitted},
		{KindSuggestion, StateSubmitted, StateUnanswered},
		{KindNeed, StateSubmitted, StateUnanswered},
		{KindNeed, StateAdopted, StateAdopted},
		{KindComplaint, StateAccepted, StateAccepted},
	} {
		if got := DisplayState(tc.kind, tc.state); got != tc.want {
			t.Errorf("DisplayState(%s, %s) = %s, want %s", tc.kind, tc.state, got, tc.want)
		}
	}
	if got := DisplayStates(); len(got) != len(States())+1 || got[1] != StateUnanswered {
		t.Errorf("DisplayStates = %v", got)
	}
}

func TestSatisfactionCountsSatisfiedAndBasic(t *testing.T) {
	var r Ratings
	for _, rating := range []string{RatingSatisfied, RatingSatisfied, RatingBasic, RatingUnsatisfied, "bogus"} {
		r.Add(rating)
	}
	if r.Rated() != 4 || r.Good() != 3 {
		t.Errorf("Rated, Good = %d, %d; want 4, 3 (an unknown rating is not counted)", r.Rated(), r.Good())
	}
}
