package main

import (
	"context"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wecom"
)

// newWeCom builds the WeCom adapters: the long-connection bot when enabled,
// and the group robots when any group posts through one.
func (a *App) newWeCom() []bot.Adapter {
	cfg := a.Config.WeCom
	var out []bot.Adapter
	if cfg.Enabled {
		a.WeCom = wecom.New(cfg, wecom.Options{Log: a.Log, Clock: a.Clock, Displaced: a.weComDisplaced,
			Events: a.Alerts})
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
