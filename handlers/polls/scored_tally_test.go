package polls_test

import (
	"math"
	"testing"

	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/storage"
)

func TestScoreCandidatesWeighsPanelAndResidents(t *testing.T) {
	p := storage.Poll{Options: []string{"A", "B", "C", "D"}, MaxChoices: 2, Panel: []int64{7}, PanelWeight: 60,
		Criteria: []storage.Criterion{{Name: "卫生", Weight: 40}, {Name: "管理", Weight: 30}, {Name: "邻里", Weight: 30}}}
	x := storage.NoScore
	sheets := []storage.Sheet{
		{Panel: true, Scores: map[int][]int{1: {5, 4, 3}, 2: {4, 4, 4}, 3: {3, 3, 3}, 4: {5, 5, 5}}},
		{Scores: map[int][]int{1: {4, 4, 4}, 2: {5, 5, 5}, 3: {5, 5, 5}}},
		{Scores: map[int][]int{1: {2, x, 4}, 2: {5, 5, 5}}},
	}
	r := polls.ScoreCandidates(p, sheets)
	// By hand: A panel 0.4·5+0.3·4+0.3·3 = 4.1; residents 0.4·3+0.3·4+0.3·4 = 3.6 → 0.6·4.1+0.4·3.6 = 3.9.
	// B panel 4; residents 5 → 4.4. C panel 3; residents 5 → 3.8. D: no residents' scores → not ranked.
	want := map[string]float64{"A": 3.9, "B": 4.4, "C": 3.8}
	order := []string{"B", "A", "C", "D"}
	for i, s := range r.Standings {
		if s.Text != order[i] {
			t.Fatalf("place %d is %s, want %s", i+1, s.Text, order[i])
		}
		if w, ok := want[s.Text]; ok && (!s.Ranked || math.Abs(s.Score-w) > 1e-9) {
			t.Errorf("%s scores %v (ranked %v), want %v", s.Text, s.Score, s.Ranked, w)
		}
	}
	if d := r.Standings[3]; d.Ranked || d.Winner {
		t.Errorf("D without residents' scores is ranked %v, winner %v", d.Ranked, d.Winner)
	}
	if !r.Standings[0].Winner || !r.Standings[1].Winner || r.Standings[2].Winner || r.TieAtCut {
		t.Errorf("top 2 should be B and A without a tie: %+v", r.Standings)
	}
	if r.PanelSheets != 1 || r.ResidentSheets != 2 || r.Standings[1].ResidentSheets != 2 {
		t.Errorf("sheets: panel %d residents %d, A by %d residents", r.PanelSheets, r.ResidentSheets, r.Standings[1].ResidentSheets)
	}
	// Means per criterion of A: 卫生 0.6·5+0.4·3 = 4.2.
	if m := r.Standings[1].Means[0]; math.Abs(m-4.2) > 1e-9 {
		t.Errorf("A's 卫生 mean %v, want 4.2", m)
	}
}

func TestScoreCandidatesCallsOutATieAtTheCut(t *testing.T) {
	p := storage.Poll{Options: []string{"A", "B", "C"}, MaxChoices: 1, Criteria: []storage.Criterion{{Name: "x", Weight: 1}}}
	sheets := []storage.Sheet{{Scores: map[int][]int{1: {4}, 2: {4}, 3: {2}}}}
	r := polls.ScoreCandidates(p, sheets)
	if !r.TieAtCut || !r.Standings[0].Tie || !r.Standings[1].Winner || r.Standings[0].Rank != 1 || r.Standings[1].Rank != 1 {
		t.Errorf("A and B tie for the one seat: %+v", r)
	}
}
