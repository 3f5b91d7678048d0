package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
	"github.com/qiao-community/qiao/storage"
)

// Telegram ids of the demo community's chats in these tests: 3栋居民群 and the
// staff group are on Telegram; the rest stay on the console.
const (
	tgBuilding3 = -1003
	tgStaff     = -1009
)

var (
	tgGroup3 = telegramtest.Chat(tgBuilding3, "3栋居民群")
	tgJia    = telegramtest.User(501, "居民甲")
)

// tgStory is the demo community with two groups on a fake Telegram.
type tgStory struct {
	t     *testing.T
	cfg   *Config
	fake  *telegramtest.Fake
	clock *bot.VirtualClock
}

func newTelegramStory(t *testing.T) *tgStory {
	t.Helper()
	base := newStory(t)
	cfg, clock := base.cfg, base.clock
	fake := telegramtest.New(t)
	fake.Now = clock.Now
	cfg.Telegram = telegram.Config{Enabled: true, Token: telegramtest.Token, APIURL: fake.URL, PollSeconds: 2}
	cfg.Telegram.FillDefaults()
	for i := range cfg.Communities[0].Groups {
		g := &cfg.Communities[0].Groups[i]
		switch g.Key {
		case "b3":
			g.Platform, g.Chat = bot.Telegram, "-1003"
		case "staff":
			g.Platform, g.Chat = bot.Telegram, "-1009"
		}
	}
	cfg.Console.Group = "1栋居民群"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return &tgStory{t: t, cfg: cfg, fake: fake, clock: clock}
}

// app starts a process lifetime: a new App over the same database.
func (s *tgStory) app(stdin io.Reader, stdout io.Writer) *App {
	s.t.Helper()
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&testLogWriter{s.t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	app, err := NewApp(context.Background(), s.cfg, log, IO{In: stdin, Out: stdout}, s.clock)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { app.Close() })
	return app
}

// receive runs the Telegram adapter into in until the returned stop is called;
// the test drives the outbox with drain.
func (s *tgStory) receive(app *App, in bot.Inbound) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Telegram.Run(ctx, in) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			s.t.Errorf("telegram run: %v", err)
		}
	}
	s.t.Cleanup(stop)
	return stop
}

// drain sends every telegram message due now.
func (s *tgStory) drain(app *App) {
	s.t.Helper()
	if err := app.Dispatcher.Drain(context.Background(), bot.Telegram); err != nil {
		s.t.Fatal(err)
	}
}

// sentTo lists the texts sent (not edited) into a chat.
func (s *tgStory) sentTo(chat string) []string {
	var out []string
	for _, c := range s.fake.Calls("sendMessage") {
		if c.Params["chat_id"] == chat {
			out = append(out, c.Params["text"])
		}
	}
	return out
}

// residentSends are the sendMessage calls outside the staff group (staff are
// told of every new request there; these tests look at what residents see).
func (s *tgStory) residentSends() []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range s.fake.Calls("sendMessage") {
		if c.Params["chat_id"] != "-1009" {
			out = append(out, c)
		}
	}
	return out
}

func countRequests(t *testing.T, app *App, kind string) int {
	t.Helper()
	var n int
	err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
		cms, err := tx.Communities()
		if err != nil {
			return err
		}
		n, err = tx.CountRequests(cms[0].ID, kind)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTelegramBesideConsole(t *testing.T) {
	s := newTelegramStory(t)
	var out bytes.Buffer
	app := s.app(strings.NewReader(":in 1栋居民群\n:as 居民乙\n#建议 楼下多装两盏路灯\n"), &out)
	s.fake.Push(telegramtest.Edited(tgGroup3, tgJia, 10, "/suggest@QiaoBot 交警大院划一些停车位（改）"))
	s.fake.Push(telegramtest.Message(tgGroup3, tgJia, 10, "/suggest@QiaoBot 交警大院划一些停车位"))
	s.fake.Push(telegramtest.Message(tgGroup3, tgJia, 10, "/suggest@QiaoBot 交警大院划一些停车位")) // redelivered
	last := s.fake.Push(telegramtest.Message(tgGroup3, tgJia, 11, "/suggest@OtherBot 不是给小桥的"))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	s.fake.WaitConfirmed(t, last)
	// The console reads its script on its own goroutine: under load it may not
	// have reached its line when Telegram is done. Stop only once both are
	// stored and the console's reply is printed: a stop between the commit and
	// the print leaves the reply in the outbox for the next start (and the
	// console says "出错了：context canceled"), which is not what this test reads.
	deadline := time.Now().Add(time.Minute)
	for !(countRequests(t, app, "suggestion") == 2 && consolePending(t, app) == 0) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.drain(app) // the virtual clock stands still: send what pacing held back

	got := s.sentTo("-1003")
	if len(got) != 1 || !strings.HasPrefix(got[0], `<a href="tg://user?id=501">居民甲</a> 谢谢您的建议！已登记为 S`) ||
		!strings.Contains(got[0], "交警大院划一些停车位\n") {
		t.Errorf("replies in 3栋居民群 = %q, want one acknowledgement addressed to 居民甲", got)
	}
	if !strings.Contains(out.String(), "[1栋居民群] @居民乙 谢谢您的建议！") {
		t.Errorf("console output:\n%s", out.String())
	}
	if n := countRequests(t, app, "suggestion"); n != 2 {
		t.Errorf("%d suggestions, want 2 (one per platform; the edit and the redelivery make none)", n)
	}
	cmds := s.fake.Calls("setMyCommands")
	if len(cmds) != 1 || !strings.Contains(cmds[0].Params["commands"], `{"command":"suggest","description":"建议 · `) {
		t.Errorf("setMyCommands = %+v", cmds)
	}
}

func TestTelegramBadTokenStopsStartup(t *testing.T) {
	s := newTelegramStory(t)
	s.cfg.Telegram.Token = "999:revoked"
	_, err := NewApp(context.Background(), s.cfg, slog.New(slog.DiscardHandler), IO{}, s.clock)
	if err == nil || !strings.Contains(err.Error(), "refused the bot token") {
		t.Fatalf("NewApp error = %v, want a refused-token message", err)
	}
}

// enqueue puts a message into the outbox as a feature would.
func TestTelegramRetryAfterHonoured(t *testing.T) {
	s := newTelegramStory(t)
	app := s.app(nil, io.Discard)
	s.receive(app, app.Engine)
	id := s.fake.Push(telegramtest.Message(tgGroup3, tgJia, 20, "#建议 电动车<b>充电桩</b>&不够用"))
	s.fake.WaitConfirmed(t, id)

	s.fake.Fail("sendMessage", 429, "Too Many Requests: retry after 3", map[string]any{"retry_after": 3})
	s.drain(app)
	if n := len(s.sentTo("-1003")); n != 1 {
		t.Fatalf("%d sends, want the one refused", n)
	}
	s.clock.Advance(2 * time.Second)
	s.drain(app)
	if n := len(s.sentTo("-1003")); n != 1 {
		t.Fatalf("a request reached the chat %d time(s) before retry_after expired", n-1)
	}
	s.clock.Advance(time.Second)
	s.drain(app)
	calls := s.residentSends()
	if len(calls) != 2 || calls[1].At.Sub(calls[0].At) != 3*time.Second ||
		!strings.Contains(calls[1].Params["text"], "电动车&lt;b&gt;充电桩&lt;/b&gt;&amp;不够用") {
		t.Fatalf("calls = %+v, want the reply delivered 3s after the 429", calls)
	}
	stats, err := app.DB.OutboxStats(context.Background())
	if err != nil || stats["sent"] != 2 || stats["pending"] != 0 {
		t.Errorf("outbox = %v (%v), want the reply and the staff notice sent", stats, err)
	}
}

// killer stands for a process killed while handling an update: it returns an
// error (the update is never confirmed), before or after the engine committed.
type killer struct {
	engine      *bot.Engine
	afterCommit bool
	once        sync.Once
	hit         chan struct{}
}

func (k *killer) Handle(ctx context.Context, m bot.Message) error {
	if k.afterCommit {
		if err := k.engine.Handle(ctx, m); err != nil {
			return err
		}
	}
	k.once.Do(func() { close(k.hit) })
	return errors.New("killed")
}

func TestTelegramRedeliveryAfterKill(t *testing.T) {
	for _, afterCommit := range []bool{false, true} {
		name := "killed before commit"
		if afterCommit {
			name = "killed after commit"
		}
		t.Run(name, func(t *testing.T) {
			s := newTelegramStory(t)
			first := s.app(nil, io.Discard)
			k := &killer{engine: first.Engine, afterCommit: afterCommit, hit: make(chan struct{})}
			stop := s.receive(first, k)
			id := s.fake.Push(telegramtest.Message(tgGroup3, tgJia, 30, "#建议 垃圾清运改到早上"))
			<-k.hit
			stop()
			first.Close()
			if s.fake.Pending() != 1 {
				t.Fatal("the update was confirmed although it was not handled")
			}

			second := s.app(nil, io.Discard)
			s.receive(second, second.Engine)
			s.fake.WaitConfirmed(t, id)
			s.drain(second)
			if got := s.sentTo("-1003"); len(got) != 1 || !strings.Contains(got[0], "垃圾清运改到早上") {
				t.Errorf("replies = %q, want exactly one", got)
			}
			if n := countRequests(t, second, "suggestion"); n != 1 {
				t.Errorf("%d suggestions, want 1", n)
			}
			if v, err := second.DB.Value(context.Background(), "telegram.update_offset"); err != nil || v != "1" {
				t.Errorf("stored offset = %q (%v), want 1", v, err)
			}
		})
	}
}

func TestTelegramUnregisteredGroup(t *testing.T) {
	s := newTelegramStory(t)
	app := s.app(nil, io.Discard)
	s.receive(app, app.Engine)
	newGroup := telegramtest.Chat(-1777, "幸福里业主群")
	s.fake.Push(telegramtest.Added(newGroup, tgJia))
	s.fake.Push(telegramtest.Message(newGroup, tgJia, 5, "#建议 有人吗"))
	s.fake.Push(telegramtest.Added(newGroup, tgJia)) // removed and added again
	last := s.fake.Push(telegramtest.Added(tgGroup3, tgJia))
	s.fake.WaitConfirmed(t, last)
	s.drain(app)
	if got := s.sentTo("-1777"); len(got) != 1 || !strings.Contains(got[0], "还没有在社区登记") {
		t.Errorf("notices in the new group = %q, want one polite notice", got)
	}
	if got := s.sentTo("-1003"); len(got) != 0 {
		t.Errorf("a registered group got %q when the bot joined", got)
	}
	if got := s.sentTo("-1009"); len(got) != 1 || !strings.Contains(got[0], "-1777") {
		t.Errorf("staff were told %q, want the chat id once", got)
	}
	if n := countRequests(t, app, ""); n != 0 {
		t.Errorf("%d requests from an unregistered group", n)
	}
}

func TestTelegramGroupBecomesSupergroup(t *testing.T) {
	s := newTelegramStory(t)
	app := s.app(nil, io.Discard)
	stop := s.receive(app, app.Engine)
	// Told by a service message: the group's chat id changes.
	s.fake.Push(telegramtest.Migrated(tgBuilding3, -100333))
	moved := telegramtest.Chat(-100333, "3栋居民群")
	id := s.fake.Push(telegramtest.Message(moved, tgJia, 1, "#建议 楼道灯换成声控的"))
	s.fake.WaitConfirmed(t, id)
	// Told by a refused send: the pending reply follows the group.
	s.fake.Fail("sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat", map[string]any{"migrate_to_chat_id": -100444})
	s.drain(app)
	calls := s.residentSends()
	if len(calls) != 2 || calls[0].Params["chat_id"] != "-100333" || calls[1].Params["chat_id"] != "-100444" ||
		!strings.Contains(calls[1].Params["text"], "声控") {
		t.Fatalf("sends = %+v, want the reply moved to -100444", calls)
	}
	err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
		_, err := tx.FindGroupByChat(bot.Telegram, "-100444")
		return err
	})
	if err != nil {
		t.Errorf("group not found under its new chat id: %v", err)
	}

	// A restart syncs the config, which still names the old chat id: the group
	// stays where it moved instead of going deaf.
	stop()
	app.Close() // one process per database: the old one ends first
	app = s.app(nil, io.Discard)
	s.receive(app, app.Engine)
	id = s.fake.Push(telegramtest.Message(telegramtest.Chat(-100444, "3栋居民群"), tgJia, 2, "#建议 楼下装个充电桩"))
	s.fake.WaitConfirmed(t, id)
	s.drain(app)
	if got := s.sentTo("-100444"); len(got) != 2 || !strings.Contains(got[1], "充电桩") {
		t.Errorf("after a restart, replies in the moved group = %q, want the acknowledgement", got)
	}
}

func TestTelegramConfigChecked(t *testing.T) {
	s := newTelegramStory(t)
	s.cfg.Telegram.Enabled = false
	s.cfg.Communities[0].Groups[0].Platform = bot.Telegram // 1栋居民群, chat "1栋居民群"
	err := s.cfg.Validate()
	if err == nil {
		t.Fatal("config accepted")
	}
	for _, want := range []string{
		"communities[0].groups[0].platform: telegram is used but telegram.enabled is false",
		`communities[0].groups[0].chat: "1栋居民群": a Telegram chat is its numeric id`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\nlacks %q", err, want)
		}
	}
}

// consolePending counts the console's replies not yet printed.
func consolePending(t *testing.T, app *App) int {
	t.Helper()
	msgs, err := app.DB.PendingOutbox(context.Background(), bot.Console, app.Clock.Now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}
