package web

import (
	"net/http"

	"github.com/qiao-community/qiao/handlers/activities"
	"github.com/qiao-community/qiao/storage"
)

// activitiesWindow is how far back the activities page reaches (days).
const activitiesWindow = 60

type activityLine struct {
	A         storage.Activity
	Ref       string
	Community storage.Community
	Counts    storage.SignupCounts
	Names     bool             // the viewer reads the sign-ups' names
	In, Wait  []storage.Signup // only with Names
}

// activities lists the activities of the communities the viewer oversees
// (the last two months and those to come), with sign-ups, waitlist and
// attendance: names for staff and the organiser, counts for the others (the
// chat's rule, #活动 A2).
func (s *Server) activities(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	var lines []activityLine
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		for _, cm := range v.Whole {
			list, err := tx.RecentActivities(cm.ID, s.now().AddDate(0, 0, -activitiesWindow), 50)
			if err != nil {
				return err
			}
			for _, a := range list {
				l := activityLine{A: a, Ref: activities.Ref(a.Number), Community: cm,
					Names: v.ReadsPeople(cm.ID) || a.CreatorID == v.Person.ID}
				if l.Counts, err = tx.CountSignups(a.ID); err != nil {
					return err
				}
				if l.Names {
					all, err := tx.Signups(a.ID)
					if err != nil {
						return err
					}
					for _, sg := range all {
						if sg.Status == storage.SignupWaiting {
							l.Wait = append(l.Wait, sg)
						} else {
							l.In = append(l.In, sg)
						}
					}
				}
				lines = append(lines, l)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.render(w, r, v, http.StatusOK, "activities.html", lines, nil)
	return nil
}
