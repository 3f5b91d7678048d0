package polls

import (
	"slices"
)

// Standing is one option's place in a result.
type Standing struct {
	Index  int // 1-based option number
	Text   string
	Votes  int
	Rank   int  // competition ranking: 1, 2, 2, 4
	Tie    bool // another option has as many votes
	Winner bool // within the seats (rank ≤ seats) and with at least one vote
}

// Result is a poll's tally, ranked.
type Result struct {
	Standings []Standing // by votes, then option number
	Ballots   int
	Seats     int // how many options win: the poll's maximum choices
	// TieAtCut is set when options tied at the last winning place would take
	// more seats than there are: a tie someone has to resolve.
	TieAtCut bool
}

// Rank builds a result from the counts of each option (counts[i] for option
// i+1). seats is how many options win (1 for a single-choice poll).
func Rank(options []string, counts []int, ballots, seats int) Result {
	r := Result{Ballots: ballots, Seats: max(seats, 1)}
	for i, text := range options {
		r.Standings = append(r.Standings, Standing{Index: i + 1, Text: text, Votes: counts[i]})
	}
	slices.SortStableFunc(r.Standings, func(a, b Standing) int { return b.Votes - a.Votes })
	byVotes := map[int]int{}
	for _, s := range r.Standings {
		byVotes[s.Votes]++
	}
	winners := 0
	for i := range r.Standings {
		s := &r.Standings[i]
		if i > 0 && s.Votes == r.Standings[i-1].Votes {
			s.Rank = r.Standings[i-1].Rank
		} else {
			s.Rank = i + 1
		}
		s.Tie = byVotes[s.Votes] > 1
		s.Winner = s.Votes > 0 && s.Rank <= r.Seats
		if s.Winner {
			winners++
		}
	}
	r.TieAtCut = winners > r.Seats
	return r
}

// Winners are the winning standings.
func (r Result) Winners() []Standing {
	var out []Standing
	for _, s := range r.Standings {
		if s.Winner {
			out = append(out, s)
		}
	}
	return out
}
