package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram"
	"github.com/qiao-community/qiao/storage"
)

// newTelegram connects the Telegram adapter; a refused token is an error here,
// before anything runs.
func (a *App) newTelegram(ctx context.Context) (*telegram.Adapter, error) {
	return telegram.New(ctx, a.Config.Telegram, telegram.Options{
		Offsets:  kvOffsets{db: a.DB, key: "telegram.update_offset"},
		Commands: a.telegramCommands(),
		MoveChat: func(ctx context.Context, from, to string) error {
			return a.Dispatcher.MoveChat(ctx, bot.Telegram, from, to)
		},
		Log:   a.Log,
		Clock: a.Clock,
	})
}

var telegramCommandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// telegramCommands is the command menu: every command's ASCII name with its
// help summary in the configured language.
func (a *App) telegramCommands() []telegram.Command {
	var out []telegram.Command
	for _, c := range a.Mux.Commands() {
		name := c.ASCII()
		if !telegramCommandRE.MatchString(name) {
			continue
		}
		desc, err := a.Prompts.Render(a.Config.Language, "help.summary."+c.HelpKey(), nil)
		if err != nil || strings.TrimSpace(desc) == "" {
			desc = c.Name
		}
		out = append(out, telegram.Command{Name: name, Description: c.Name + " · " + truncateRunes(desc, 200)})
	}
	return out
}

func truncateRunes(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > n {
		return string(r[:n])
	}
	return string(r)
}

// kvOffsets keeps the Telegram adapter's last committed update id in the kv table.
type kvOffsets struct {
	db  *storage.DB
	key string
}

func (k kvOffsets) Offset(ctx context.Context) (int64, error) {
	v, err := k.db.Value(ctx, k.key)
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("kv %s: %w", k.key, err)
	}
	return id, nil
}

// Key is where the engine stores the offset with each page it commits.
func (k kvOffsets) Key() string { return k.key }

func (k kvOffsets) SetOffset(ctx context.Context, id int64) error {
	return k.db.SetValue(ctx, k.key, strconv.FormatInt(id, 10))
}
