package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/schedule"
	"github.com/qiao-community/qiao/bot/telegram"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/handlers/digest"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/web"
)

// section is the one validation signature every configuration section has:
// its problems as "path.key: message" lines, path being where it sits.
type section interface{ Validate(path string) []string }

// Every section, checked at compile time to keep that signature.
var _ = []section{(*LogConfig)(nil), (*CommunityConfig)(nil), (*telegram.Config)(nil), (*wechat.Config)(nil),
	(*requests.Config)(nil), (*polls.Config)(nil), (*digest.Config)(nil), (*schedule.Config)(nil), (*storage.Retention)(nil),
	(*web.Config)(nil)}

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
	errs = append(errs, c.Log.Validate("log")...)
	errs = append(errs, c.Memory.Validate("memory")...)
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
	errs = append(errs, validateCategories("categories", c.Categories)...)
	errs = append(errs, c.Requests.Validate("requests")...)
	errs = append(errs, c.Requests.CheckCategories("requests", c.Categories)...)
	errs = append(errs, c.Polls.Validate("polls")...)
	errs = append(errs, c.Volunteers.Validate("volunteers")...)
	if len(c.Communities) == 0 {
		errs.add("communities", "at least one community is required")
	}
	seenCommunity := map[string]bool{}
	chats := map[string]string{}
	for i, cm := range c.Communities {
		p := fmt.Sprintf("communities[%d]", i)
		checkKey(&errs, p+".key", cm.Key, seenCommunity)
		errs = append(errs, cm.Validate(p)...)
		errs = append(errs, cm.checkChats(p, chats)...)
	}
	errs = append(errs, c.Jobs.Validate("jobs")...)
	errs = append(errs, c.checkJobTargets("jobs")...)
	errs = append(errs, c.Digest.Validate("digest")...)
	errs = append(errs, c.Retention.Validate("retention")...)
	if c.Console.On() {
		if !c.hasConsoleGroup(c.Console.Group) {
			errs.add("console.group", "%q is not the chat of a console group", c.Console.Group)
		}
		if strings.TrimSpace(c.Console.User) == "" {
			errs.add("console.user", "is required when the console is enabled")
		}
	}
	errs = append(errs, c.Telegram.Validate("telegram")...)
	errs = append(errs, c.checkTelegramChats()...)
	errs = append(errs, c.WeChat.Validate("wechat")...)
	c.checkWeCom(&errs)
	errs = append(errs, c.Web.Validate("web")...)
	errs = append(errs, c.checkStreetRoles()...)
	if c.WeChat.AlertGroup != "" && !c.hasGroupKey(c.WeChat.AlertGroup) {
		errs.add("wechat.alert_group", "%q is not the key of a configured group", c.WeChat.AlertGroup)
	}
	if len(errs) > 0 {
		return fmt.Errorf("config: %d problem(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	return nil
}

// Validate reports the problems of the log section as "path.key: message" lines.
func (l *LogConfig) Validate(path string) []string {
	var errs configErrors
	oneOf(&errs, path+".level", l.Level, logLevels)
	oneOf(&errs, path+".format", l.Format, logFormats)
	return errs
}

// validateCategories reports the problems of the categories list.
func validateCategories(path string, cats []requests.Category) []string {
	var errs configErrors
	seen := map[string]bool{}
	for i, cat := range cats {
		p := fmt.Sprintf("%s[%d]", path, i)
		checkKey(&errs, p+".key", cat.Key, seen)
		if cat.Name == "" {
			errs.add(p+".name", "is required")
		}
		if len(cat.Keywords) == 0 {
			errs.add(p+".keywords", "needs at least one keyword")
		}
	}
	return errs
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

func checkRole(errs *configErrors, path, role string, buildings, grids, depts map[string]bool) {
	name, scope, scoped := strings.Cut(role, ":")
	switch name {
	case storage.RoleCaptain:
		ref(errs, path, scope, buildings, "building")
	case storage.RoleGridWorker:
		ref(errs, path, scope, grids, "grid")
	case storage.RoleDepartment:
		ref(errs, path, scope, depts, "department")
	case storage.RoleStreet: // the community is checked by checkStreetRoles
	default:
		if !contains(unscopedRoles, name) {
			errs.add(path, "unknown role %q (resident, staff, admin, captain:BUILDING, grid_worker:GRID, department:DEPARTMENT, street:COMMUNITY)", role)
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

// checkTelegramChats checks the groups and people on Telegram: the adapter must
// be enabled and their keys are Telegram's numeric ids.
func (c *Config) checkTelegramChats() []string {
	var all configErrors
	errs := &all
	for i, cm := range c.Communities {
		for j, g := range cm.Groups {
			if g.Platform == bot.Telegram {
				c.checkTelegramID(errs, fmt.Sprintf("communities[%d].groups[%d]", i, j), "chat", g.Chat,
					"a Telegram chat is its numeric id, like -1001234567890 (staff are told it when the bot is added)")
			}
		}
		for j, p := range cm.People {
			if p.Platform == bot.Telegram {
				c.checkTelegramID(errs, fmt.Sprintf("communities[%d].people[%d]", i, j), "user", p.User,
					"a Telegram user is their numeric id, like 123456789")
			}
		}
	}
	return all
}

func (c *Config) checkTelegramID(errs *configErrors, path, key, id, hint string) {
	if !c.Telegram.Enabled {
		errs.add(path+".platform", "telegram is used but telegram.enabled is false")
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		errs.add(path+"."+key, "%q: %s", id, hint)
	}
}

// checkStreetRoles checks that each street:KEY role names a configured community.
func (c *Config) checkStreetRoles() []string {
	var errs configErrors
	keys := map[string]bool{}
	for _, cm := range c.Communities {
		keys[cm.Key] = true
	}
	for i, cm := range c.Communities {
		for j, p := range cm.People {
			for k, r := range p.Roles {
				if name, scope, _ := strings.Cut(r, ":"); name == storage.RoleStreet && scope != "" {
					ref(&errs, fmt.Sprintf("communities[%d].people[%d].roles[%d]", i, j, k), scope, keys, "community")
				}
			}
		}
	}
	return errs
}
