package web

import (
	"fmt"
	"net"
	"net/url"
	"time"
)

// Config is the web: section of the configuration.
type Config struct {
	// Enabled turns the staff web page on (default off).
	Enabled bool `yaml:"enabled"`
	// Listen is the address served (default 127.0.0.1:8080).
	Listen string `yaml:"listen"`
	// BaseURL is the address staff open, used in login links (default
	// http://LISTEN): set it when a reverse proxy serves the page.
	BaseURL string `yaml:"base_url"`
	// Session is how long a login lasts (default 12h).
	Session time.Duration `yaml:"session"`
	// SecureCookie marks the session cookie Secure (HTTPS only): set it behind HTTPS.
	SecureCookie bool `yaml:"secure_cookie"`
	// Open311TokenEnv names the environment variable holding the token of the
	// read-only Open311 API; "" or an unset variable leaves the API off.
	Open311TokenEnv string `yaml:"open311_token_env"`
}

// FillDefaults sets the defaults of unset keys.
func (c *Config) FillDefaults() {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.Session == 0 {
		c.Session = 12 * time.Hour
	}
}

// Validate reports the problems of the section as "path.key: message" lines.
func (c *Config) Validate(path string) []string {
	var errs []string
	add := func(key, format string, args ...any) {
		errs = append(errs, path+"."+key+": "+fmt.Sprintf(format, args...))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		add("listen", "%q is not host:port (like 127.0.0.1:8080)", c.Listen)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("base_url", "%q is not an http(s) address like https://qiao.example.org", c.BaseURL)
		}
	}
	if c.Session < 5*time.Minute || c.Session > 30*24*time.Hour {
		add("session", "must be between 5m and 720h, not %s", c.Session)
	}
	return errs
}
