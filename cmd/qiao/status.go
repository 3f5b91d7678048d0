package main

import (
	"context"
	"fmt"
	"io"

	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/storage"
)

// statusCmd is `qiao status`: each channel's last recorded condition, read
// from the database (safe while the bot runs).
func statusCmd(ctx context.Context, cfg *Config, out io.Writer) error {
	if !cfg.WeChat.Enabled {
		_, err := fmt.Fprintln(out, "wechat: disabled")
		return err
	}
	db, err := storage.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := wechat.LoadState(ctx, kvStore{db})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, wechatStatusLine(st))
	return err
}

// wechatStatusLine says in one line what the WeChat adapter last recorded.
func wechatStatusLine(st wechat.State) string {
	since := st.Since.Local().Format("2006-01-02 15:04")
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
