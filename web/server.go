// Package web is the staff web page: the queue, tickets, polls, digests,
// search, exports and the 街道 rollup, served by the Qiao process itself with
// net/http and html/template (templates, CSS and htmx embedded). It reads
// through storage and the handlers' own read functions, and it acts only
// through the Engine, as a message from the logged-in person, so chat and page
// never disagree.
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/digest"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/storage"
)

// Inbound is where the page's actions go: the bot's Engine.
type Inbound interface {
	Handle(ctx context.Context, m bot.Message) error
}

// Server serves the staff web page. Exported fields are its dependencies.
type Server struct {
	Config   Config
	DB       *storage.DB
	Engine   Inbound
	Outbox   *bot.Outbox // renders prompts (and is the engine's)
	Lang     string      // the default language
	Now      func() time.Time
	Log      *slog.Logger
	Requests *requests.Handlers
	Digests  *digest.Digests
	// Open311Token is the token of the read-only Open311 API; "" turns it off.
	Open311Token string
	// Pages are the pages served, in menu order (DefaultPages, plus those other features add).
	Pages []Page

	baseURL  string
	ln       net.Listener
	tmplOnce sync.Once
	tmpl     map[string]*template.Template
	tmplErr  error
}

// Listen opens the configured address; BaseURL is then known.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.Config.Listen)
	if err != nil {
		return err
	}
	s.ln = ln
	s.baseURL = s.Config.BaseURL
	if s.baseURL == "" {
		s.baseURL = "http://" + ln.Addr().String()
	}
	return nil
}

// BaseURL is the page's address for links ("" before Listen).
func (s *Server) BaseURL() string { return s.baseURL }

// Close closes the listener of a server that never ran.
func (s *Server) Close() error {
	if s.ln == nil {
		return nil
	}
	return s.ln.Close()
}

// Run serves until ctx is done, then shuts down within five seconds.
func (s *Server) Run(ctx context.Context) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn)}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(s.ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shut)
	if e := <-done; !errors.Is(e, http.ErrServerClosed) {
		err = errors.Join(err, e)
	}
	return err
}

// Handler is the whole site: static files, login, the pages and Open311,
// behind the security headers; every state-changing request must come from
// the page's own origin (http.CrossOriginProtection).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.FileServerFS(staticFS))
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /{$}", s.page(Page{Serve: (*Server).home}))
	for _, p := range s.Pages {
		mux.HandleFunc(p.Pattern, s.page(p))
	}
	s.open311Routes(mux)
	cop := http.NewCrossOriginProtection()
	if u, err := url.Parse(s.Config.BaseURL); err == nil && u.Host != "" {
		// Behind a proxy the Host header may differ from the address staff open.
		_ = cop.AddTrustedOrigin(u.Scheme + "://" + u.Host)
	}
	return headers(cop.Handler(mux))
}

// headers sets the strict headers every answer carries: no inline script, no
// framing, no sniffing, no referrer (a login link must not leak).
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}
