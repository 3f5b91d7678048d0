package jielong_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/jielong"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// env is an engine with the 接龙 commands over a real SQLite file in the
// shared test community (storagetest.Community).
type env struct {
	db     *storage.DB
	engine *bot.Engine
	jobs   *jielong.Jobs
	clock  *bot.VirtualClock
	seq    int
}

// start is a Monday morning in Shanghai.
var start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func newEnv(tb testing.TB) *env {
	tb.Helper()
	db := storagetest.Open(tb)
	clock := bot.NewVirtualClock(start)
	db.Now = clock.Now
	storagetest.Sync(tb, db, storagetest.Community())
	h := &jielong.Handlers{}
	mux := bot.NewMux()
	mux.Use(bot.Recover, bot.Authorize)
	mux.Handle(bot.Command{Name: "接龙", Aliases: []string{"jielong", "group note"}, Handler: h.Command})
	mux.Handle(bot.Command{Name: "结束接龙", Aliases: []string{"closenote"}, Handler: h.Close})
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Handler: h.ExportOr(func(*bot.Context) error {
		return bot.Refuse(prompts.ExportUsage, nil)
	})})
	mux.HandleText(h.Text)
	out := &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"}
	e := &bot.Engine{DB: db, Mux: mux, Outbox: out, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BotNames: []string{"小桥"}}
	return &env{db: db, engine: e, jobs: &jielong.Jobs{DB: db, Outbox: out}, clock: clock}
}

// say sends a message and returns the texts it enqueued.
func (e *env) say(tb testing.TB, chat, user, text string) string {
	tb.Helper()
	before := len(e.outbox(tb))
	e.seq++
	m := bot.Message{Platform: bot.Console, Chat: chat, User: user, UserName: user, ID: fmt.Sprint(e.seq), Text: text,
		Private: chat == user, Addressed: chat == user}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	var texts []string
	for _, m := range e.outbox(tb)[before:] {
		texts = append(texts, m.Text)
	}
	return strings.Join(texts, "\n")
}

func (e *env) outbox(tb testing.TB) []storage.OutboxMessage {
	tb.Helper()
	msgs, err := e.db.PendingOutbox(context.Background(), bot.Console, time.Time{}, 1000000)
	if err != nil {
		tb.Fatal(err)
	}
	return msgs
}

// lines is the canonical list of the group's newest 接龙 of a title, one "text" per line still on it.
func (e *env) lines(tb testing.TB, chat, title string) []string {
	tb.Helper()
	var out []string
	err := e.db.View(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.Console, chat)
		if err != nil {
			return err
		}
		j, err := tx.LatestJielong(g.ID, title)
		if err != nil {
			return err
		}
		ls, err := tx.JielongLines(j.ID)
		for _, l := range ls {
			if l.RemovedAt.IsZero() {
				out = append(out, l.Text)
			}
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func contains(tb testing.TB, got, want string) {
	tb.Helper()
	if !strings.Contains(got, want) {
		tb.Fatalf("got %q\nwant it to contain %q", got, want)
	}
}
