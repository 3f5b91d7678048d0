package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/storage"
)

// queueLimit bounds the rows a queue shows (newest first).
const queueLimit = 300

// queueFilter is the queue's filters, from the query string.
type queueFilter struct {
	State string // open (default), overdue, all, or a display state
	Dept  string // department name
	Grid  string // grid name
	Kind  string
}

type queueData struct {
	Filter      queueFilter
	Rows        []row
	States      []string
	Kinds       []string
	Depts       []string
	Grids       []string
	CanDispatch bool
}

func readFilter(r *http.Request) queueFilter {
	q := r.URL.Query()
	f := queueFilter{State: q.Get("state"), Dept: q.Get("dept"), Grid: q.Get("grid"), Kind: q.Get("kind")}
	if f.State == "" {
		f.State = "open"
	}
	return f
}

// queue lists the viewer's share with filters; overdue tickets are marked.
func (s *Server) queue(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	return s.showQueue(v, w, r, nil)
}

func (s *Server) showQueue(v *Viewer, w http.ResponseWriter, r *http.Request, replies []string) error {
	f := readFilter(r)
	data := queueData{Filter: f, States: storage.DisplayStates(),
		Kinds:       []string{storage.KindRepair, storage.KindComplaint, storage.KindSuggestion, storage.KindNeed},
		CanDispatch: v.Person.IsStaff() || v.Person.Has(storage.RoleGridWorker, "")}
	now := s.now()
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		dir, err := newDirectory(tx, v)
		if err != nil {
			return err
		}
		data.Depts = dir.deptNames(v)
		for _, id := range v.communityIDs() {
			for _, name := range dir.grids[id] {
				if !slices.Contains(data.Grids, name) {
					data.Grids = append(data.Grids, name)
				}
			}
		}
		slices.Sort(data.Grids)
		list, err := v.requests(tx, storage.RequestFilter{})
		if err != nil {
			return err
		}
		for _, req := range list {
			x := dir.row(v, req, requests.IsOverdue(req, now))
			if f.matches(x) {
				data.Rows = append(data.Rows, x)
			}
			if len(data.Rows) == queueLimit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.render(w, r, v, http.StatusOK, "queue.html", data, replies)
	return nil
}

func (f queueFilter) matches(x row) bool {
	state := storage.DisplayState(x.R.Kind, x.R.State)
	switch f.State {
	case "all":
	case "open":
		if !storage.IsOpen(x.R.Kind, x.R.State) {
			return false
		}
	case "overdue":
		if !x.Overdue {
			return false
		}
	default:
		if state != f.State {
			return false
		}
	}
	return (f.Dept == "" || x.Dept == f.Dept) && (f.Grid == "" || x.Grid == f.Grid) && (f.Kind == "" || x.R.Kind == f.Kind)
}

// bulkDispatch sends one "#派单 R12 物业" per chosen ticket through the engine.
func (s *Server) bulkDispatch(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		s.render(w, r, v, http.StatusBadRequest, "message.html", "web.bad_request", nil)
		return nil
	}
	dept := strings.TrimSpace(r.PostForm.Get("dept"))
	refs := r.PostForm["ticket"]
	if dept == "" || len(refs) == 0 || len(refs) > maxBulk {
		return s.showQueue(v, w, r, []string{s.text(v.Lang, "web.bulk_usage", map[string]int{"Max": maxBulk})})
	}
	var texts []string
	for _, ref := range refs {
		if !refRE.MatchString(ref) || strings.ContainsAny(dept, "\n#") {
			return s.showQueue(v, w, r, []string{s.text(v.Lang, "web.bulk_usage", map[string]int{"Max": maxBulk})})
		}
		texts = append(texts, "#派单 "+ref+" "+dept)
	}
	replies, err := s.act(r.Context(), v, texts...)
	if err != nil {
		return err
	}
	return s.showQueue(v, w, r, replies)
}
