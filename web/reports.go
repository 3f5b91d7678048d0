package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// pickCommunity is the community a page is about: ?c=ID among those allowed,
// else the first.
func pickCommunity(r *http.Request, allowed []storage.Community) (storage.Community, bool) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("c"), 10, 64)
	for _, cm := range allowed {
		if cm.ID == id {
			return cm, true
		}
	}
	if len(allowed) == 0 {
		return storage.Community{}, false
	}
	return allowed[0], true
}

type digestData struct {
	Community   storage.Community
	Communities []storage.Community
	Date        string
	Days        []string
	Text        string
}

// digests shows the 日报 of a past day (the same text the bot posts).
func (s *Server) digests(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	cm, _ := pickCommunity(r, v.Whole)
	loc := bot.Location(cm.Timezone)
	today := s.now().In(loc)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	day := today.AddDate(0, 0, -1)
	if d, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("date"), loc); err == nil && !d.After(today) {
		day = d
	}
	data := digestData{Community: cm, Communities: v.Whole, Date: day.Format("2006-01-02")}
	for i := 1; i <= 14; i++ {
		data.Days = append(data.Days, today.AddDate(0, 0, -i).Format("2006-01-02"))
	}
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		// Up to the day's last second, so the digest is titled with that day.
		daily, err := s.Digests.DailyData(tx, cm, day, day.AddDate(0, 0, 1).Add(-time.Second))
		if err != nil {
			return err
		}
		data.Text, err = s.Outbox.Render(v.Lang, prompts.DigestDaily, daily)
		return err
	})
	if err != nil {
		return err
	}
	s.render(w, r, v, http.StatusOK, "digests.html", data, nil)
	return nil
}

// search finds requests in the viewer's share by their text (FTS5 trigram).
func (s *Server) search(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	data := struct {
		Q           string
		Rows        []row
		CanDispatch bool // the shared rows template offers no bulk action here
	}{Q: q}
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		dir, err := newDirectory(tx, v)
		if err != nil {
			return err
		}
		found, err := tx.SearchRequests(v.communityIDs(), q, 500)
		for _, req := range found {
			if v.Sees(req) && len(data.Rows) < 100 {
				data.Rows = append(data.Rows, dir.row(v, req, requests.IsOverdue(req, s.now())))
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	s.render(w, r, v, http.StatusOK, "search.html", data, nil)
	return nil
}

// exportCommunities are the communities the viewer may export: those seen
// whole, else the home community (their share of it).
func exportCommunities(v *Viewer) []storage.Community {
	if len(v.Whole) > 0 {
		return v.Whole
	}
	return []storage.Community{v.Home}
}

// exports offers the requests ledger of a month as an xlsx download.
func (s *Server) exports(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	data := struct {
		Communities []storage.Community
		Month       string
	}{Communities: exportCommunities(v), Month: s.now().In(bot.Location(v.Home.Timezone)).Format("2006-01")}
	s.render(w, r, v, http.StatusOK, "exports.html", data, nil)
	return nil
}

// exportRequests writes the ledger of the viewer's share of a month's requests
// (handlers/requests, the rows #导出 工单 sends).
func (s *Server) exportRequests(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	cm, _ := pickCommunity(r, exportCommunities(v))
	loc := bot.Location(cm.Timezone)
	from, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), loc)
	if err != nil {
		s.render(w, r, v, http.StatusBadRequest, "message.html", "web.bad_request", nil)
		return nil
	}
	var buf bytes.Buffer
	err = s.DB.View(r.Context(), func(tx *storage.Tx) error {
		all, err := v.requests(tx, storage.RequestFilter{From: from, To: from.AddDate(0, 1, 0)})
		if err != nil {
			return err
		}
		var mine []storage.Request
		names := true                        // the reporter and assignee columns, for those who read details
		for i := len(all) - 1; i >= 0; i-- { // oldest first, as the chat export
			if all[i].CommunityID == cm.ID {
				mine = append(mine, all[i])
				names = names && v.ReadsDetails(all[i])
			}
		}
		return s.Requests.WriteLedger(&buf, tx, s.Outbox, v.Lang, cm, mine, names)
	})
	if err != nil {
		return err
	}
	name := fmt.Sprintf("工单-%s-%s.xlsx", cm.Key, from.Format("2006-01"))
	w.Header().Set("Content-Type", ledger.MIME)
	w.Header().Set("Content-Disposition", `attachment; filename="requests.xlsx"; filename*=UTF-8''`+pathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

type streetLine struct {
	Community storage.Community
	Stats     requests.Stats
	Response  string // 响应率
	Solution  string // 解决率
	Satisfied string // 满意率
}

// street is the 街道 rollup: this month's 三率 and overdue tickets of each
// community the viewer oversees, from the #统计 code.
func (s *Server) street(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	var lines []streetLine
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		for _, cm := range v.Whole {
			now := s.now().In(bot.Location(cm.Timezone))
			from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
			st, err := s.Requests.Overview(tx, cm, from, from.AddDate(0, 1, 0))
			if err != nil {
				return err
			}
			c := st.Rates.Community
			lines = append(lines, streetLine{Community: cm, Stats: st, Response: prompts.Percent(c.InTime, c.Dispatched),
				Solution: prompts.Percent(c.Solved, c.Due), Satisfied: prompts.Percent(c.Good(), c.Rated())})
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.render(w, r, v, http.StatusOK, "street.html", lines, nil)
	return nil
}
