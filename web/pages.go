package web

import (
	"errors"
	"net/http"

	"github.com/qiao-community/qiao/storage"
)

// Page is one page or action of the site. Features add theirs to
// Server.Pages (see DefaultPages): the table is the site map.
type Page struct {
	// Pattern is the ServeMux pattern, method included: "GET /queue".
	Pattern string
	// Path and Menu (a prompt name) put the page in the menu; "" Menu keeps it out.
	Path, Menu string
	// Allow says who may open it; nil lets every logged-in viewer in (each
	// page still shows only the viewer's share).
	Allow func(*Viewer) bool
	// Serve answers. storage.ErrNotFound (returned before writing) is shown
	// as "not found"; any other error is logged and shown as an internal error.
	Serve func(s *Server, v *Viewer, w http.ResponseWriter, r *http.Request) error
}

// DefaultPages are the pages of the requests, polls, digests, projects,
// activities, volunteers and evaluations features. Pages of features built
// later are appended in cmd/qiao.
func DefaultPages() []Page {
	overseer := (*Viewer).Overseer
	return []Page{
		{Pattern: "GET /queue", Path: "/queue", Menu: "web.menu_queue", Serve: (*Server).queue},
		{Pattern: "POST /queue/dispatch", Serve: (*Server).bulkDispatch},
		{Pattern: "GET /tickets/{ref}", Serve: (*Server).ticket},
		{Pattern: "POST /tickets/{ref}", Serve: (*Server).ticketAction},
		{Pattern: "GET /tickets/{ref}/photos/{blob}", Serve: (*Server).photo},
		{Pattern: "GET /search", Path: "/search", Menu: "web.menu_search", Serve: (*Server).search},
		{Pattern: "GET /polls", Path: "/polls", Menu: "web.menu_polls", Allow: overseer, Serve: (*Server).polls},
		{Pattern: "GET /polls/{id}/chart.png", Allow: overseer, Serve: (*Server).pollChart},
		{Pattern: "GET /digests", Path: "/digests", Menu: "web.menu_digests", Allow: overseer, Serve: (*Server).digests},
		{Pattern: "GET /exports", Path: "/exports", Menu: "web.menu_exports", Serve: (*Server).exports},
		{Pattern: "GET /exports/requests.xlsx", Serve: (*Server).exportRequests},
		{Pattern: "GET /projects", Path: "/projects", Menu: "web.menu_projects", Allow: seesProjects, Serve: (*Server).projects},
		{Pattern: "GET /activities", Path: "/activities", Menu: "web.menu_activities", Allow: overseer, Serve: (*Server).activities},
		{Pattern: "GET /volunteers", Path: "/volunteers", Menu: "web.menu_volunteers", Allow: overseer, Serve: (*Server).volunteers},
		{Pattern: "GET /evaluations", Path: "/evaluations", Menu: "web.menu_evaluations", Allow: overseer, Serve: (*Server).evaluations},
		{Pattern: "GET /street", Path: "/street", Menu: "web.menu_street", Allow: overseer, Serve: (*Server).street},
	}
}

// page wraps a Page: a session is required, then the page's own rule.
func (s *Server) page(p Page) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := s.viewer(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if v == nil {
			s.message(w, r, http.StatusUnauthorized, "web.login_needed")
			return
		}
		if p.Allow != nil && !p.Allow(v) {
			s.render(w, r, v, http.StatusForbidden, "message.html", "web.forbidden", nil)
			return
		}
		err = p.Serve(s, v, w, r)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			// Outside the viewer's share answers exactly like absent.
			s.render(w, r, v, http.StatusNotFound, "message.html", "web.not_found", nil)
		case err != nil:
			s.fail(w, r, err)
		}
	}
}

// home sends a logged-in viewer to the queue.
func (s *Server) home(_ *Viewer, w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/queue", http.StatusSeeOther)
	return nil
}
