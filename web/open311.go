package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// The read-only GeoReport v2 (Open311) API for integrators: services.json
// and requests.json, behind a token. Personal data never leaves: no reporter,
// no room (the address is the building), phone and identity numbers masked in
// the description.

// open311Service is one entry of services.json.
type open311Service struct {
	Code        string `json:"service_code"`
	Name        string `json:"service_name"`
	Description string `json:"description"`
	Metadata    bool   `json:"metadata"`
	Type        string `json:"type"`
	Keywords    string `json:"keywords"`
	Group       string `json:"group"`
}

// open311Request is one entry of requests.json.
type open311Request struct {
	ID          string `json:"service_request_id"`
	Status      string `json:"status"` // open or closed
	StatusNotes string `json:"status_notes"`
	ServiceName string `json:"service_name"`
	ServiceCode string `json:"service_code"`
	Description string `json:"description"`
	Agency      string `json:"agency_responsible"`
	Requested   string `json:"requested_datetime"`
	Updated     string `json:"updated_datetime"`
	Address     string `json:"address"`
}

var open311Kinds = []string{storage.KindRepair, storage.KindComplaint, storage.KindSuggestion, storage.KindNeed}

// open311Limit bounds one answer; the default window is 90 days (as the spec suggests).
const open311Limit = 1000

func (s *Server) open311Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /open311/v2/services.json", s.open311(s.open311Services))
	mux.HandleFunc("GET /open311/v2/requests.json", s.open311(s.open311Requests))
	mux.HandleFunc("GET /open311/v2/requests/{id}", s.open311(s.open311Requests)) // {id} is "R12.json"
}

// open311 checks the token (constant time) before serving.
func (s *Server) open311(serve func(w http.ResponseWriter, r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Open311Token == "" {
			http.NotFound(w, r)
			return
		}
		given := r.URL.Query().Get("api_key")
		if h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			given = h
		}
		a, b := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(s.Open311Token))
		if subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
			writeJSON(w, http.StatusUnauthorized, []map[string]any{{"code": 401, "description": "invalid api_key"}})
			return
		}
		out, err := serve(w, r)
		if err != nil {
			s.Log.Error("open311", "err", err)
			writeJSON(w, http.StatusInternalServerError, []map[string]any{{"code": 500, "description": "internal error"}})
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) open311Services(w http.ResponseWriter, r *http.Request) (any, error) {
	out := []open311Service{}
	for _, k := range open311Kinds {
		name := s.text(s.Lang, prompts.RequestsKindName, k)
		out = append(out, open311Service{Code: k, Name: name, Description: name, Type: "realtime"})
	}
	return out, nil
}

func (s *Server) open311Requests(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	now := s.now()
	f := storage.RequestFilter{From: now.AddDate(0, 0, -90), Newest: true, Limit: open311Limit}
	if t, err := time.Parse(time.RFC3339, q.Get("start_date")); err == nil {
		f.From = t
	}
	if t, err := time.Parse(time.RFC3339, q.Get("end_date")); err == nil {
		f.To = t
	}
	for _, code := range strings.Split(q.Get("service_code"), ",") {
		if slices.Contains(open311Kinds, code) {
			f.Kinds = append(f.Kinds, code)
		}
	}
	var ids []string
	if v := q.Get("service_request_id"); v != "" {
		ids = strings.Split(v, ",")
	}
	if id, ok := strings.CutSuffix(r.PathValue("id"), ".json"); ok {
		ids = []string{id}
	}
	if len(ids) > 0 {
		f.From = time.Time{}
	}
	var statuses []string // "open", "closed" or both, comma separated
	if v := q.Get("status"); v != "" {
		statuses = strings.Split(v, ",")
	}
	out := []open311Request{}
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		list, err := tx.FindRequests(f)
		if err != nil {
			return err
		}
		names, err := placeNames(tx)
		if err != nil {
			return err
		}
		for _, req := range list {
			ref := requests.Ref(req.Kind, req.ID)
			st := "closed"
			if storage.IsOpen(req.Kind, req.State) {
				st = "open"
			}
			if (len(ids) > 0 && !slices.Contains(ids, ref)) || (len(statuses) > 0 && !slices.Contains(statuses, st)) {
				continue
			}
			loc := bot.Location(names.tz[req.CommunityID])
			out = append(out, open311Request{ID: ref, Status: st,
				StatusNotes: s.text(s.Lang, prompts.RequestsStateName, storage.DisplayState(req.Kind, req.State)),
				ServiceName: s.text(s.Lang, prompts.RequestsKindName, req.Kind), ServiceCode: req.Kind,
				Description: prompts.Mask(req.Text), Agency: names.depts[req.DepartmentID],
				Requested: req.CreatedAt.In(loc).Format(time.RFC3339), Updated: req.UpdatedAt.In(loc).Format(time.RFC3339),
				Address: strings.TrimSpace(names.communities[req.CommunityID] + " " + names.buildings[req.BuildingID])})
		}
		return nil
	})
	return out, err
}

// places names every community, building and department by id.
type places struct {
	communities, tz, buildings, depts map[int64]string
}

func placeNames(tx *storage.Tx) (places, error) {
	p := places{communities: map[int64]string{}, tz: map[int64]string{}, buildings: map[int64]string{}, depts: map[int64]string{}}
	all, err := tx.Communities()
	if err != nil {
		return p, err
	}
	for _, cm := range all {
		p.communities[cm.ID], p.tz[cm.ID] = cm.Name, cm.Timezone
		bs, err := tx.Buildings(cm.ID)
		if err != nil {
			return p, err
		}
		for _, b := range bs {
			p.buildings[b.ID] = b.Name
		}
		ds, err := tx.Departments(cm.ID)
		if err != nil {
			return p, err
		}
		for _, d := range ds {
			p.depts[d.ID] = d.Name
		}
	}
	return p, nil
}
