package wecom

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// Default endpoints of WeCom.
const (
	DefaultURL        = "wss://openws.work.weixin.qq.com"
	DefaultWebhookURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
)

// Config is the wecom: section of the configuration file.
type Config struct {
	// Enabled turns the 智能机器人 long connection on.
	Enabled bool `yaml:"enabled"`
	// BotID is the bot's id from the WeCom admin console.
	BotID string `yaml:"bot_id"`
	// Secret is the bot's long-connection secret; or leave it empty and name
	// the environment variable holding it in SecretEnv.
	Secret    string `yaml:"secret"`
	SecretEnv string `yaml:"secret_env"`
	// URL is the long connection's endpoint (tests point it at a fake).
	URL string `yaml:"url"`
	// PingSeconds is the heartbeat interval.
	PingSeconds int `yaml:"ping_seconds"`
	// AlertGroup is the key of the group told when the connection is taken
	// over by another process (empty: wechat.alert_group, else only the log).
	AlertGroup string `yaml:"alert_group"`
	// WebhookURL is the group robots' send endpoint (tests point it at a fake).
	WebhookURL string `yaml:"webhook_url"`
	// Webhooks maps a wecom_webhook group's chat to its robot's key (write
	// ${WECOM_HOOK_OFFICE}: the key is a credential).
	Webhooks map[string]string `yaml:"webhooks"`
}

// FillDefaults sets the defaults of empty fields.
func (c *Config) FillDefaults() {
	if c.URL == "" {
		c.URL = DefaultURL
	}
	if c.PingSeconds == 0 {
		c.PingSeconds = 30
	}
	if c.WebhookURL == "" {
		c.WebhookURL = DefaultWebhookURL
	}
}

// ResolveSecret reads the secret from SecretEnv when Secret is empty.
func (c *Config) ResolveSecret(getenv func(string) (string, bool)) {
	if c.Secret == "" && c.SecretEnv != "" {
		c.Secret, _ = getenv(c.SecretEnv)
	}
	c.Secret = strings.TrimSpace(c.Secret)
}

// Problems lists what is wrong with the config, each prefixed with its key
// under wecom.
func (c *Config) Problems() []string {
	var out []string
	add := func(key, format string, args ...any) {
		out = append(out, "wecom."+key+": "+fmt.Sprintf(format, args...))
	}
	if u, err := url.Parse(c.WebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("webhook_url", "%q is not an http(s) URL", c.WebhookURL)
	}
	for _, chat := range slices.Sorted(maps.Keys(c.Webhooks)) {
		if strings.TrimSpace(c.Webhooks[chat]) == "" {
			add("webhooks."+chat, "the robot's key is empty (copy it from the webhook address: …/send?key=KEY)")
		}
	}
	if !c.Enabled {
		return out
	}
	if strings.TrimSpace(c.BotID) == "" {
		add("bot_id", "is required (WeCom admin console → 智能机器人 → API mode: long connection)")
	}
	if c.Secret == "" {
		if c.SecretEnv != "" {
			add("secret_env", "environment variable %s is empty or not set", c.SecretEnv)
		} else {
			add("secret", "is required (write secret_env: WECOM_SECRET)")
		}
	}
	if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		add("url", "%q is not a ws(s) URL", c.URL)
	}
	if c.PingSeconds < 5 || c.PingSeconds > 300 {
		add("ping_seconds", "must be between 5 and 300, not %d", c.PingSeconds)
	}
	return out
}
