package wechat_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	qr "github.com/piglig/go-qr"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/bot/wechat/wechattest"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

var start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

const (
	building = "3栋居民群"
	staff    = "社区工作群"
)

var residents = []wechattest.Member{{Nick: "居民甲", Display: "3-2-501 甲"}, {Nick: "居民乙"}, {Nick: "居民丙"}, {Nick: "刘书记"}}

// world is one deployment: a database, an engine and a dispatcher, and a fake
// WeChat. Each call of start runs the adapter once (one process lifetime).
type world struct {
	t      *testing.T
	fake   *wechattest.Fake
	db     *storage.DB
	clock  *bot.VirtualClock
	engine *bot.Engine
	dir    string
	log    *slog.Logger
	pacing wechat.Pacing
	// beforeOnline, when set, runs when a login has returned, before the adapter goes on.
	beforeOnline func()
	// onMessage, when set, runs first for each library message.
	onMessage func(text string)
	// privileged are the user keys only an enrolled contact may have.
	privileged []string
	maxKicks   int
	// sendTimeout, when set, bounds one send attempt (the default is 20s).
	sendTimeout time.Duration

	raw *sql.DB // count's connection

	mu       sync.Mutex
	received []bot.Message
	batches  []int // messages per HandleBatch call
	events   eventSink
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, dir: t.TempDir(), clock: bot.NewVirtualClock(start), events: make(eventSink, 100),
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if testing.Verbose() {
		w.log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	w.fake = wechattest.New("小桥", wechattest.Group{Title: building, Members: residents},
		wechattest.Group{Title: staff, Members: residents[3:]}, wechattest.Group{Title: "闲聊群", Members: residents[:1]})
	t.Cleanup(w.fake.Close)
	w.db = storagetest.OpenAt(t, filepath.Join(w.dir, "qiao.db"))
	w.db.Now = w.clock.Now
	// The shared community with its 3栋 and staff groups on WeChat; 3栋 does
	// not ask before filing.
	spec := storagetest.Move(storagetest.Community(), bot.WeChat, map[string]string{"b3": building, "staff": staff}, nil)
	for i := range spec.Groups {
		if spec.Groups[i].Key == "b3" {
			spec.Groups[i].Mode = "off"
		}
	}
	storagetest.Sync(t, w.db, spec)
	mux := bot.NewMux()
	req := &requests.Handlers{Classifier: requests.NewClassifier(nil)}
	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Kind: "suggestion", Handler: req.Suggest})
	mux.Handle(bot.Command{Name: "投票", Aliases: []string{"poll"}, Kind: "poll", Handler: func(c *bot.Context) error { return nil }})
	w.engine = &bot.Engine{DB: w.db, Mux: mux, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Log: w.log, BotNames: []string{"小桥"}}
	w.pacing = wechat.Pacing{MinGap: 1500 * time.Millisecond, GroupGap: 3 * time.Second, Jitter: 1500 * time.Millisecond, PerMinute: 20}
	return w
}

// Handle records what reaches the engine, then hands it on.
func (w *world) Handle(ctx context.Context, m bot.Message) error {
	w.mu.Lock()
	w.received = append(w.received, m)
	w.mu.Unlock()
	return w.engine.Handle(ctx, m)
}

// HandleBatch records what reaches the engine, batch by batch, then hands it on.
func (w *world) HandleBatch(ctx context.Context, msgs []bot.Message, cp ...bot.Checkpoint) []error {
	w.mu.Lock()
	w.received = append(w.received, msgs...)
	w.batches = append(w.batches, len(msgs))
	w.mu.Unlock()
	return w.engine.HandleBatch(ctx, msgs, cp...)
}

func (w *world) Load(ctx context.Context, key string) (string, error) {
	v, err := w.db.Value(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	return v, err
}

func (w *world) Save(ctx context.Context, key, value string) error {
	return w.db.SetValue(ctx, key, value)
}

func (w *world) chats(ctx context.Context) ([]string, error) {
	var out []string
	err := w.db.View(ctx, func(tx *storage.Tx) error {
		groups, err := tx.AllGroups()
		for _, g := range groups {
			if g.Platform == bot.WeChat {
				out = append(out, g.ChatKey)
			}
		}
		return err
	})
	return out, err
}

// run is one adapter and dispatcher lifetime.
type run struct {
	w      *world
	ad     *wechat.Adapter
	disp   *bot.Dispatcher
	cancel context.CancelFunc
	done   chan struct{}
	qr     *strings.Builder
}

func (w *world) start() *run {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{w: w, cancel: cancel, done: make(chan struct{}), qr: &strings.Builder{}}
	cfg := wechat.Config{Enabled: true, LoginFile: filepath.Join(w.dir, "wechat-login.json"),
		QRFile: filepath.Join(w.dir, "wechat-login-qr.png"), Pacing: w.pacing, MaxKicks: w.maxKicks,
		SendTimeout: w.sendTimeout}
	cfg.Defaults()
	r.ad = &wechat.Adapter{Config: cfg, Log: w.log, Clock: w.clock, Store: w, Chats: w.chats,
		Events:    w.events,
		QROut:     &lockedWriter{b: r.qr},
		Transport: w.fake.Transport()}
	if w.beforeOnline != nil {
		r.ad.SetBeforeOnline(w.beforeOnline)
	}
	if w.onMessage != nil {
		r.ad.SetOnMessage(w.onMessage)
	}
	r.ad.Privileged = func(context.Context) ([]string, error) { return w.privileged, nil }
	r.disp = &bot.Dispatcher{DB: w.db, Clock: w.clock, Log: w.log}
	r.disp.Register(r.ad)
	w.engine.Wake = r.disp.Wake
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r.disp.Run(ctx) }()
	go func() {
		defer wg.Done()
		if err := r.ad.Run(ctx, w); err != nil {
			w.t.Errorf("run: %v", err)
		}
	}()
	go func() { wg.Wait(); close(r.done) }()
	w.t.Cleanup(r.stop)
	return r
}

// stop cancels the run and waits for the adapter and the dispatcher to end.
func (r *run) stop() {
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(patience):
		r.w.t.Fatal("adapter did not stop")
	}
}

// eventSink collects the adapter's channel events.
type eventSink chan bot.ChannelEvent

func (c eventSink) Publish(e bot.ChannelEvent) { c <- e }

type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// event waits for the next event of a kind, failing on timeout.
func (w *world) event(kind bot.ChannelEventKind) bot.ChannelEvent {
	w.t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case e := <-w.events:
			if e.Kind == kind {
				return e
			}
		case <-timeout:
			w.t.Fatalf("no %s event", kind)
		}
	}
}

// sent waits until the bot has sent n messages in all.
func (w *world) sent(n int) []wechattest.Sent {
	w.t.Helper()
	got := w.fake.WaitSent(n, patience)
	if len(got) < n {
		w.t.Fatalf("sent %d messages, want %d: %+v", len(got), n, got)
	}
	return got
}

// sentTo is what the bot has sent into one chat (a group's title or a
// friend's nickname) so far.
func (w *world) sentTo(chat string) []wechattest.Sent {
	var out []wechattest.Sent
	for _, s := range w.fake.Sent() {
		if s.To == chat {
			out = append(out, s)
		}
	}
	return out
}

// deliveredTo lets virtual time pass until the bot has sent n messages into
// chat, and returns them. A new request sends its reply and a notice to the
// staff group, and the account's pacing holds the second a few seconds.
func (w *world) deliveredTo(chat string, n int) []wechattest.Sent {
	w.t.Helper()
	w.until(time.Minute, fmt.Sprintf("%d messages to %s", n, chat), func() bool { return len(w.sentTo(chat)) >= n })
	return w.sentTo(chat)
}

// message waits until the engine has received n messages and returns the nth.
func (w *world) message(n int) bot.Message {
	w.t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		if len(w.received) >= n {
			m := w.received[n-1]
			w.mu.Unlock()
			return m
		}
		w.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	w.t.Fatalf("engine got fewer than %d messages", n)
	return bot.Message{}
}

// qrLogin starts a run, checks the QR code and scans it.
func (w *world) qrLogin() *run {
	w.t.Helper()
	r := w.start()
	e := w.event(bot.EventQR)
	f, err := os.Open(e.QRFile)
	if err != nil {
		w.t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		w.t.Fatal(err)
	}
	text, err := qr.Decode(img)
	if err != nil || !strings.HasPrefix(text, "https://login.weixin.qq.com/l/uuid") {
		w.t.Fatalf("QR PNG holds %q, %v", text, err)
	}
	w.fake.Scan()
	w.event(bot.EventOnline)
	return r
}

// count runs a counting query on the database. The connection is opened once
// per world: settled counts at every step of virtual time.
func (w *world) count(query string, args ...any) int {
	w.t.Helper()
	if w.raw == nil {
		db, err := sql.Open("sqlite", filepath.Join(w.dir, "qiao.db"))
		if err != nil {
			w.t.Fatal(err)
		}
		w.t.Cleanup(func() { db.Close() })
		w.raw = db
	}
	var n int
	if err := w.raw.QueryRow(query, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// settled lets virtual time pass until the outbox has no pending message:
// under the account's pacing a burst takes a few seconds to go out.
func (w *world) settled() {
	w.t.Helper()
	w.until(time.Minute, "the outbox to drain", func() bool {
		return w.count(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`) == 0
	})
}

// step is how far until moves the virtual clock at a time.
const step = 100 * time.Millisecond

// until moves the virtual clock forward a step at a time, each time once the
// dispatcher waits for it, until done holds; it fails when done does not hold
// within limit of virtual time. done is checked only while the dispatcher
// waits, so the clock then reads the virtual time at which done came true.
func (w *world) until(limit time.Duration, what string, done func() bool) {
	w.t.Helper()
	end := w.clock.Now().Add(limit)
	for {
		w.idle()
		if done() {
			return
		}
		if w.clock.Now().After(end) {
			w.t.Fatalf("no %s within %s of virtual time", what, limit)
		}
		w.clock.Advance(step)
	}
}

// patience is how long a test waits for something that should happen at once:
// a guard against hanging, generous because -race on two busy cores is slow.
const patience = time.Minute
