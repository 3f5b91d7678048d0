package web

import (
	"net/http"
	"strconv"

	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/storage"
)

type evaluationLine struct {
	P         storage.Poll
	Ref       string
	Community storage.Community
	Hidden    bool // open and anonymous or results hidden: nothing is shown
	Rows      []evaluationRow
}

type evaluationRow struct {
	Rank   int
	Text   string
	Score  string
	Ranked bool
	Winner bool
}

// evaluations ranks the scored evaluations of the communities the viewer
// oversees (handlers/polls.ScoreCandidates, the #结果 ranking); an open
// anonymous evaluation, or one hiding its results, shows no figure at all.
func (s *Server) evaluations(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	var lines []evaluationLine
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		return eachPoll(tx, v, func(cm storage.Community, p storage.Poll) error {
			if p.Kind != storage.PollScored {
				return nil
			}
			l := evaluationLine{P: p, Ref: polls.Ref(p.ID), Community: cm, Hidden: resultsHidden(p)}
			if !l.Hidden {
				sheets, err := tx.PollSheets(p.ID)
				if err != nil {
					return err
				}
				for _, st := range polls.ScoreCandidates(p, sheets).Standings {
					l.Rows = append(l.Rows, evaluationRow{Rank: st.Rank, Text: st.Text, Ranked: st.Ranked, Winner: st.Winner,
						Score: strconv.FormatFloat(st.Score, 'f', 2, 64)})
				}
			}
			lines = append(lines, l)
			return nil
		})
	})
	if err != nil {
		return err
	}
	s.render(w, r, v, http.StatusOK, "evaluations.html", lines, nil)
	return nil
}
