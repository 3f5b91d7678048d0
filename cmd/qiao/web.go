package main

import (
	"fmt"
	"os"

	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/web"
)

// newWeb builds the staff web page and opens its address, so that a taken
// port fails at start and login links know where the page is. Its Engine is
// set once the engine exists.
func (a *App) newWeb() error {
	cfg := a.Config.Web
	a.Web = &web.Server{Config: cfg, DB: a.DB, Outbox: a.Outbox, Lang: a.Config.Language, Now: a.Clock.Now, Log: a.Log,
		Requests: &requests.Handlers{Classifier: a.Classifier, Config: a.Config.Requests}, Digests: a.Digests,
		Pages: web.DefaultPages()}
	if cfg.Open311TokenEnv != "" {
		a.Web.Open311Token = os.Getenv(cfg.Open311TokenEnv)
	}
	if err := a.Web.Listen(); err != nil {
		return fmt.Errorf("web.listen: %w", err)
	}
	return nil
}

// webBaseURL is the page's address for #登录 links ("" when the page is off).
func (a *App) webBaseURL() string {
	if a.Web == nil {
		return ""
	}
	return a.Web.BaseURL()
}
