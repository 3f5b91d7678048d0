// Package help answers 帮助/help with the commands the sender may use, and
// 语言/lang to switch a person's language.
package help

import (
	"slices"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
)

// Help lists the Mux's commands.
type Help struct {
	Mux *bot.Mux
}

// everyday are the commands a resident's help shows, by ASCII name and in this
// order: what people come for, each with an example to copy. Everything else
// the sender may use is one "#帮助 全部" away, so the help fits a phone screen.
var everyday = []string{"repair", "report", "suggest", "need", "status", "vote"}

// allWords ask for every command the sender may use.
var allWords = []string{"全部", "所有", "更多", "all", "more"}

type entry struct {
	Name, Alias, Summary, Example string
}

// Show answers #帮助 with the everyday commands and, for staff, captains and
// departments, the names of their own; #帮助 全部 with every command the sender
// may use here; #帮助 CMD with one command's use and an example.
func (h *Help) Show(c *bot.Context) error {
	topic := strings.TrimLeft(strings.TrimSpace(c.Args), "#/")
	all := slices.Contains(allWords, strings.ToLower(topic))
	if topic != "" && !all {
		if cmd, _ := h.Mux.Lookup(topic); cmd != nil {
			e, err := h.entry(c, cmd, "help.summary.")
			if err != nil {
				return err
			}
			return c.Reply(prompts.HelpCommand, e)
		}
	}
	var daily []entry
	var others []string
	for _, cmd := range h.Mux.Commands() {
		if !cmd.ShownTo(c) {
			continue
		}
		if slices.Contains(everyday, cmd.ASCII()) {
			e, err := h.entry(c, cmd, "help.brief.")
			if err != nil {
				return err
			}
			daily = append(daily, e)
			continue
		}
		// The short list names only what the sender's role adds; the full one, all.
		if all || cmd.Allow != nil || cmd.Audience != nil {
			others = append(others, h.token(c, cmd))
		}
	}
	slices.SortStableFunc(daily, func(a, b entry) int {
		return slices.Index(everyday, a.Alias) - slices.Index(everyday, b.Alias)
	})
	data := map[string]any{"Bot": c.BotName, "Everyday": daily, "Others": others, "All": all,
		"Telegram": c.Msg.Platform == bot.Telegram}
	return c.Reply(prompts.Help, data)
}

// token is how a command is typed here: #名 in Chinese, /alias on Telegram or
// in English.
func (h *Help) token(c *bot.Context, cmd *bot.Command) string {
	if cmd.ASCII() != "" && (c.Lang == "en" || c.Msg.Platform == bot.Telegram) {
		return "/" + cmd.ASCII()
	}
	return "#" + cmd.Name
}

func (h *Help) entry(c *bot.Context, cmd *bot.Command, summary string) (entry, error) {
	e := entry{Name: cmd.Name, Alias: cmd.ASCII()}
	var err error
	if e.Summary, err = c.Outbox.Render(c.Lang, summary+cmd.HelpKey(), nil); err != nil {
		return e, err
	}
	e.Example, err = c.Outbox.Render(c.Lang, "help.example."+cmd.HelpKey(), nil)
	return e, err
}

// Lang answers #语言 中文|English and remembers the choice for the sender.
func Lang(c *bot.Context) error {
	var lang string
	switch strings.ToLower(strings.TrimSpace(c.Args)) {
	case "中文", "zh", "zh-cn", "chinese", "汉语", "简体中文":
		lang = "zh-CN"
	case "english", "en", "英文", "英语":
		lang = "en"
	default:
		return bot.Refuse(prompts.LangUsage, nil)
	}
	if err := c.Tx.SetPersonLang(c.Person.ID, lang); err != nil {
		return err
	}
	c.Lang = lang
	return c.Reply(prompts.LangSet, nil)
}

// Greet is the last text handler: in a private chat, text nothing else took
// ("你好", "在吗") gets one line saying what the bot does, rather than silence.
// In groups it stays quiet.
func Greet(c *bot.Context) error {
	if c.Group != nil || c.Msg.Callback != "" {
		return bot.ErrPass
	}
	return c.Reply(prompts.HelpGreeting, map[string]string{"Bot": c.BotName})
}
