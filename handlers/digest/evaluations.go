package digest

import (
	"strconv"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/storage"
)

// EvaluationLine is a scored evaluation (十佳楼栋) in a digest: running, with
// its sheets so far, or closed in the period, with its chosen candidates.
type EvaluationLine struct {
	Ref, Title string
	Open       bool
	// Sheets so far: the panel's against its size, the residents' against the
	// electorate (households for 一户一票), as polls count turnout.
	PanelSheets, PanelSize int
	Voters, Eligible       int
	Configured             bool
	Deadline               time.Time
	HasDeadline            bool
	// Closed ones: the chosen top N (ties at the cut included) and whether the
	// tie leaves the choice to staff.
	Winners  []EvaluationWinner
	Seats    int
	TieAtCut bool
}

// EvaluationWinner is one chosen candidate with its final score.
type EvaluationWinner struct {
	Rank        int
	Text, Score string
	Tie         bool
}

// evaluations reads a community's scored evaluations running now and those
// closed in [from, to). A running one shows counts only, never scores: an
// anonymous evaluation shows none until it closes, and the digest keeps every
// evaluation to that rule.
func evaluations(tx *storage.Tx, communityID int64, from, to time.Time, loc *time.Location) ([]EvaluationLine, error) {
	list, err := tx.DigestEvaluations(communityID, from, to)
	if err != nil {
		return nil, err
	}
	var out []EvaluationLine
	for _, p := range list {
		line, err := evaluationLine(tx, p, loc)
		if err != nil {
			return nil, err
		}
		out = append(out, line)
	}
	return out, nil
}

func evaluationLine(tx *storage.Tx, p storage.Poll, loc *time.Location) (EvaluationLine, error) {
	l := EvaluationLine{Ref: bot.FormatRef("P", p.ID), Title: p.Title, Open: p.Open(), PanelSize: len(p.Panel),
		Seats: max(p.MaxChoices, 1), HasDeadline: !p.Deadline.IsZero()}
	if l.HasDeadline {
		l.Deadline = p.Deadline.In(loc)
	}
	var err error
	if l.Voters, l.Eligible, l.Configured, err = tx.PollTurnout(p.ID, p.PerHousehold); err != nil {
		return l, err
	}
	sheets, err := tx.PollSheets(p.ID)
	if err != nil {
		return l, err
	}
	for _, s := range sheets {
		if s.Panel {
			l.PanelSheets++
		}
	}
	if l.Open {
		return l, nil
	}
	r := polls.ScoreCandidates(p, sheets)
	l.TieAtCut = r.TieAtCut
	for _, s := range r.Standings {
		if s.Winner {
			l.Winners = append(l.Winners, EvaluationWinner{Rank: s.Rank, Text: s.Text,
				Score: strconv.FormatFloat(s.Score, 'f', 2, 64), Tie: s.Tie})
		}
	}
	return l, nil
}

// withoutEvaluations drops the scored evaluations from the running polls: the
// digest lists them on their own, with sheets rather than votes.
func withoutEvaluations(lines []PollLine, evals []EvaluationLine) []PollLine {
	skip := map[string]bool{}
	for _, e := range evals {
		skip[e.Ref] = true
	}
	out := lines[:0]
	for _, l := range lines {
		if !skip[l.Ref] {
			out = append(out, l)
		}
	}
	return out
}

// closedOnly keeps the evaluations that closed: the weekly summary names
// winners, not evaluations under way.
func closedOnly(evals []EvaluationLine) []EvaluationLine {
	var out []EvaluationLine
	for _, e := range evals {
		if !e.Open {
			out = append(out, e)
		}
	}
	return out
}
