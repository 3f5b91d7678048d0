package wechat

import (
	"fmt"
	"strings"
	"time"
)

// Config is the `wechat:` section of the configuration.
type Config struct {
	// Enabled turns the adapter on.
	Enabled bool `yaml:"enabled"`
	// LoginFile keeps the session for hot login (default: wechat-login.json
	// next to the database). It holds live cookies: keep it private.
	LoginFile string `yaml:"login_file"`
	// QRFile is where the login QR code is saved as a PNG (default:
	// wechat-login-qr.png next to the database).
	QRFile string `yaml:"qr_file"`
	// DeviceID is the device id sent to WeChat ("e" and 15 digits). Empty: one is
	// made once and remembered in the database.
	DeviceID string `yaml:"device_id"`
	// Pacing is how fast the account sends.
	Pacing Pacing `yaml:"pacing"`
	// AlertGroup is the key of a configured group (best on another platform,
	// e.g. a Telegram staff group) told when WeChat needs attention. Empty:
	// the log and the terminal only.
	AlertGroup string `yaml:"alert_group"`
	// StallAlert raises an alert when nothing could be sent for this long.
	StallAlert time.Duration `yaml:"stall_alert"`
	// MaxRelogin caps the growing wait between re-login attempts.
	MaxRelogin time.Duration `yaml:"max_relogin"`
	// MaxKicks stops re-logging in after this many sessions in a row that
	// WeChat ended within minutes of login (the pattern that gets accounts banned).
	MaxKicks int `yaml:"max_kicks"`
	// SendTimeout bounds one attempt to send a message or upload a picture;
	// a failed send is retried later by the outbox, never at once.
	SendTimeout time.Duration `yaml:"send_timeout"`
	// SplitRunes is the longest text sent as one message; longer texts are
	// split on line boundaries.
	SplitRunes int `yaml:"split_runes"`
}

// Pacing is the account's sending speed. WeChat restricts accounts that send
// fast or in bursts; the defaults are deliberately slow.
type Pacing struct {
	MinGap    time.Duration `yaml:"min_gap"`    // between any two messages of the account
	GroupGap  time.Duration `yaml:"group_gap"`  // between two messages into one chat
	Jitter    time.Duration `yaml:"jitter"`     // random extra wait added to each gap
	PerMinute int           `yaml:"per_minute"` // at most this many messages in any minute
}

// Defaults fills unset values.
func (c *Config) Defaults() {
	if c.LoginFile == "" {
		c.LoginFile = "wechat-login.json"
	}
	if c.QRFile == "" {
		c.QRFile = "wechat-login-qr.png"
	}
	if c.Pacing.MinGap == 0 {
		c.Pacing.MinGap = 1500 * time.Millisecond
	}
	if c.Pacing.GroupGap == 0 {
		c.Pacing.GroupGap = 3 * time.Second
	}
	if c.Pacing.Jitter == 0 {
		c.Pacing.Jitter = 1500 * time.Millisecond
	}
	if c.Pacing.PerMinute == 0 {
		c.Pacing.PerMinute = 20
	}
	if c.StallAlert == 0 {
		c.StallAlert = 10 * time.Minute
	}
	if c.MaxRelogin == 0 {
		c.MaxRelogin = 10 * time.Minute
	}
	if c.SplitRunes == 0 {
		c.SplitRunes = 2000
	}
	if c.MaxKicks == 0 {
		c.MaxKicks = 5
	}
	if c.SendTimeout == 0 {
		c.SendTimeout = 20 * time.Second
	}
}

// Validate reports problems as "path.key: message" lines.
func (c *Config) Validate(path string) []string {
	var errs []string
	add := func(key, format string, args ...any) {
		errs = append(errs, path+"."+key+": "+fmt.Sprintf(format, args...))
	}
	if c.DeviceID != "" && (len(c.DeviceID) != 16 || c.DeviceID[0] != 'e' || strings.Trim(c.DeviceID[1:], "0123456789") != "") {
		add("device_id", "%q must be \"e\" and 15 digits", c.DeviceID)
	}
	if c.Pacing.MinGap < 500*time.Millisecond {
		add("pacing.min_gap", "%s is too fast for WeChat (at least 500ms)", c.Pacing.MinGap)
	}
	if c.Pacing.GroupGap < c.Pacing.MinGap {
		add("pacing.group_gap", "%s must not be shorter than pacing.min_gap", c.Pacing.GroupGap)
	}
	if c.Pacing.Jitter < 0 {
		add("pacing.jitter", "must not be negative")
	}
	if c.Pacing.PerMinute < 1 || c.Pacing.PerMinute > 60 {
		add("pacing.per_minute", "must be between 1 and 60, not %d", c.Pacing.PerMinute)
	}
	if c.StallAlert < time.Minute {
		add("stall_alert", "must be at least 1m")
	}
	if c.MaxRelogin < 10*time.Second {
		add("max_relogin", "must be at least 10s")
	}
	if c.MaxKicks < 1 || c.MaxKicks > 20 {
		add("max_kicks", "must be between 1 and 20, not %d", c.MaxKicks)
	}
	if c.SendTimeout < time.Second || c.SendTimeout > 2*time.Minute {
		add("send_timeout", "must be between 1s and 2m, not %s", c.SendTimeout)
	}
	if c.SplitRunes < 100 || c.SplitRunes > 5000 {
		add("split_runes", "must be between 100 and 5000, not %d", c.SplitRunes)
	}
	return errs
}
