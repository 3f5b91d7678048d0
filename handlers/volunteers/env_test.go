package volunteers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/volunteers"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

var cst = time.FixedZone("CST", 8*3600)

// monday is the first day of the virtual week: Monday 23 November 2026.
var monday = time.Date(2026, 11, 23, 7, 0, 0, 0, cst)

// at is a time on day d (0 = Monday) of the week.
func at(d, hour, minute int) time.Time {
	return time.Date(2026, 11, 23+d, hour, minute, 0, 0, cst)
}

// member is the name of 银龄先锋 volunteer n (1–30).
func member(n int) string { return fmt.Sprintf("队员%02d", n) }

// yinling is the 银龄先锋 volunteer service team: 30 retired party members in
// three sub-teams of ten, led by 刘主任; each sub-team's first member leads it.
//
//	文明宣导队 队员01–10: every day 08:30–11:30, two at a time in turn
//	文化文艺队 队员11–20: Mon, Wed, Fri 08:30–11:30, three at a time in turn
//	理论宣讲团 队员21–30: Saturdays 09:00–11:00, all ten
func yinling() volunteers.Config {
	keys := func(from, to int) []string {
		var out []string
		for n := from; n <= to; n++ {
			out = append(out, fmt.Sprintf("m%02d", n))
		}
		return out
	}
	cfg := volunteers.Config{
		Teams: []volunteers.TeamConfig{
			{Key: "yinling", Name: "银龄先锋", Leaders: []string{"liu"}},
			{Key: "wenming", Name: "文明宣导队", Parent: "yinling", Leaders: keys(1, 1), Members: keys(2, 10)},
			{Key: "wenyi", Name: "文化文艺队", Parent: "yinling", Leaders: keys(11, 11), Members: keys(12, 20)},
			{Key: "lilun", Name: "理论宣讲团", Parent: "yinling", Leaders: keys(21, 21), Members: keys(22, 30)},
		},
		Rosters: []volunteers.RosterConfig{
			{Key: "wenming-am", Name: "文明宣导早班", Team: "wenming", Days: "daily", Start: "08:30", End: "11:30", PerShift: 2, Epoch: "2026-11-23"},
			{Key: "wenyi-am", Name: "文艺早班", Team: "wenyi", Days: "1,3,5", Start: "08:30", End: "11:30", PerShift: 3, Epoch: "2026-11-23"},
			{Key: "lilun-sat", Name: "周六宣讲", Team: "lilun", Days: "6", Start: "09:00", End: "11:00"},
		},
	}
	cfg.FillDefaults()
	return cfg
}

// env is an engine with the volunteer commands over a real SQLite file: the
// shared test community plus the 30 volunteers, synced from yinling().
type env struct {
	path   string
	db     *storage.DB
	engine *bot.Engine
	jobs   *volunteers.Jobs
	clock  *bot.VirtualClock
	seq    int
	// sent is every message the test's stand-in dispatcher delivered, in
	// order ("@user: text" for direct messages); blob the last file sent.
	sent []string
	blob int64
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	e := &env{path: filepath.Join(tb.TempDir(), "qiao.db"), clock: bot.NewVirtualClock(monday)}
	spec := storagetest.Community()
	for n := 1; n <= 30; n++ {
		spec.People = append(spec.People, storage.PersonSpec{Key: fmt.Sprintf("m%02d", n), Name: member(n), Platform: bot.Console, User: member(n)})
	}
	e.open(tb)
	storagetest.Sync(tb, e.db, spec)
	if err := e.db.Update(context.Background(), func(tx *storage.Tx) error { return volunteers.Sync(tx, yinling()) }); err != nil {
		tb.Fatal(err)
	}
	return e
}

// open (re)opens the database and wires the engine and jobs: a restart.
func (e *env) open(tb testing.TB) {
	tb.Helper()
	e.db = storagetest.OpenAt(tb, e.path)
	e.db.Now = e.clock.Now
	cfg := yinling()
	h := &volunteers.Handlers{Config: cfg}
	mux := bot.NewMux()
	mux.Use(bot.Recover, bot.Authorize)
	mux.Handle(bot.Command{Name: "志愿队", Aliases: []string{"teams"}, Handler: h.Teams})
	mux.Handle(bot.Command{Name: "加入", Aliases: []string{"join"}, Handler: h.Join})
	mux.Handle(bot.Command{Name: "批准", Aliases: []string{"approvemember"}, Handler: h.Approve})
	mux.Handle(bot.Command{Name: "签到", Aliases: []string{"checkin"}, Handler: h.CheckInOr(h.NotOnDuty)})
	mux.Handle(bot.Command{Name: "签退", Aliases: []string{"checkout"}, Handler: h.CheckOut})
	mux.Handle(bot.Command{Name: "换班", Aliases: []string{"swap"}, Handler: h.Swap})
	mux.Handle(bot.Command{Name: "同意换班", Aliases: []string{"agreeswap"}, Handler: h.AgreeSwap})
	mux.Handle(bot.Command{Name: "拒绝换班", Aliases: []string{"refuseswap"}, Handler: h.RefuseSwap})
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Handler: h.ExportOr(func(*bot.Context) error {
		return bot.Refuse(prompts.ExportUsage, nil)
	})})
	out := &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"}
	e.engine = &bot.Engine{DB: e.db, Mux: mux, Outbox: out, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BotNames: []string{"小桥"}}
	e.jobs = &volunteers.Jobs{DB: e.db, Outbox: out, Config: cfg}
}

// say sends a message (privately when chat is the user) at t and returns
// the texts it enqueued, "@person: text" for direct messages.
func (e *env) say(tb testing.TB, t time.Time, chat, user, text string) string {
	tb.Helper()
	e.seq++
	return e.replay(tb, t, chat, user, text, fmt.Sprint(e.seq))
}

// replay sends a message with a given platform id (a redelivery keeps its id).
func (e *env) replay(tb testing.TB, t time.Time, chat, user, text, id string) string {
	tb.Helper()
	e.clock.Set(t)
	before := len(e.outbox(tb))
	m := bot.Message{Platform: bot.Console, Chat: chat, User: user, UserName: user, ID: id, Text: text,
		Private: chat == user, Addressed: chat == user, Time: t}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return strings.Join(e.outbox(tb)[before:], "\n")
}

// outbox delivers what is due now, as the dispatcher would (expired
// messages never are), and returns everything delivered so far.
func (e *env) outbox(tb testing.TB) []string {
	tb.Helper()
	ctx := context.Background()
	msgs, err := e.db.PendingOutbox(ctx, bot.Console, e.clock.Now(), 1000000)
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range msgs {
		if m.ChatKey == "" {
			e.sent = append(e.sent, "@"+m.UserKey+": "+m.Text)
		} else {
			e.sent = append(e.sent, m.Text)
		}
		if m.BlobID != 0 {
			e.blob = m.BlobID
		}
		if err := e.db.MarkSent(ctx, m.ID, "", e.clock.Now()); err != nil {
			tb.Fatal(err)
		}
	}
	return append([]string(nil), e.sent...)
}

func contains(tb testing.TB, got, want string) {
	tb.Helper()
	if !strings.Contains(got, want) {
		tb.Fatalf("got %q\nwant it to contain %q", got, want)
	}
}
