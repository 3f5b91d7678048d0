package telegram

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
	"github.com/qiao-community/qiao/storage"
)

// TestBurstOfExpiredPressesIsPostedAtTheGroupsPace: 24 button presses whose
// answers come too late (Telegram refuses them as toasts) are posted into the
// group through the real adapter and dispatcher at no more than 20 a minute;
// and nothing sent carries an escape sequence.
func TestBurstOfExpiredPressesIsPostedAtTheGroupsPace(t *testing.T) {
	fake := telegramtest.New(t)
	clock := bot.NewVirtualClock(t0)
	a := newAdapter(t, fake, clock, nil)
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = clock.Now
	const presses = 24
	for range presses {
		fake.Fail("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired or query ID is invalid", nil)
	}
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for i := range presses {
			if _, err := tx.Enqueue(storage.OutboxMessage{Platform: bot.Telegram, ChatKey: "-1003", UserKey: fmt.Sprint(600 + i),
				UserName: "甲", Text: "已投票", CallbackID: fmt.Sprint("cb", i)}); err != nil {
				return err
			}
		}
		_, err := tx.Enqueue(storage.OutboxMessage{Platform: bot.Telegram, UserKey: "501", UserName: "乙\x1b[2J",
			Text: "您好\x1b]0;owned\a，已受理"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	d := &bot.Dispatcher{DB: db, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	d.Register(a)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- d.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	limit := t0.Add(10 * time.Minute)
	for len(fake.Calls("sendMessage")) < presses+1 {
		if clock.Now().After(limit) {
			t.Fatalf("%d messages sent in 10 minutes", len(fake.Calls("sendMessage")))
		}
		for clock.Waiters() == 0 && len(fake.Calls("sendMessage")) < presses+1 {
			runtime.Gosched()
		}
		clock.Advance(time.Second)
	}
	var group []time.Time
	for _, c := range fake.Calls("sendMessage") {
		if strings.ContainsAny(c.Params["text"], "\x1b\a") {
			t.Errorf("sent with an escape sequence: %q", c.Params["text"])
		}
		if c.Params["chat_id"] == "-1003" {
			group = append(group, c.At)
		}
	}
	if len(group) != presses {
		t.Fatalf("%d posts into the group, want %d", len(group), presses)
	}
	for i := range group {
		n := 0
		for _, at := range group[i:] {
			if at.Sub(group[i]) < time.Minute {
				n++
			}
		}
		if n > 20 {
			t.Fatalf("%d posts into the group within a minute from %s", n, group[i].Format("15:04:05"))
		}
	}
}
