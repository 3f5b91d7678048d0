package main

import (
	"context"
	"fmt"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wecom"
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

// weComDisplaced reports that another process took the WeCom bot over and
// this one stopped receiving from WeCom: handlers/alerts tells the alert group.
func (a *App) weComDisplaced(ctx context.Context) {
	now := a.Clock.Now()
	a.Alerts.Publish(bot.ChannelEvent{Platform: bot.WeCom, Kind: bot.EventDisplaced, At: now, Since: now})
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
