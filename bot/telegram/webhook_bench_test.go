package telegram_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

// webhookConns is how many requests are in flight at once: Telegram's
// default max_connections.
const webhookConns = 40

// BenchmarkTelegramWebhook posts benchUpdates group messages to a webhook
// over webhookConns connections, each waiting for its answer as Telegram
// does, and reports updates/s until all are handled: "bare-echo" is
// go-telegram/bot's webhook handler (it answers 200 before handling; its
// workers send the text back through the fake Bot API), "bare-nothing" the
// same doing nothing (the ceiling), "qiao" Qiao's
// handler over the real Engine (each request answered once its update is
// committed; bursts batched), "qiao-single" the same without batches
// (one Handle per request, sharing group commits only by concurrency).
//
//	go test -run '^$' -bench TelegramWebhook -benchtime 3x ./bot/telegram/
func BenchmarkTelegramWebhook(b *testing.B) {
	bodies := webhookBodies()
	bare := func(b *testing.B, echo bool) {
		for range b.N {
			fake := telegramtest.New(b)
			var seen atomic.Int64
			api, err := tg.New(telegramtest.Token, tg.WithServerURL(fake.URL), tg.WithSkipGetMe(),
				tg.WithWebhookSecretToken("s3cret"),
				tg.WithDefaultHandler(func(ctx context.Context, api *tg.Bot, u *models.Update) {
					if echo {
						if _, err := api.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: u.Message.Text}); err != nil {
							return
						}
					}
					seen.Add(1)
				}))
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			go api.StartWebhook(ctx)
			srv := httptest.NewServer(api.WebhookHandler())
			start := time.Now()
			postAll(b, srv.URL, bodies)
			waitCount(b, &seen)
			report(b, start)
			cancel()
			srv.Close()
		}
	}
	b.Run("bare-echo", func(b *testing.B) { bare(b, true) })
	b.Run("bare-nothing", func(b *testing.B) { bare(b, false) })
	qiao := func(b *testing.B, batched bool) {
		for range b.N {
			fake := telegramtest.New(b)
			engine := benchEngine(b)
			a, err := telegram.New(context.Background(), telegram.Config{Enabled: true, Token: telegramtest.Token,
				APIURL: fake.URL, PollSeconds: 2, Mode: telegram.ModeWebhook,
				Webhook: telegram.WebhookConfig{SecretToken: "s3cret"}}, telegram.Options{Offsets: &offsets{}})
			if err != nil {
				b.Fatal(err)
			}
			var in bot.Inbound = &counting{Engine: engine}
			if !batched {
				in = single{in}
			}
			srv := httptest.NewServer(a.WebhookHandler(in))
			before := engine.DB.WriteStats().Commits
			start := time.Now()
			postAll(b, srv.URL, bodies)
			report(b, start)
			reportCommits(b, engine, before)
			srv.Close()
		}
	}
	b.Run("qiao", func(b *testing.B) { qiao(b, true) })
	b.Run("qiao-single", func(b *testing.B) { qiao(b, false) })
}

// single hides HandleBatch: one Handle per update.
type single struct{ in bot.Inbound }

func (s single) Handle(ctx context.Context, m bot.Message) error { return s.in.Handle(ctx, m) }

func webhookBodies() [][]byte {
	group := telegramtest.Chat(-100, "3栋居民群")
	out := make([][]byte, benchUpdates)
	for i := range out {
		msg := telegramtest.Message(group, telegramtest.User(int64(1000+i%200), fmt.Sprint("居民", i%200)), i+1,
			"今天天气不错，大家早上好")["message"]
		out[i], _ = json.Marshal(map[string]any{"update_id": i + 1, "message": msg})
	}
	return out
}

// postAll posts every body over webhookConns connections and fails on an answer other than 200.
func postAll(b *testing.B, url string, bodies [][]byte) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: webhookConns}}
	defer client.CloseIdleConnections()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range webhookConns {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(bodies)); i = next.Add(1) - 1 {
				req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(bodies[i])))
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("update %d answered %d", i+1, resp.StatusCode)
					return
				}
			}
		})
	}
	wg.Wait()
}
