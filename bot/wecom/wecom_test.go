package wecom_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wecom"
	"github.com/qiao-community/qiao/bot/wecom/wecomtest"
)

// inbox records the messages the adapter passes on.
type inbox struct {
	mu   sync.Mutex
	msgs []bot.Message
}

func (b *inbox) Handle(_ context.Context, m bot.Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, m)
	return nil
}

func (b *inbox) all() []bot.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]bot.Message(nil), b.msgs...)
}

type rig struct {
	fake    *wecomtest.Server
	adapter *wecom.Adapter
	in      *inbox
	done    chan error
	cancel  context.CancelFunc
	// displaced counts calls of Options.Displaced.
	mu        sync.Mutex
	displaced int
	events    []bot.ChannelEvent
}

// Publish records the adapter's connection events.
func (r *rig) Publish(e bot.ChannelEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *rig) eventKinds() []bot.ChannelEventKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ks []bot.ChannelEventKind
	for _, e := range r.events {
		ks = append(ks, e.Kind)
	}
	return ks
}

// start runs an adapter against a fresh fake until the test ends.
func start(t *testing.T, secret string) *rig {
	t.Helper()
	r := &rig{fake: wecomtest.New(t, "bot1", "s3cret"), in: &inbox{}, done: make(chan error, 1)}
	cfg := wecom.Config{Enabled: true, BotID: "bot1", Secret: secret, URL: r.fake.URL()}
	r.adapter = wecom.New(cfg, wecom.Options{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		PingInterval: time.Hour, Events: r, Displaced: func(context.Context) {
			r.mu.Lock()
			r.displaced++
			r.mu.Unlock()
		}})
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- r.adapter.Run(ctx, r.in) }()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

func (r *rig) connected(t *testing.T) {
	t.Helper()
	r.fake.Wait(t, "a subscribed connection", func() bool { return r.fake.Connected() && r.adapter.Connected() })
}

func (r *rig) waitMessages(t *testing.T, n int) []bot.Message {
	t.Helper()
	r.fake.Wait(t, "messages", func() bool { return len(r.in.all()) >= n })
	return r.in.all()
}

func TestCallbacksBecomeMessages(t *testing.T) {
	r := start(t, "s3cret")
	r.connected(t)
	r.fake.Text(t, "m1", "wrGROUP", "zhangsan", "@小桥\u2005派单 R3 物业")
	r.fake.Text(t, "m2", "", "lisi", "帮助")
	r.fake.Callback(t, map[string]any{"msgid": "m3", "chattype": "group", "chatid": "wrGROUP",
		"from": map[string]string{"userid": "lisi"}, "msgtype": "image", "image": map[string]string{"url": "x"}})
	got := r.waitMessages(t, 3)
	g, p, img := got[0], got[1], got[2]
	if g.Platform != bot.WeCom || g.Chat != "wrGROUP" || g.User != "zhangsan" || g.ID != "m1" || g.Private ||
		!g.Addressed || g.Text != "派单 R3 物业" {
		t.Errorf("group message = %+v", g)
	}
	if p.Chat != "lisi" || !p.Private || p.User != "lisi" || p.Text != "帮助" {
		t.Errorf("single chat message = %+v", p)
	}
	if img.NonText != "image" || img.Text != "" {
		t.Errorf("image message = %+v", img)
	}
}

func TestSendPushesMarkdown(t *testing.T) {
	r := start(t, "s3cret")
	r.connected(t)
	ctx := context.Background()
	if _, err := r.adapter.Send(ctx, bot.Outgoing{ID: 1, Chat: "wrGROUP", User: "zhangsan", UserName: "张三",
		Also: []bot.Addressee{{User: "wangwu", Name: "王五"}}, Text: "R3 已派给物业 <@boss>", Buttons: [][]bot.Button{{{Text: "受理", Data: "受理 R3"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.adapter.Send(ctx, bot.Outgoing{ID: 2, User: "lisi", Text: "你好"}); err != nil {
		t.Fatal(err)
	}
	got := r.fake.Pushes()
	if len(got) != 2 {
		t.Fatalf("pushes = %+v", got)
	}
	want := "<@zhangsan> <@wangwu> R3 已派给物业 <\u200b@boss>\n受理: #受理 R3"
	if got[0].ChatID != "wrGROUP" || got[0].ChatType != 2 || got[0].Markdown.Content != want {
		t.Errorf("group push = %+v, want content %q", got[0], want)
	}
	if got[1].ChatID != "lisi" || got[1].ChatType != 1 || got[1].Markdown.Content != "你好" {
		t.Errorf("single push = %+v", got[1])
	}
}

func TestLongPushIsSplitAndResumedAfterRateLimit(t *testing.T) {
	r := start(t, "s3cret")
	r.connected(t)
	line := strings.Repeat("长", 300) + "\n" // 901 bytes
	text := strings.Repeat(line, 10)
	// The second part is refused: the retry sends from the second part on.
	m := bot.Outgoing{ID: 7, Chat: "wrGROUP", Text: text}
	ctx := context.Background()
	r.fake.RateLimitPushAt(1)
	_, err := r.adapter.Send(ctx, m)
	var retry *bot.RetryAfterError
	if !errors.As(err, &retry) || retry.After != time.Minute {
		t.Fatalf("rate-limited push: err = %v, want a RetryAfterError of a minute", err)
	}
	if _, err := r.adapter.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	var joined []string
	pushes := r.fake.Pushes()
	if len(pushes) != 3 {
		t.Fatalf("%d pushes, want 3 (a part sent before the refusal is not sent again)", len(pushes))
	}
	for _, p := range pushes {
		if len(p.Markdown.Content) > 4096 {
			t.Errorf("part of %d bytes", len(p.Markdown.Content))
		}
		joined = append(joined, p.Markdown.Content)
	}
	if got, want := strings.Join(joined, "\n"), strings.TrimRight(text, "\n"); got != want {
		t.Errorf("parts do not add up to the text: %d parts, %d bytes, want %d", len(joined), len(got), len(want))
	}
}

func TestSendWhileDownIsRetried(t *testing.T) {
	r := start(t, "wrong")
	_, err := r.adapter.Send(context.Background(), bot.Outgoing{ID: 1, Chat: "wrGROUP", Text: "x"})
	if err == nil || errors.Is(err, bot.ErrPermanent) {
		t.Fatalf("send with no connection: err = %v, want a retryable error", err)
	}
}

func TestRefusedSecretStopsAfterBoundedAttempts(t *testing.T) {
	r := start(t, "wrong")
	select {
	case err := <-r.done:
		if err == nil || !strings.Contains(err.Error(), "40058") {
			t.Fatalf("Run = %v, want the refusal", err)
		}
		r.done <- err // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("Run kept retrying a refused secret")
	}
	if _, rejected, _ := r.fake.Counts(); rejected != 5 {
		t.Errorf("attempts = %d, want 5", rejected)
	}
	if ks := r.eventKinds(); len(ks) != 1 || ks[0] != bot.EventRefused {
		t.Errorf("events %v, want one refusal (for the alert group and qiao status)", ks)
	}
}

func TestServerCloseReconnects(t *testing.T) {
	r := start(t, "s3cret")
	r.connected(t)
	r.fake.Drop()
	r.fake.Wait(t, "a second subscription", func() bool { n, _, _ := r.fake.Counts(); return n == 2 && r.fake.Connected() })
	r.connected(t)
	r.fake.Text(t, "m9", "wrGROUP", "zhangsan", "@小桥 在吗")
	if got := r.waitMessages(t, 1); got[0].Text != "在吗" {
		t.Errorf("after reconnecting: %+v", got[0])
	}
	// A reconnect is logged, not announced: staff heard "connected" once.
	if ks := r.eventKinds(); len(ks) != 1 || ks[0] != bot.EventOnline {
		t.Errorf("events %v, want one online event for two subscriptions", ks)
	}
}

func TestDisplacedStopsAndAlerts(t *testing.T) {
	r := start(t, "s3cret")
	r.connected(t)
	r.fake.Displace(t)
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("Run = %v, want nil after being displaced", err)
		}
		r.done <- nil
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when displaced")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.displaced != 1 {
		t.Errorf("Displaced called %d times, want 1", r.displaced)
	}
	if n, _, _ := r.fake.Counts(); n != 1 {
		t.Errorf("subscriptions = %d: a displaced adapter must not reconnect", n)
	}
}

func TestHeartbeats(t *testing.T) {
	fake := wecomtest.New(t, "bot1", "s3cret")
	a := wecom.New(wecom.Config{BotID: "bot1", Secret: "s3cret", URL: fake.URL()},
		wecom.Options{PingInterval: 5 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, &inbox{}) }()
	fake.Wait(t, "three heartbeats", func() bool { _, _, pings := fake.Counts(); return pings >= 3 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
