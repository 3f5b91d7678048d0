package activities_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/activities"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// start is a Monday morning in Shanghai (01:00 UTC).
var start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// env is an engine with only the activity commands over a real SQLite file.
type env struct {
	db     *storage.DB
	engine *bot.Engine
	jobs   *activities.Jobs
	clock  *bot.VirtualClock
	mu     sync.Mutex
	seq    int
	seen   int // outbox rows already returned by say
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvAt(tb, filepath.Join(tb.TempDir(), "qiao.db"), start)
}

// newEnvAt opens the database at path (a restart when it exists) at time now.
func newEnvAt(tb testing.TB, path string, now time.Time) *env {
	tb.Helper()
	return newEnvSpec(tb, path, now, storagetest.Community())
}

// newEnvSpec is newEnvAt with a community of one's own (another language).
func newEnvSpec(tb testing.TB, path string, now time.Time, spec storage.CommunitySpec) *env {
	tb.Helper()
	db := storagetest.OpenAt(tb, path)
	clock := bot.NewVirtualClock(now)
	db.Now = clock.Now
	storagetest.Sync(tb, db, spec)
	cfg := activities.DefaultConfig()
	h := &activities.Handlers{Config: cfg}
	mux := bot.NewMux()
	mux.Handle(bot.Command{Name: "活动", Aliases: []string{"activity"}, Handler: h.Activity})
	mux.Handle(bot.Command{Name: "会议", Aliases: []string{"meeting", "板凳会"}, Handler: h.Meeting})
	mux.Handle(bot.Command{Name: "报名", Aliases: []string{"signup"}, Handler: h.SignUp})
	mux.Handle(bot.Command{Name: "取消报名", Aliases: []string{"unsignup"}, Handler: h.Cancel})
	mux.Handle(bot.Command{Name: "签到", Aliases: []string{"checkin"}, Handler: h.CheckInOr(activities.CheckInUsage)})
	mux.Handle(bot.Command{Name: "纪要", Aliases: []string{"minutes"}, Handler: h.Minutes})
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Handler: h.ExportOr(activities.CheckInUsage)})
	mux.HandleConversation(activities.ConvConfirm, h.Confirm)
	// Suggestions raised at meetings, and the statistics that count them.
	req := &requests.Handlers{Classifier: requests.NewClassifier([]requests.Category{{Key: "parking", Name: "停车", Keywords: []string{"车"}}}),
		Config: requests.DefaultConfig()}
	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: h.SuggestFrom(req.Suggest)})
	mux.Handle(bot.Command{Name: "统计", Aliases: []string{"stats"}, Handler: h.StatsWith(req.Stats)})
	out := &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"}
	e := &bot.Engine{DB: db, Mux: mux, Outbox: out, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BotNames: []string{"小桥"}}
	env := &env{db: db, engine: e, jobs: &activities.Jobs{DB: db, Outbox: out, Config: cfg}, clock: clock}
	env.seen = len(env.outbox(tb))
	return env
}

// say sends a message (chat "" is a private chat) and returns what it
// enqueued, one "[chat] text" or "[@person] text" per message.
func (e *env) say(tb testing.TB, chat, user, text string) string {
	tb.Helper()
	e.mu.Lock()
	e.seq++
	id := fmt.Sprint(e.seq)
	e.mu.Unlock()
	return e.sayID(tb, chat, user, text, id)
}

// sayID is say with a given platform message id (a replay repeats one).
func (e *env) sayID(tb testing.TB, chat, user, text, id string) string {
	tb.Helper()
	m := bot.Message{Platform: bot.Console, Chat: chat, User: user, UserName: user, ID: id, Text: text}
	if chat == "" {
		m.Chat, m.Private, m.Addressed = user, true, true
	}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return e.news(tb)
}

// news returns what was enqueued since the last call.
func (e *env) news(tb testing.TB) string {
	tb.Helper()
	e.mu.Lock() // concurrent senders each read a snapshot: serialise them
	defer e.mu.Unlock()
	all := e.outbox(tb)
	got := all[e.seen:]
	e.seen = len(all)
	return strings.Join(got, "\n")
}

func (e *env) outbox(tb testing.TB) []string {
	tb.Helper()
	msgs, err := e.db.PendingOutbox(context.Background(), bot.Console, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 1000000)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		where := m.ChatKey
		if where == "" {
			where = "@" + m.UserKey
		}
		if m.BlobID != 0 {
			where += " +file"
		}
		out = append(out, fmt.Sprintf("[%s] %s", where, m.Text))
	}
	return out
}

// tick runs the reminder job at t.
func (e *env) tick(tb testing.TB, t time.Time) string {
	tb.Helper()
	e.clock.Set(t)
	if err := e.jobs.Tick(context.Background(), t); err != nil {
		tb.Fatal(err)
	}
	return e.news(tb)
}

// announce publishes an activity as 陈社工 in 3栋居民群 and returns its code.
func (e *env) announce(tb testing.TB, spec string) string {
	tb.Helper()
	e.say(tb, "3栋居民群", "陈社工", "#活动 "+spec)
	got := e.say(tb, "3栋居民群", "陈社工", "是")
	i := strings.Index(got, "签到码：")
	if i < 0 {
		tb.Fatalf("no code in %q", got)
	}
	return string([]rune(got[i+len("签到码："):])[:4])
}

func mustContain(tb testing.TB, got string, want ...string) {
	tb.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			tb.Errorf("got:\n%s\nwant it to contain %q", got, w)
		}
	}
}
