package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticRoot embed.FS

// staticFS serves /static/… (htmx, the style sheet).
var staticFS = mustSub(staticRoot)

func mustSub(f embed.FS) fs.FS {
	sub, err := fs.Sub(f, ".")
	if err != nil {
		panic(err)
	}
	return sub
}

// view is what every template gets: the language, the viewer, the menu, the
// page's own data and the bot's answers to an action.
type view struct {
	Lang    string
	V       *Viewer
	Menu    []menuItem
	Current string
	Data    any
	Replies []string
}

type menuItem struct{ Path, Name string }

// render executes a page template inside the layout; for an htmx request the
// template's "fragment" block alone, when it has one.
func (s *Server) render(w http.ResponseWriter, r *http.Request, v *Viewer, status int, name string, data any, replies []string) {
	t, err := s.templates()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := t[name]
	if page == nil {
		s.fail(w, r, errUnknownTemplate(name))
		return
	}
	vw := view{Lang: s.Lang, V: v, Data: data, Replies: replies, Current: r.URL.Path}
	if v != nil {
		vw.Lang = v.Lang
		for _, p := range s.Pages {
			if p.Menu != "" && (p.Allow == nil || p.Allow(v)) {
				vw.Menu = append(vw.Menu, menuItem{Path: p.Path, Name: s.text(vw.Lang, p.Menu, nil)})
			}
		}
	}
	block := "layout"
	if r.Header.Get("HX-Request") != "" && page.Lookup("fragment") != nil {
		block = "fragment"
	}
	var buf bytes.Buffer
	if err := page.ExecuteTemplate(&buf, block, vw); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // pages carry residents' requests
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type errUnknownTemplate string

func (e errUnknownTemplate) Error() string { return "web: no template " + string(e) }

// templates parses the layout and each page once (the funcs read s).
func (s *Server) templates() (map[string]*template.Template, error) {
	s.tmplOnce.Do(func() { s.tmpl, s.tmplErr = s.parseTemplates() })
	return s.tmpl, s.tmplErr
}

func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"t": func(lang, name string, data ...any) string {
			var d any
			if len(data) > 0 {
				d = data[0]
			}
			return s.text(lang, name, d)
		},
		"ref":  requests.Ref,
		"when": func(t time.Time, tz string) string { return formatTime(t, tz) },
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		name := path.Base(f)
		if name == "layout.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// text renders a prompt; a missing one shows its name, never an empty page.
func (s *Server) text(lang, name string, data any) string {
	out, err := s.Outbox.Render(lang, name, data)
	if err != nil {
		s.Log.Error("web prompt", "name", name, "err", err)
		return name
	}
	return out
}

func formatTime(t time.Time, tz string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(bot.Location(tz)).Format("2006-01-02 15:04")
}

// message shows a one-line page (login problems, logout).
func (s *Server) message(w http.ResponseWriter, r *http.Request, status int, prompt string) {
	s.render(w, r, nil, status, "message.html", prompt, nil)
}

// fail logs an internal error and shows a generic page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.Log.Error("web", "path", r.URL.Path, "err", err)
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, s.text(s.Lang, "web.internal_error", nil), http.StatusInternalServerError)
}

// pathEscape encodes a file name for Content-Disposition's filename*.
func pathEscape(s string) string { return url.PathEscape(s) }
