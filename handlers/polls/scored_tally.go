package polls

import (
	"math"

	"github.com/qiao-community/qiao/storage"
)

// ScoredStanding is one candidate's place in a scored evaluation.
type ScoredStanding struct {
	Standing                  // Index, Text, Rank, Tie, Winner (Votes is the score × 10000)
	Score           float64   // the weighted mean on the evaluation's scale
	Means           []float64 // per criterion, panel and residents weighted together
	PanelSheets     int       // sheets that scored this candidate
	ResidentSheets  int
	Ranked          bool // false: a side with weight has not scored every criterion yet
	PanelScore      float64
	ResidentScore   float64
	HasPanelScore   bool
	HasResidentPart bool
}

// ScoredResult is a scored evaluation's ranking.
type ScoredResult struct {
	Standings                   []ScoredStanding // by score, then candidate number; unranked last
	Seats                       int
	TieAtCut                    bool
	PanelSheets, ResidentSheets int
}

// scorePrecision is how finely scores are compared: two candidates whose
// weighted means agree to four decimals are tied.
const scorePrecision = 10000

// ScoreCandidates ranks a scored evaluation's candidates. For each candidate,
// each side (panel, residents) and each criterion, the mean of the scores given
// is taken; the side's score is the weighted sum of its means (weights
// normalised by their sum); the final score is panel weight × panel score +
// (100 − panel weight) × residents' score. A candidate a side with a weight
// has not scored on every criterion is not ranked.
func ScoreCandidates(p storage.Poll, sheets []storage.Sheet) ScoredResult {
	alpha := 0.0
	if len(p.Panel) > 0 {
		alpha = float64(p.PanelWeight) / 100
	}
	total := 0
	for _, c := range p.Criteria {
		total += c.Weight
	}
	weights := make([]float64, len(p.Criteria))
	for i, c := range p.Criteria {
		weights[i] = float64(c.Weight) / float64(max(total, 1))
	}
	r := ScoredResult{Seats: max(p.MaxChoices, 1)}
	for _, s := range sheets {
		if s.Panel {
			r.PanelSheets++
		} else {
			r.ResidentSheets++
		}
	}
	counts := make([]int, len(p.Options))
	byIndex := map[int]ScoredStanding{}
	for i, text := range p.Options {
		st := scoreOne(i+1, sheets, weights, alpha)
		st.Text = text
		counts[i] = -1
		if st.Ranked {
			counts[i] = int(math.Round(st.Score * scorePrecision))
		}
		byIndex[i+1] = st
	}
	ranked := Rank(p.Options, counts, r.ResidentSheets+r.PanelSheets, r.Seats)
	r.TieAtCut = ranked.TieAtCut
	for _, s := range ranked.Standings {
		st := byIndex[s.Index]
		st.Standing = s
		st.Text = p.Options[s.Index-1]
		st.Winner = st.Ranked && s.Rank <= r.Seats
		st.Tie = st.Ranked && s.Tie
		r.Standings = append(r.Standings, st)
	}
	return r
}

// scoreOne computes one candidate's means and scores.
func scoreOne(cand int, sheets []storage.Sheet, weights []float64, alpha float64) ScoredStanding {
	n := len(weights)
	sum := [2][]float64{make([]float64, n), make([]float64, n)} // 0: residents, 1: panel
	cnt := [2][]int{make([]int, n), make([]int, n)}
	st := ScoredStanding{Standing: Standing{Index: cand}, Means: make([]float64, n)}
	for _, s := range sheets {
		scores, ok := s.Scores[cand]
		if !ok {
			continue
		}
		side := 0
		if s.Panel {
			side = 1
			st.PanelSheets++
		} else {
			st.ResidentSheets++
		}
		for c := 0; c < n && c < len(scores); c++ {
			if scores[c] != storage.NoScore {
				sum[side][c] += float64(scores[c])
				cnt[side][c]++
			}
		}
	}
	sideWeight := [2]float64{1 - alpha, alpha}
	complete := [2]bool{true, true}
	var sideScore [2]float64
	for side := range 2 {
		for c := range n {
			if cnt[side][c] == 0 {
				complete[side] = false
				continue
			}
			sideScore[side] += weights[c] * sum[side][c] / float64(cnt[side][c])
		}
	}
	st.Ranked = true
	for side := range 2 {
		if sideWeight[side] > 0 && !complete[side] {
			st.Ranked = false
		}
	}
	for c := range n {
		for side := range 2 {
			if cnt[side][c] > 0 && sideWeight[side] > 0 {
				st.Means[c] += sideWeight[side] * sum[side][c] / float64(cnt[side][c])
			}
		}
	}
	st.ResidentScore, st.HasResidentPart = sideScore[0], complete[0]
	st.PanelScore, st.HasPanelScore = sideScore[1], complete[1]
	if st.Ranked {
		st.Score = sideWeight[0]*sideScore[0] + sideWeight[1]*sideScore[1]
	}
	return st
}
