package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/schedule"
	"github.com/qiao-community/qiao/bot/telegram"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/bot/wecom"
	"github.com/qiao-community/qiao/handlers/digest"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
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

// CommunityConfig describes one community.
type CommunityConfig struct {
	Key         string             `yaml:"key"`
	Name        string             `yaml:"name"`
	Timezone    string             `yaml:"timezone"`
	Language    string             `yaml:"language"`
	Grids       []EntityConfig     `yaml:"grids"`
	Buildings   []BuildingConfig   `yaml:"buildings"`
	Departments []DepartmentConfig `yaml:"departments"`
	Groups      []GroupConfig      `yaml:"groups"`
	People      []PersonConfig     `yaml:"people"`
}

type EntityConfig struct {
	Key  string `yaml:"key"`
	Name string `yaml:"name"`
}

type BuildingConfig struct {
	Key  string `yaml:"key"`
	Name string `yaml:"name"`
	Grid string `yaml:"grid"`
}

type DepartmentConfig struct {
	Key     string   `yaml:"key"`
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
}

type GroupConfig struct {
	Key        string `yaml:"key"`
	Name       string `yaml:"name"`
	Kind       string `yaml:"kind"`
	Platform   string `yaml:"platform"`
	Chat       string `yaml:"chat"`
	Building   string `yaml:"building"`
	Grid       string `yaml:"grid"`
	Department string `yaml:"department"`
	Mode       string `yaml:"mode"`
	Language   string `yaml:"language"`
}

type PersonConfig struct {
	Key      string   `yaml:"key"`
	Name     string   `yaml:"name"`
	Platform string   `yaml:"platform"`
	User     string   `yaml:"user"`
	Room     string   `yaml:"room"`
	Language string   `yaml:"language"`
	Roles    []string `yaml:"roles"`
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// ParseConfig reads YAML strictly (unknown keys are errors), expands ${NAME}
// from the environment, fills defaults and validates.
func ParseConfig(data []byte, getenv func(string) (string, bool)) (*Config, error) {
	expanded, err := expandEnv(data, getenv)
	if err != nil {
		return nil, err
	}
	// Defaults that an explicit 0 may turn off are set before decoding.
	cfg := Config{Flood: bot.FloodConfig{PerMinute: bot.DefaultFloodPerMinute}}
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
	c.WeChat.Defaults()
	c.WeCom.FillDefaults()
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

// configErrors collects validation problems, each naming the key.
type configErrors []string

func (e *configErrors) add(path, format string, args ...any) {
	*e = append(*e, path+": "+fmt.Sprintf(format, args...))
}

var (
	keyRE         = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	platforms     = []string{"console", "telegram", "wechat", bot.WeCom, bot.WeComWebhook}
	groupKinds    = []string{storage.GroupBuilding, storage.GroupGrid, storage.GroupCompound, storage.GroupStaff, storage.GroupDepartment}
	groupModes    = []string{"off", "confirm", "auto"}
	languages     = []string{"zh-CN", "en"}
	logLevels     = []string{"debug", "info", "warn", "error"}
	logFormats    = []string{"text", "json"}
	unscopedRoles = []string{storage.RoleResident, storage.RoleStaff, storage.RoleAdmin}
)

// Validate checks the config, cross-references included, and reports every
// problem at once, each with the key it concerns.
func (c *Config) Validate() error {
	var errs configErrors
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		errs.add("timezone", "unknown time zone %q (use a name like Asia/Shanghai)", c.Timezone)
	}
	oneOf(&errs, "language", c.Language, languages)
	oneOf(&errs, "log.level", c.Log.Level, logLevels)
	oneOf(&errs, "log.format", c.Log.Format, logFormats)
	if c.MaxMessageRunes < 10 || c.MaxMessageRunes > 100000 {
		errs.add("max_message_runes", "must be between 10 and 100000, not %d", c.MaxMessageRunes)
	}
	if c.Flood.PerMinute < 0 || c.Flood.PerMinute > 100000 {
		errs.add("flood.per_minute", "must be between 0 (off) and 100000, not %d", c.Flood.PerMinute)
	}
	for i, n := range c.BotNames {
		if strings.TrimSpace(n) == "" || strings.ContainsAny(n, " \n@") {
			errs.add(fmt.Sprintf("bot_names[%d]", i), "must be a name without spaces or @")
		}
	}
	seenCat := map[string]bool{}
	for i, cat := range c.Categories {
		p := fmt.Sprintf("categories[%d]", i)
		checkKey(&errs, p+".key", cat.Key, seenCat)
		if cat.Name == "" {
			errs.add(p+".name", "is required")
		}
		if len(cat.Keywords) == 0 {
			errs.add(p+".keywords", "needs at least one keyword")
		}
	}
	for _, p := range c.Requests.Validate(c.Categories) {
		errs.add("requests."+p.Path, "%s", p.Message)
	}
	errs = append(errs, c.Polls.Validate()...)
	if len(c.Communities) == 0 {
		errs.add("communities", "at least one community is required")
	}
	seenCommunity := map[string]bool{}
	chats := map[string]string{}
	for i, cm := range c.Communities {
		cm.validate(&errs, fmt.Sprintf("communities[%d]", i), seenCommunity, chats)
	}
	c.validateJobs(&errs)
	if c.Console.On() {
		if !c.hasConsoleGroup(c.Console.Group) {
			errs.add("console.group", "%q is not the chat of a console group", c.Console.Group)
		}
		if strings.TrimSpace(c.Console.User) == "" {
			errs.add("console.user", "is required when the console is enabled")
		}
	}
	errs = append(errs, c.Telegram.Problems()...)
	c.checkTelegramChats(&errs)
	errs = append(errs, c.WeChat.Validate("wechat")...)
	c.checkWeCom(&errs)
	if c.WeChat.AlertGroup != "" && !c.hasGroupKey(c.WeChat.AlertGroup) {
		errs.add("wechat.alert_group", "%q is not the key of a configured group", c.WeChat.AlertGroup)
	}
	if len(errs) > 0 {
		return fmt.Errorf("config: %d problem(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	return nil
}

// hasGroup reports whether a configured group matches.
func (c *Config) hasGroup(match func(GroupConfig) bool) bool {
	for _, cm := range c.Communities {
		if slices.ContainsFunc(cm.Groups, match) {
			return true
		}
	}
	return false
}

func (c *Config) hasGroupKey(key string) bool {
	return c.hasGroup(func(g GroupConfig) bool { return g.Key == key })
}

func (c *Config) hasConsoleGroup(chat string) bool {
	return c.hasGroup(func(g GroupConfig) bool { return g.Platform == "console" && g.Chat == chat })
}

func (cm CommunityConfig) validate(errs *configErrors, p string, seen map[string]bool, chats map[string]string) {
	checkKey(errs, p+".key", cm.Key, seen)
	if cm.Name == "" {
		errs.add(p+".name", "is required")
	}
	if _, err := time.LoadLocation(cm.Timezone); err != nil {
		errs.add(p+".timezone", "unknown time zone %q", cm.Timezone)
	}
	oneOf(errs, p+".language", cm.Language, languages)
	grids, buildings, depts := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, g := range cm.Grids {
		q := fmt.Sprintf("%s.grids[%d]", p, i)
		checkKey(errs, q+".key", g.Key, grids)
		required(errs, q+".name", g.Name)
	}
	for i, b := range cm.Buildings {
		q := fmt.Sprintf("%s.buildings[%d]", p, i)
		checkKey(errs, q+".key", b.Key, buildings)
		required(errs, q+".name", b.Name)
		ref(errs, q+".grid", b.Grid, grids, "grid")
	}
	for i, d := range cm.Departments {
		q := fmt.Sprintf("%s.departments[%d]", p, i)
		checkKey(errs, q+".key", d.Key, depts)
		required(errs, q+".name", d.Name)
	}
	groups := map[string]bool{}
	for i, g := range cm.Groups {
		q := fmt.Sprintf("%s.groups[%d]", p, i)
		checkKey(errs, q+".key", g.Key, groups)
		required(errs, q+".name", g.Name)
		oneOf(errs, q+".kind", g.Kind, groupKinds)
		oneOf(errs, q+".platform", g.Platform, platforms)
		oneOf(errs, q+".mode", g.Mode, groupModes)
		if g.Language != "" {
			oneOf(errs, q+".language", g.Language, languages)
		}
		ref(errs, q+".building", g.Building, buildings, "building")
		ref(errs, q+".grid", g.Grid, grids, "grid")
		ref(errs, q+".department", g.Department, depts, "department")
		switch g.Kind {
		case storage.GroupBuilding:
			if g.Building == "" {
				errs.add(q+".building", "a building group must name its building")
			}
		case storage.GroupGrid:
			if g.Grid == "" {
				errs.add(q+".grid", "a grid group must name its grid")
			}
		case storage.GroupDepartment:
			if g.Department == "" {
				errs.add(q+".department", "a department group must name its department")
			}
		}
		chat := g.Platform + ":" + g.Chat
		if other, dup := chats[chat]; dup {
			errs.add(q+".chat", "%s chat %q is already used by %s", g.Platform, g.Chat, other)
		}
		chats[chat] = q
	}
	people, users := map[string]bool{}, map[string]string{}
	for i, person := range cm.People {
		q := fmt.Sprintf("%s.people[%d]", p, i)
		checkKey(errs, q+".key", person.Key, people)
		required(errs, q+".name", person.Name)
		oneOf(errs, q+".platform", person.Platform, platforms)
		if person.Language != "" {
			oneOf(errs, q+".language", person.Language, languages)
		}
		user := person.Platform + ":" + person.User
		if other, dup := users[user]; dup {
			errs.add(q+".user", "%s user %q is already %s", person.Platform, person.User, other)
		}
		users[user] = q
		for j, r := range person.Roles {
			checkRole(errs, fmt.Sprintf("%s.roles[%d]", q, j), r, buildings, grids, depts)
		}
	}
}

func checkRole(errs *configErrors, path, role string, buildings, grids, depts map[string]bool) {
	name, scope, scoped := strings.Cut(role, ":")
	switch name {
	case storage.RoleCaptain:
		ref(errs, path, scope, buildings, "building")
	case storage.RoleGridWorker:
		ref(errs, path, scope, grids, "grid")
	case storage.RoleDepartment:
		ref(errs, path, scope, depts, "department")
	default:
		if !contains(unscopedRoles, name) {
			errs.add(path, "unknown role %q (resident, staff, admin, captain:BUILDING, grid_worker:GRID, department:DEPARTMENT)", role)
			return
		}
		if scoped {
			errs.add(path, "role %q takes no scope", name)
		}
		return
	}
	if scope == "" {
		errs.add(path, "role %q needs a scope, like %s:KEY", name, name)
	}
}

func checkKey(errs *configErrors, path, key string, seen map[string]bool) {
	switch {
	case key == "":
		errs.add(path, "is required")
	case !keyRE.MatchString(key):
		errs.add(path, "%q must be lower-case letters, digits, - or _", key)
	case seen[key]:
		errs.add(path, "%q is used twice", key)
	}
	seen[key] = true
}

func required(errs *configErrors, path, v string) {
	if strings.TrimSpace(v) == "" {
		errs.add(path, "is required")
	}
}

func ref(errs *configErrors, path, key string, known map[string]bool, what string) {
	if key != "" && !known[key] {
		errs.add(path, "unknown %s %q", what, key)
	}
}

func oneOf(errs *configErrors, path, v string, allowed []string) {
	if !contains(allowed, v) {
		errs.add(path, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Spec turns a community's config into what storage syncs.
func (cm CommunityConfig) Spec() storage.CommunitySpec {
	s := storage.CommunitySpec{Key: cm.Key, Name: cm.Name, Timezone: cm.Timezone, Lang: cm.Language}
	for _, g := range cm.Grids {
		s.Grids = append(s.Grids, storage.GridSpec{Key: g.Key, Name: g.Name})
	}
	for _, b := range cm.Buildings {
		s.Buildings = append(s.Buildings, storage.BuildingSpec{Key: b.Key, Name: b.Name, Grid: b.Grid})
	}
	for _, d := range cm.Departments {
		s.Departments = append(s.Departments, storage.DepartmentSpec{Key: d.Key, Name: d.Name, Aliases: d.Aliases})
	}
	for _, g := range cm.Groups {
		s.Groups = append(s.Groups, storage.GroupSpec{Key: g.Key, Name: g.Name, Platform: g.Platform, Chat: g.Chat,
			Kind: g.Kind, Building: g.Building, Grid: g.Grid, Department: g.Department, Mode: g.Mode, Lang: g.Language})
	}
	for _, p := range cm.People {
		ps := storage.PersonSpec{Key: p.Key, Name: p.Name, Platform: p.Platform, User: p.User, Room: p.Room, Lang: p.Language}
		for _, r := range p.Roles {
			name, scope, _ := strings.Cut(r, ":")
			ps.Roles = append(ps.Roles, storage.Role{Role: name, Scope: scope})
		}
		s.People = append(s.People, ps)
	}
	return s
}
