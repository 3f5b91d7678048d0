// Package help answers 帮助/help with the commands the sender may use, and
// 语言/lang to switch a person's language.
package help

import (
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
)

// Help lists the Mux's commands.
type Help struct {
	Mux *bot.Mux
}

type entry struct {
	Name, Alias, Summary, Example string
}

// Show answers #帮助 with every command the sender may use here, or #帮助 CMD
// with one command's use and an example.
func (h *Help) Show(c *bot.Context) error {
	if c.Args != "" {
		if cmd, _ := h.Mux.Lookup(strings.TrimLeft(c.Args, "#/")); cmd != nil {
			e, err := h.entry(c, cmd)
			if err != nil {
				return err
			}
			return c.Reply(prompts.HelpCommand, e)
		}
	}
	var list []entry
	for _, cmd := range h.Mux.Commands() {
		if cmd.Allow != nil && !cmd.Allow.Allow(c) {
			continue
		}
		e, err := h.entry(c, cmd)
		if err != nil {
			return err
		}
		list = append(list, e)
	}
	return c.Reply(prompts.Help, map[string]any{"Bot": c.BotName, "Commands": list})
}

func (h *Help) entry(c *bot.Context, cmd *bot.Command) (entry, error) {
	e := entry{Name: cmd.Name, Alias: cmd.ASCII()}
	var err error
	if e.Summary, err = c.Outbox.Render(c.Lang, "help.summary."+cmd.HelpKey(), nil); err != nil {
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
