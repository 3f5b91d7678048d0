package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/storage"
)

// newWeChat builds the WeChat adapter: its files sit next to the database
// unless configured with a directory, its memory is the kv table, and its
// channel events go to the alerts handler.
func (a *App) newWeChat(qrOut io.Writer) *wechat.Adapter {
	cfg := a.Config.WeChat
	dir := filepath.Dir(a.Config.Database)
	for _, p := range []*string{&cfg.LoginFile, &cfg.QRFile} {
		if filepath.Base(*p) == *p {
			*p = filepath.Join(dir, *p)
		}
	}
	return &wechat.Adapter{Config: cfg, Log: a.Log, Clock: a.Clock, Store: kvStore{a.DB}, Chats: a.wechatChats,
		Privileged: a.wechatPrivileged, Events: a.Alerts, QROut: qrOut}
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
