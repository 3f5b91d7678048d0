package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/storage"
)

// refRE is what a request's reference looks like (R12, S3).
var refRE = regexp.MustCompile(`^[A-Za-z][0-9]{1,12}$`)

// findVisible returns the request a reference names when the viewer sees it;
// ErrNotFound otherwise, whether it exists or not.
func findVisible(tx *storage.Tx, v *Viewer, ref string) (storage.Request, error) {
	if !refRE.MatchString(ref) {
		return storage.Request{}, storage.ErrNotFound
	}
	id, _ := strconv.ParseInt(ref[1:], 10, 64)
	for _, cm := range v.communityIDs() {
		r, err := tx.FindRequest(cm, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return r, err
		}
		if v.Sees(r) && strings.EqualFold(requests.Ref(r.Kind, r.ID), ref) {
			return r, nil
		}
	}
	return storage.Request{}, storage.ErrNotFound
}

type eventLine struct {
	storage.RequestEvent
	Actor string
}

type ticketData struct {
	Row         row
	Reporter    string
	Events      []eventLine
	Photos      []storage.RequestBlob
	Depts       []string
	CanDispatch bool
	CanAccept   bool // a department member (the engine checks it is theirs)
	CanResolve  bool
	Staff       bool
}

// ticket shows a request: what was reported, its trail, photos and rating,
// and the actions the viewer may take (each one a chat command).
func (s *Server) ticket(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	return s.showTicket(v, w, r, nil)
}

func (s *Server) showTicket(v *Viewer, w http.ResponseWriter, r *http.Request, replies []string) error {
	var data ticketData
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		req, err := findVisible(tx, v, r.PathValue("ref"))
		if err != nil {
			return err
		}
		dir, err := newDirectory(tx, v)
		if err != nil {
			return err
		}
		data.Row = dir.row(v, req, requests.IsOverdue(req, s.now()))
		for _, d := range sortedDepts(dir.depts, req.CommunityID) {
			data.Depts = append(data.Depts, d.Name)
		}
		names := map[int64]string{}
		name := func(id int64) string {
			if id == 0 {
				return ""
			}
			if _, ok := names[id]; !ok {
				p, _ := tx.FindPerson(id)
				names[id] = p.Name
			}
			return names[id]
		}
		if v.ReadsDetails(req) {
			data.Reporter = name(req.PersonID)
		}
		events, err := tx.RequestEvents(req.ID)
		if err != nil {
			return err
		}
		for _, e := range events {
			data.Events = append(data.Events, eventLine{RequestEvent: e, Actor: name(e.ActorID)})
		}
		data.Photos, err = tx.RequestBlobs(req.ID)
		return err
	})
	if err != nil {
		return err
	}
	data.Staff = v.Person.IsStaff()
	data.CanDispatch = data.Staff || v.Person.Has(storage.RoleGridWorker, "")
	data.CanAccept = v.Person.Has(storage.RoleDepartment, "")
	data.CanResolve = data.Staff || data.CanAccept
	s.render(w, r, v, http.StatusOK, "ticket.html", data, replies)
	return nil
}

// ticketCommands are the chat commands the ticket page's buttons send.
var ticketCommands = map[string]string{
	"dispatch": "派单", "accept": "接单", "resolve": "办结", "callback": "回访", "supervise": "督办",
}

// ticketAction sends the chosen command about this ticket through the engine.
func (s *Server) ticketAction(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		_, err := findVisible(tx, v, ref)
		return err
	})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		s.render(w, r, v, http.StatusBadRequest, "message.html", "web.bad_request", nil)
		return nil
	}
	word, ok := ticketCommands[r.PostForm.Get("action")]
	// One line: a newline would start a second message's worth of text.
	arg := strings.Join(strings.Fields(r.PostForm.Get("arg")), " ")
	if !ok {
		s.render(w, r, v, http.StatusBadRequest, "message.html", "web.bad_request", nil)
		return nil
	}
	text := "#" + word + " " + strings.ToUpper(ref[:1]) + ref[1:]
	if arg != "" {
		text += " " + arg
	}
	replies, err := s.act(r.Context(), v, text)
	if err != nil {
		return err
	}
	return s.showTicket(v, w, r, replies)
}

// photo serves a picture of a request the viewer sees.
func (s *Server) photo(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	blobID, _ := strconv.ParseInt(r.PathValue("blob"), 10, 64)
	var blob storage.Blob
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		req, err := findVisible(tx, v, r.PathValue("ref"))
		if err != nil {
			return err
		}
		photos, err := tx.RequestBlobs(req.ID)
		if err != nil {
			return err
		}
		for _, p := range photos {
			if p.BlobID == blobID {
				blob, err = tx.FindBlob(blobID)
				return err
			}
		}
		return storage.ErrNotFound
	})
	if err != nil {
		return err
	}
	mime := blob.MIME
	if !strings.HasPrefix(mime, "image/") {
		mime = "application/octet-stream"
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(blob.Data)
	return err
}
