package telegram

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Modes of receiving updates.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// DefaultAPIURL is the public Bot API.
const DefaultAPIURL = "https://api.telegram.org"

// Config is the telegram: section of the configuration file.
type Config struct {
	// Enabled turns the adapter on.
	Enabled bool `yaml:"enabled"`
	// Token is the bot token, usually written as ${TELEGRAM_TOKEN}; or leave it
	// empty and name the variable in TokenEnv.
	Token    string `yaml:"token"`
	TokenEnv string `yaml:"token_env"`
	// APIURL is the Bot API server (a self-hosted one, or the public default).
	APIURL string `yaml:"api_url"`
	// Mode is polling (default) or webhook.
	Mode string `yaml:"mode"`
	// PollSeconds is how long one getUpdates call waits for updates.
	PollSeconds int `yaml:"poll_seconds"`
	// Webhook configures webhook mode.
	Webhook WebhookConfig `yaml:"webhook"`
	// EditSeconds is the least time between two edits of one message (tallies).
	EditSeconds int `yaml:"edit_seconds"`
}

// WebhookConfig is where Telegram posts updates in webhook mode.
type WebhookConfig struct {
	Listen      string `yaml:"listen"`       // local address, e.g. :8443
	URL         string `yaml:"url"`          // public https URL Telegram posts to
	SecretToken string `yaml:"secret_token"` // checked on every request (X-Telegram-Bot-Api-Secret-Token)
	// BatchWait is how long the first update of a burst waits for others to
	// share its commit; BatchMax caps a burst's updates.
	BatchWait time.Duration `yaml:"batch_wait"`
	BatchMax  int           `yaml:"batch_max"`
}

// FillDefaults sets the defaults of empty fields.
func (c *Config) FillDefaults() {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.Mode == "" {
		c.Mode = ModePolling
	}
	if c.PollSeconds == 0 {
		c.PollSeconds = 50
	}
	if c.EditSeconds == 0 {
		c.EditSeconds = 3
	}
	if c.Webhook.BatchWait == 0 {
		c.Webhook.BatchWait = 2 * time.Millisecond
	}
	if c.Webhook.BatchMax == 0 {
		c.Webhook.BatchMax = 100
	}
}

// ResolveToken reads the token from TokenEnv when Token is empty.
func (c *Config) ResolveToken(getenv func(string) (string, bool)) {
	if c.Token == "" && c.TokenEnv != "" {
		c.Token, _ = getenv(c.TokenEnv)
	}
	c.Token = strings.TrimSpace(c.Token)
}

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Validate reports what is wrong with an enabled config as "path.key: message"
// lines.
func (c *Config) Validate(path string) []string {
	if !c.Enabled {
		return nil
	}
	var out []string
	add := func(key, format string, args ...any) {
		out = append(out, path+"."+key+": "+fmt.Sprintf(format, args...))
	}
	if c.Token == "" {
		if c.TokenEnv != "" {
			add("token_env", "environment variable %s is empty or not set", c.TokenEnv)
		} else {
			add("token", "is required (write token: ${TELEGRAM_TOKEN} or token_env: TELEGRAM_TOKEN)")
		}
	} else if !strings.Contains(c.Token, ":") {
		add("token", "does not look like a bot token from BotFather (123456:ABC…)")
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("api_url", "%q is not an http(s) URL", c.APIURL)
	}
	if c.PollSeconds < 2 || c.PollSeconds > 600 {
		add("poll_seconds", "must be between 2 and 600, not %d", c.PollSeconds)
	}
	if c.EditSeconds < 1 || c.EditSeconds > 600 {
		add("edit_seconds", "must be between 1 and 600, not %d", c.EditSeconds)
	}
	switch c.Mode {
	case ModePolling:
	case ModeWebhook:
		if c.Webhook.Listen == "" {
			add("webhook.listen", "is required in webhook mode (e.g. :8443)")
		}
		if u, err := url.Parse(c.Webhook.URL); err != nil || u.Scheme != "https" || u.Host == "" {
			add("webhook.url", "%q must be the public https URL Telegram posts to", c.Webhook.URL)
		}
		if !secretRE.MatchString(c.Webhook.SecretToken) {
			add("webhook.secret_token", "is required in webhook mode: 1-256 of A-Z a-z 0-9 _ -")
		}
		if c.Webhook.BatchWait < 0 || c.Webhook.BatchWait > time.Second {
			add("webhook.batch_wait", "must be between 0 and 1s, not %s", c.Webhook.BatchWait)
		}
		if c.Webhook.BatchMax < 1 || c.Webhook.BatchMax > 1000 {
			add("webhook.batch_max", "must be between 1 and 1000, not %d", c.Webhook.BatchMax)
		}
	default:
		add("mode", "%q is not one of polling, webhook", c.Mode)
	}
	return out
}

func (c *Config) pollTimeout() time.Duration { return time.Duration(c.PollSeconds) * time.Second }
