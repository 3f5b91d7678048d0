package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wecom"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// newWeCom builds the WeCom adapters: the long-connection bot when enabled,
// and the group robots when any group posts through one.
func (a *App) newWeCom() []bot.Adapter {
	cfg := a.Config.WeCom
	var out []bot.Adapter
	if cfg.Enabled {
		a.WeCom = wecom.New(cfg, wecom.Options{Log: a.Log, Clock: a.Clock, Displaced: a.weComDisplaced})
		out = append(out, a.WeCom)
	}
	if len(cfg.Webhooks) > 0 {
		out = append(out, &wecom.Webhook{URL: cfg.WebhookURL, Keys: cfg.Webhooks})
	}
	return out
}

// weComDisplaced tells the alert group that another process took the WeCom
// bot over and this one stopped receiving from WeCom.
func (a *App) weComDisplaced(ctx context.Context) {
	since := a.Clock.Now()
	data := map[string]any{"Since": a.formatTime(since)}
	text, err := a.Prompts.Render(a.Config.Language, prompts.WeComDisplaced, data)
	if err == nil {
		a.Log.Error(text, "platform", bot.WeCom)
	}
	key := a.Config.weComAlertGroup()
	if key == "" {
		return // the log is the alert
	}
	err = a.DB.Update(context.WithoutCancel(ctx), func(tx *storage.Tx) error {
		g, err := groupByKey(tx, key)
		if err != nil {
			return err
		}
		err = a.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.WeComDisplaced, Data: data,
			DedupeKey: fmt.Sprintf("wecom:displaced:%d", since.Unix())})
		if errors.Is(err, storage.ErrDuplicate) {
			return nil
		}
		return err
	})
	if err != nil {
		a.Log.Error("wecom: alert not posted", "err", err)
		return
	}
	a.Dispatcher.Wake()
}

// groupByKey finds a configured group by its key in any community.
func groupByKey(tx *storage.Tx, key string) (storage.Group, error) {
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
			if g.Key == key {
				return g, nil
			}
		}
	}
	return storage.Group{}, fmt.Errorf("group %q: %w", key, storage.ErrNotFound)
}
