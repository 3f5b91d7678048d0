package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// newWeChat builds the WeChat adapter: its files sit next to the database
// unless configured with a directory, its memory is the kv table, and its
// alerts go to the configured alert group (and always to the log).
func (a *App) newWeChat(qrOut io.Writer) *wechat.Adapter {
	cfg := a.Config.WeChat
	dir := filepath.Dir(a.Config.Database)
	for _, p := range []*string{&cfg.LoginFile, &cfg.QRFile} {
		if filepath.Base(*p) == *p {
			*p = filepath.Join(dir, *p)
		}
	}
	return &wechat.Adapter{Config: cfg, Log: a.Log, Clock: a.Clock, Store: kvStore{a.DB}, Chats: a.wechatChats,
		Notify: a.wechatNotify, QROut: qrOut}
}

// kvStore is the adapter's memory in the kv table.
type kvStore struct{ db *storage.DB }

func (s kvStore) Load(ctx context.Context, key string) (string, error) {
	v, err := s.db.Value(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	return v, err
}

func (s kvStore) Save(ctx context.Context, key, value string) error {
	return s.db.SetValue(ctx, key, value)
}

// wechatChats lists the chat keys (group names) of the WeChat groups.
func (a *App) wechatChats(ctx context.Context) ([]string, error) { return a.chatsOn(ctx, bot.WeChat) }

// wechatNotify logs an adapter event, posts it to the alert group, and after
// an outage tells each affected group once that messages were missed.
func (a *App) wechatNotify(ctx context.Context, e wechat.Event) {
	now := a.Clock.Now()
	data := map[string]any{"Chat": e.Chat, "Title": e.Title, "Name": e.Name, "Chats": e.Chats, "Account": e.Account,
		"QRFile": e.QRFile, "URL": e.URL, "Retry": e.Retry.String(), "Err": "", "Bot": a.Engine.BotNames[0],
		"Since": a.formatTime(e.Since), "Until": a.formatTime(now)}
	if e.Err != nil {
		data["Err"] = e.Err.Error()
	}
	tmpl := prompts.WeChatAlert + string(e.Kind)
	text, err := a.Prompts.Render(a.Config.Language, tmpl, data)
	if err != nil {
		a.Log.Error("wechat: alert", "kind", e.Kind, "err", err)
		return
	}
	switch e.Kind {
	case wechat.EventOnline, wechat.EventMemberRenamed:
		a.Log.Info(text, "platform", bot.WeChat)
	default:
		a.Log.Warn(text, "platform", bot.WeChat)
	}
	// One alert per outage or stall, one QR alert an hour: re-login attempts
	// and QR refreshes repeat.
	dedupe := ""
	switch e.Kind {
	case wechat.EventSessionEnded, wechat.EventLoginFailed, wechat.EventSendStalled, wechat.EventRecovered:
		dedupe = fmt.Sprintf("wechat:%s:%d", e.Kind, e.Since.Unix())
	case wechat.EventQR:
		dedupe = "wechat:qr:" + strconv.FormatInt(now.Truncate(time.Hour).Unix(), 10)
	}
	err = a.DB.Update(ctx, func(tx *storage.Tx) error {
		if e.Kind == wechat.EventRecovered {
			for _, chat := range e.Chats {
				g, err := tx.FindGroupByChat(bot.WeChat, chat)
				if errors.Is(err, storage.ErrNotFound) {
					continue
				} else if err != nil {
					return err
				}
				err = a.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.WeChatOutage, Data: data,
					DedupeKey: fmt.Sprintf("wechat:outage:%s:%d", chat, e.Since.Unix())})
				if err != nil && !errors.Is(err, storage.ErrDuplicate) {
					return err
				}
			}
		}
		if a.Config.WeChat.AlertGroup == "" {
			return nil // the log is the alert
		}
		g, err := a.alertGroup(tx)
		if err != nil {
			return err
		}
		err = a.Outbox.ToGroup(tx, g, bot.Post{Template: tmpl, Data: data, DedupeKey: dedupe})
		if errors.Is(err, storage.ErrDuplicate) {
			return nil
		}
		return err
	})
	if err != nil {
		a.Log.Error("wechat: alert not posted", "kind", e.Kind, "err", err)
		return
	}
	a.Dispatcher.Wake()
}

// alertGroup is the group named by wechat.alert_group.
func (a *App) alertGroup(tx *storage.Tx) (storage.Group, error) {
	communities, err := tx.Communities()
	if err != nil {
		return storage.Group{}, err
	}
	for _, cm := range communities {
		groups, err := tx.Groups(cm.ID)
		if err != nil {
			return storage.Group{}, err
		}
		for _, g := range groups {
			if g.Key == a.Config.WeChat.AlertGroup {
				return g, nil
			}
		}
	}
	return storage.Group{}, fmt.Errorf("alert group %q: %w", a.Config.WeChat.AlertGroup, storage.ErrNotFound)
}

func (a *App) formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(a.Location).Format("01-02 15:04")
}
