package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// `qiao status` prints every enabled channel: its last connection event and
// its traffic (in, out, queued, failed, the last error), read from the
// database another process writes.
func TestStatusShowsEveryChannel(t *testing.T) {
	s := newStory(t)
	s.run(":in 3栋居民群\n:as 居民甲\n#建议 楼下加个长椅\n")
	s.cfg.WeCom.Enabled = true
	app := s.app(strings.NewReader(""), &strings.Builder{})
	ctx := context.Background()
	// WeCom: connected once, then a message that keeps failing.
	app.Alerts.Publish(bot.ChannelEvent{Platform: bot.WeCom, Kind: bot.EventOnline, At: storyStart, Account: "bot-1"})
	app.Alerts.Flush(ctx)
	var id int64
	err := app.DB.Update(ctx, func(tx *storage.Tx) error {
		var err error
		id, err = tx.Enqueue(storage.OutboxMessage{Platform: bot.WeCom, ChatKey: "staff", Text: "x", NotBefore: storyStart})
		return err
	})
	if err == nil {
		err = app.DB.MarkRetry(ctx, id, "errcode 45009: api freq out of limit", storyStart.Add(time.Minute))
	}
	if err != nil {
		t.Fatal(err)
	}
	app.Close()

	var out strings.Builder
	if err := statusCmd(ctx, s.cfg, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"console: no connection event recorded",
		"last in 2026-11-30", // the console's suggestion
		"wecom: online at",
		"queued 1 (oldest ",
		"last error: errcode 45009: api freq out of limit",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "wechat") || strings.Contains(got, "telegram") {
		t.Errorf("status shows channels that are not enabled:\n%s", got)
	}
	if strings.Count(got, "last out never") != 1 { // the console delivered its replies; WeCom nothing
		t.Errorf("want exactly WeCom with nothing delivered:\n%s", got)
	}
}
