package bot_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// A picture sent where the bot waits for a typed answer gets a polite "please
// type it" and the question stays open; elsewhere pictures are ignored.
func TestPictureWhereTextIsExpected(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	clock := bot.NewVirtualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	storagetest.Sync(t, db, storagetest.Move(storagetest.Community(), "wechat", map[string]string{"staff": "G"}, nil))
	mux := bot.NewMux()
	answered := ""
	mux.Handle(bot.Command{Name: "登记", Aliases: []string{"register"}, Handler: func(c *bot.Context) error {
		return c.Ask("room", "", time.Hour)
	}})
	mux.HandleConversation("room", func(c *bot.Context) error {
		answered = c.Msg.Text
		return c.EndConversation()
	})
	e := &bot.Engine{DB: db, Mux: mux, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BotNames: []string{"小桥"}}
	msg := func(id, text, nonText string) bot.Message {
		return bot.Message{Platform: "wechat", Chat: "G", User: "甲", UserName: "甲", ID: id, Text: text, NonText: nonText}
	}
	for _, m := range []bot.Message{msg("0", "", "MsgTypeImage"), msg("1", "#登记", ""), msg("2", "", "MsgTypeImage"), msg("3", "3栋", "")} {
		if err := e.Handle(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	pending, err := db.PendingOutbox(ctx, "wechat", clock.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || !strings.Contains(pending[0].Text, "我只能读文字") {
		t.Fatalf("outbox %+v: want one \"please type\" answer (to the picture during the question)", pending)
	}
	if answered != "3栋" {
		t.Fatalf("the question got %q, want the typed answer", answered)
	}
}
