package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/schedule"
	"github.com/qiao-community/qiao/bot/telegram"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/bot/wecom"
	"github.com/qiao-community/qiao/handlers/digest"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/handlers/volunteers"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/web"
)

// Config is the whole configuration file (see config.example.yaml).
type Config struct {
	Timezone        string              `yaml:"timezone"`
	Language        string              `yaml:"language"`
	Database        string              `yaml:"database"`
	PromptsDir      string              `yaml:"prompts_dir"`
	BotNames        []string            `yaml:"bot_names"`
	MaxMessageRunes int                 `yaml:"max_message_runes"`
	Log             LogConfig           `yaml:"log"`
	Memory          MemoryConfig        `yaml:"memory"` // see config_memory.go
	Flood           bot.FloodConfig     `yaml:"flood"`
	Console         ConsoleConfig       `yaml:"console"`
	Telegram        telegram.Config     `yaml:"telegram"`
	WeChat          wechat.Config       `yaml:"wechat"`
	WeCom           wecom.Config        `yaml:"wecom"` // see config_wecom.go
	Categories      []requests.Category `yaml:"categories"`
	Requests        requests.Config     `yaml:"requests"`
	Communities     []CommunityConfig   `yaml:"communities"`
	Jobs            schedule.Config     `yaml:"jobs"`
	Digest          digest.Config       `yaml:"digest"`
	Polls           polls.Config        `yaml:"polls"`
	Volunteers      volunteers.Config   `yaml:"volunteers"`
	Retention       storage.Retention   `yaml:"retention"`
	Charts          ChartsConfig        `yaml:"charts"`
	Web             web.Config          `yaml:"web"` // the staff web page (docs/web.md)
}

// ChartsConfig configures the pictures Qiao draws (poll results).
type ChartsConfig struct {
	// Font is a TrueType file with the characters the embedded GB2312 subset
	// lacks; empty uses the subset.
	Font string `yaml:"font"`
}

// LogConfig sets up the logger.
type LogConfig struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// ConsoleConfig configures the terminal adapter.
type ConsoleConfig struct {
	Enabled *bool  `yaml:"enabled"`
	Group   string `yaml:"group"`
	User    string `yaml:"user"`
	// ShowIDs prints each message's outbox id, for readers that de-duplicate.
	ShowIDs bool `yaml:"show_ids"`
}

// On reports whether the console adapter runs (default yes).
func (c ConsoleConfig) On() bool { return c.Enabled == nil || *c.Enabled }

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// ParseConfig reads YAML strictly (unknown keys are errors), expands ${NAME}
// from the environment, fills defaults and validates.
func ParseConfig(data []byte, getenv func(string) (string, bool)) (*Config, error) {
	expanded, err := expandEnv(data, getenv)
	if err != nil {
		return nil, err
	}
	// Defaults that an explicit 0 may turn off are set before decoding.
	cfg := Config{Flood: bot.FloodConfig{PerMinute: bot.DefaultFloodPerMinute}, Retention: storage.DefaultRetention}
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg.fillDefaults()
	cfg.Telegram.ResolveToken(getenv)
	cfg.WeCom.ResolveSecret(getenv)
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// LoadConfig reads a config file.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := ParseConfig(data, os.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

func expandEnv(data []byte, getenv func(string) (string, bool)) ([]byte, error) {
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		var missing error
		lines[i] = envRef.ReplaceAllStringFunc(line, func(ref string) string {
			name := ref[2 : len(ref)-1]
			v, ok := getenv(name)
			if !ok && missing == nil {
				missing = fmt.Errorf("config: line %d: environment variable %s is not set", i+1, name)
			}
			return v
		})
		if missing != nil {
			return nil, missing
		}
	}
	return []byte(strings.Join(lines, "\n")), nil
}

func (c *Config) fillDefaults() {
	if c.Timezone == "" {
		c.Timezone = "Asia/Shanghai"
	}
	if c.Language == "" {
		c.Language = prompts.Default
	}
	if c.Database == "" {
		c.Database = "qiao.db"
	}
	if len(c.BotNames) == 0 {
		c.BotNames = []string{"小桥", "Qiao"}
	}
	if c.MaxMessageRunes == 0 {
		c.MaxMessageRunes = 2000
	}
	if c.Log.Level == "" {
		c.Log.Level = "warn"
	}
	if c.Log.Format == "" {
		c.Log.Format = "text"
	}
	c.Telegram.FillDefaults()
	c.Jobs.FillDefaults(jobDefaults())
	c.Digest.FillDefaults()
	c.Requests.FillDefaults()
	c.Polls.FillDefaults()
	c.Volunteers.FillDefaults()
	c.WeChat.Defaults()
	c.WeCom.FillDefaults()
	c.Web.FillDefaults()
	c.Memory.fillDefaults()
	for i := range c.Communities {
		cm := &c.Communities[i]
		if cm.Timezone == "" {
			cm.Timezone = c.Timezone
		}
		if cm.Language == "" {
			cm.Language = c.Language
		}
		for j := range cm.Groups {
			g := &cm.Groups[j]
			if g.Platform == "" {
				g.Platform = "console"
			}
			if g.Chat == "" {
				g.Chat = g.Name
			}
			if g.Mode == "" {
				g.Mode = "confirm"
			}
		}
		for j := range cm.People {
			p := &cm.People[j]
			if p.Platform == "" {
				p.Platform = "console"
			}
			if p.User == "" {
				p.User = p.Name
			}
		}
	}
}
