package web

import (
	"net/http"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/volunteers"
	"github.com/qiao-community/qiao/storage"
)

type volunteerData struct {
	Community   storage.Community
	Communities []storage.Community
	Month       string
	Sum         volunteers.Summary
	Names       bool // per person: the community's staff only
}

// volunteers shows a month's volunteer hours of a community the viewer
// oversees, per team and (to its staff) per person, counted as #导出 志愿 does.
func (s *Server) volunteers(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	cm, _ := pickCommunity(r, v.Whole)
	loc := bot.Location(cm.Timezone)
	now := s.now().In(loc)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	if m, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), loc); err == nil {
		from = m
	}
	data := volunteerData{Community: cm, Communities: v.Whole, Month: from.Format("2006-01"), Names: v.ReadsPeople(cm.ID)}
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		var err error
		data.Sum, err = volunteers.Summarise(tx, cm.ID, from, from.AddDate(0, 1, 0), loc, s.now())
		return err
	})
	if err != nil {
		return err
	}
	if !data.Names {
		data.Sum.People = nil
	}
	s.render(w, r, v, http.StatusOK, "volunteers.html", data, nil)
	return nil
}
