package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/storage"
)

type pollLine struct {
	P         storage.Poll
	Ref       string
	Community storage.Community
	Chart     bool // a chart can be drawn (someone voted, results not hidden)
}

// polls lists the polls of the communities the viewer oversees, newest first.
func (s *Server) polls(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	var lines []pollLine
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		return eachPoll(tx, v, func(cm storage.Community, p storage.Poll) error {
			_, ballots, err := tx.TallyPoll(p.ID, len(p.Options))
			lines = append(lines, pollLine{P: p, Ref: polls.Ref(p.ID), Community: cm, Chart: ballots > 0 && !resultsHidden(p)})
			return err
		})
	})
	if err != nil {
		return err
	}
	s.render(w, r, v, http.StatusOK, "polls.html", lines, nil)
	return nil
}

// eachPoll calls fn with the latest polls of each community the viewer
// oversees, newest first.
func eachPoll(tx *storage.Tx, v *Viewer, fn func(storage.Community, storage.Poll) error) error {
	for _, cm := range v.Whole {
		list, err := tx.RecentPolls(cm.ID, 50)
		if err != nil {
			return err
		}
		for _, p := range list {
			if err := fn(cm, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// resultsHidden: the chat's secrecy rule, no result of an open anonymous
// poll or one hiding its results.
func resultsHidden(p storage.Poll) bool { return p.Open() && (p.HideResults || p.Anonymous) }

// pollChart draws a poll's result chart (handlers/polls, as #结果 sends it).
func (s *Server) pollChart(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var png []byte
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		for _, cm := range v.Whole {
			p, err := tx.FindPoll(cm.ID, id)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			png, err = polls.ChartPNG(tx, s.Outbox, v.Lang, p, bot.Location(cm.Timezone))
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if png == nil {
		return storage.ErrNotFound
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(png)
	return err
}
