package requests

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// addSatisfaction sets the rating figures of s from the whole rating history
// of the listed requests (storage.SatisfactionOf, the one definition): the
// totals and the 满意率 are final satisfaction (each request's latest rating),
// FirstRated and FirstGood first-time satisfaction (each one's first rating),
// and Comments counts every comment given with a rating, also one a later
// rating replaced.
func (s *Stats) addSatisfaction(tx *storage.Tx, communityID int64, list []storage.Request, now time.Time) error {
	to := now.Add(time.Second) // ratings are stored by the second
	events, err := tx.RatingEvents(communityID, to)
	if err != nil {
		return err
	}
	listed := make(map[int64]bool, len(list))
	for _, r := range list {
		listed[r.ID] = true
	}
	var mine []storage.RatingEvent
	s.Comments = 0
	for _, e := range events {
		if listed[e.RequestID] {
			mine = append(mine, e)
			if e.Note != "" {
				s.Comments++
			}
		}
	}
	sat := storage.SatisfactionOf(mine, time.Time{}, to)
	s.Rated, s.Good = sat.Final.Rated(), sat.Final.Good()
	s.Satisfied, s.Basic, s.Unsatisfied = sat.Final.Satisfied, sat.Final.Basic, sat.Final.Unsatisfied
	s.FirstRated, s.FirstGood = sat.First.Rated(), sat.First.Good()
	return nil
}
