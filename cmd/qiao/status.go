package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/handlers/alerts"
	"github.com/qiao-community/qiao/storage"
)

// statusCmd is `qiao status`: each enabled channel's last recorded condition
// and its traffic, read from the database (safe while the bot runs).
func statusCmd(ctx context.Context, cfg *Config, out io.Writer) error {
	db, err := storage.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, p := range enabledPlatforms(cfg) {
		head, err := connectionLine(ctx, db, p)
		if err != nil {
			return err
		}
		var t storage.ChannelTraffic
		err = db.View(ctx, func(tx *storage.Tx) error {
			var err error
			t, err = tx.ChannelTraffic(p)
			return err
		})
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(out, "%s\n  %s\n", head, trafficLine(t)); err != nil {
			return err
		}
	}
	return nil
}

// enabledPlatforms lists the channels this configuration runs.
func enabledPlatforms(cfg *Config) []string {
	var ps []string
	if cfg.Console.On() {
		ps = append(ps, bot.Console)
	}
	if cfg.Telegram.Enabled {
		ps = append(ps, bot.Telegram)
	}
	if cfg.WeChat.Enabled {
		ps = append(ps, bot.WeChat)
	}
	if cfg.WeCom.Enabled {
		ps = append(ps, bot.WeCom)
	}
	return ps
}

// connectionLine says whether a channel is connected, as last recorded.
func connectionLine(ctx context.Context, db *storage.DB, platform string) (string, error) {
	if platform == bot.WeChat {
		st, err := wechat.LoadState(ctx, kvStore{db})
		return wechatStatusLine(st), err
	}
	c, ok, err := alerts.LoadConnection(ctx, db, platform)
	if err != nil || !ok {
		return platform + ": no connection event recorded (the traffic below says what happened)", err
	}
	line := fmt.Sprintf("%s: %s at %s", platform, strings.ReplaceAll(string(c.Kind), "_", " "), stamp(c.At))
	if !c.Since.IsZero() {
		line += ", since " + stamp(c.Since)
	}
	if c.Err != "" {
		line += ": " + c.Err
	}
	return line, nil
}

// trafficLine is a channel's messages in and out, queued and failed.
func trafficLine(t storage.ChannelTraffic) string {
	line := fmt.Sprintf("last in %s · last out %s · queued %d", stamp(t.LastIn), stamp(t.LastOut), t.Queued)
	if t.Queued > 0 {
		line += " (oldest " + stamp(t.OldestQueued) + ")"
	}
	line += fmt.Sprintf(" · failed %d", t.Failed)
	if t.LastError != "" {
		line += " · last error: " + t.LastError
	}
	return line
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// wechatStatusLine says in one line what the WeChat adapter last recorded.
func wechatStatusLine(st wechat.State) string {
	since := stamp(st.Since)
	switch st.State {
	case "":
		return "wechat: never logged in"
	case wechat.StateOnline:
		return "wechat: online since " + since
	case wechat.StateRefused:
		return fmt.Sprintf("wechat: REFUSED by WeChat (ret 1203) at %s, not retrying: %s", since, st.Err)
	case wechat.StateGaveUp:
		return fmt.Sprintf("wechat: STOPPED after a kick loop at %s, not retrying: %s", since, st.Err)
	}
	return fmt.Sprintf("wechat: offline since %s (%s), logging in again", since, st.Err)
}
