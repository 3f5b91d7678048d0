package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// benchUpdates is how many group messages each iteration pushes.
const benchUpdates = 2000

// BenchmarkTelegramIntake measures updates handled per second through the
// same fake Bot API: "bare-echo" is go-telegram/bot's echo bot (its own
// polling loop and async handlers, each sending the text back: the issue's
// yardstick), "bare-nothing" the same loop doing nothing (the ceiling), "qiao" is Qiao's adapter feeding
// the real Engine over SQLite (chit-chat in a building group from 200
// residents: dedupe, person, route; no reply). Compare updates/s in one run:
//
//	go test -run '^$' -bench TelegramIntake -benchtime 3x ./bot/telegram/
func BenchmarkTelegramIntake(b *testing.B) {
	echo := func(ctx context.Context, api *tg.Bot, u *models.Update) error {
		_, err := api.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text})
		return err
	}
	nothing := func(context.Context, *tg.Bot, *models.Update) error { return nil }
	b.Run("bare-echo", func(b *testing.B) { benchBare(b, echo) })
	b.Run("bare-nothing", func(b *testing.B) { benchBare(b, nothing) })
	b.Run("qiao", func(b *testing.B) {
		for range b.N {
			fake := pushed(b)
			engine := benchEngine(b)
			a, err := telegram.New(context.Background(), telegram.Config{Enabled: true, Token: telegramtest.Token,
				APIURL: fake.URL, PollSeconds: 2, Mode: telegram.ModePolling}, telegram.Options{Offsets: &offsets{}})
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			start := time.Now()
			done := make(chan error, 1)
			in := &counting{Engine: engine}
			go func() { done <- a.Run(ctx, in) }()
			before := engine.DB.WriteStats().Commits
			waitCount(b, &in.n)
			report(b, start)
			reportCommits(b, engine, before)
			cancel()
			<-done
		}
	})
}

// waitCount waits until n reaches benchUpdates, checking every millisecond
// (the same for both sides).
func waitCount(b *testing.B, n *atomic.Int64) {
	deadline := time.Now().Add(time.Minute)
	for n.Load() < benchUpdates {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d updates handled after a minute", n.Load(), benchUpdates)
		}
		time.Sleep(time.Millisecond)
	}
}

// benchBare runs go-telegram/bot's own polling loop with handle as its
// default handler.
func benchBare(b *testing.B, handle func(context.Context, *tg.Bot, *models.Update) error) {
	for range b.N {
		fake := pushed(b)
		var seen atomic.Int64
		api, err := tg.New(telegramtest.Token, tg.WithServerURL(fake.URL), tg.WithSkipGetMe(),
			tg.WithDefaultHandler(func(ctx context.Context, api *tg.Bot, u *models.Update) {
				if handle(ctx, api, u) == nil {
					seen.Add(1)
				}
			}))
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		go api.Start(ctx)
		waitCount(b, &seen)
		report(b, start)
		cancel()
	}
}

func report(b *testing.B, start time.Time) {
	b.ReportMetric(float64(benchUpdates)/time.Since(start).Seconds(), "updates/s")
}

// reportCommits reports the engine's commits per update since before.
func reportCommits(b *testing.B, engine *bot.Engine, before int64) {
	b.ReportMetric(float64(engine.DB.WriteStats().Commits-before)/benchUpdates, "commits/update")
}

// pushed is a fake Bot API holding benchUpdates group messages.
func pushed(b *testing.B) *telegramtest.Fake {
	b.StopTimer()
	defer b.StartTimer()
	fake := telegramtest.New(b)
	group := telegramtest.Chat(-100, "3栋居民群")
	for i := range benchUpdates {
		fake.Push(telegramtest.Message(group, telegramtest.User(int64(1000+i%200), fmt.Sprint("居民", i%200)), i+1,
			"今天天气不错，大家早上好"))
	}
	return fake
}

func benchEngine(b *testing.B) *bot.Engine {
	b.StopTimer()
	defer b.StartTimer()
	db := storagetest.Open(b)
	storagetest.Sync(b, db, storagetest.Move(storagetest.Community(), bot.Telegram, map[string]string{"b3": "-100"}, nil))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &bot.Engine{DB: db, Mux: bot.NewMux(), Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"}, Log: log}
}

// counting is the Engine, counting the messages it handled.
type counting struct {
	*bot.Engine
	n atomic.Int64
}

func (c *counting) Handle(ctx context.Context, m bot.Message) error {
	err := c.Engine.Handle(ctx, m)
	if err == nil {
		c.n.Add(1)
	}
	return err
}

func (c *counting) HandleBatch(ctx context.Context, msgs []bot.Message, cp ...bot.Checkpoint) []error {
	errs := c.Engine.HandleBatch(ctx, msgs, cp...)
	for _, err := range errs {
		if err == nil {
			c.n.Add(1)
		}
	}
	return errs
}

// offsets is an OffsetStore in memory.
type offsets struct{ id atomic.Int64 }

func (o *offsets) Offset(context.Context) (int64, error)       { return o.id.Load(), nil }
func (o *offsets) Key() string                                 { return "telegram.update_offset" }
func (o *offsets) SetOffset(_ context.Context, id int64) error { o.id.Store(id); return nil }
