package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/handlers/weblogin"
	"github.com/qiao-community/qiao/storage"
)

// cookieName is the session cookie.
const cookieName = "qiao_session"

// loginPage answers the link itself with a button, and uses nothing up: chat
// apps fetch links for their previews, and that GET must not spend the link.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, nil, http.StatusOK, "login.html", r.URL.Query().Get("t"), nil)
}

// login redeems a one-time link (posted by the button) and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var personID int64
	id := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		s.fail(w, r, err)
		return
	}
	sid := base64.RawURLEncoding.EncodeToString(id)
	err := s.DB.Update(r.Context(), func(tx *storage.Tx) error {
		var err error
		if personID, err = weblogin.Redeem(tx, r.PostFormValue("t"), s.now()); err != nil {
			return err
		}
		p, err := tx.FindPerson(personID)
		if err != nil {
			return err
		}
		if !roles.IsWebStaff(p) { // roles changed since the link was sent
			return weblogin.ErrBadLink
		}
		return tx.CreateWebSession(hashID(sid), personID, s.now().Add(s.Config.Session))
	})
	if errors.Is(err, weblogin.ErrBadLink) {
		s.message(w, r, http.StatusForbidden, "web.link_invalid")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: sid, Path: "/", HttpOnly: true, Secure: s.Config.SecureCookie,
		SameSite: http.SameSiteStrictMode, MaxAge: int(s.Config.Session.Seconds())})
	// A page that moves on by itself, not a redirect, so the Strict cookie
	// goes with the next request whatever started the navigation.
	s.render(w, r, nil, http.StatusOK, "welcome.html", nil, nil)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		if err := s.DB.Update(r.Context(), func(tx *storage.Tx) error { return tx.DeleteWebSession(hashID(c.Value)) }); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true, Secure: s.Config.SecureCookie,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	s.message(w, r, http.StatusOK, "web.logged_out")
}

// viewer returns the logged-in viewer, or nil when there is no live session
// or the person no longer holds a role the page serves.
func (s *Server) viewer(r *http.Request) (*Viewer, error) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil, nil
	}
	var v *Viewer
	err = s.DB.View(r.Context(), func(tx *storage.Tx) error {
		id, err := tx.WebSessionPerson(hashID(c.Value), s.now())
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		v, err = loadViewer(tx, id, s.Lang)
		return err
	})
	if err != nil || v == nil || !roles.IsWebStaff(v.Person) {
		return nil, err
	}
	return v, nil
}

// hashID is how a session id is stored: a stolen database holds no cookie.
func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}
