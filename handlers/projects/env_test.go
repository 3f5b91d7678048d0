package projects_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/projects"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// env is an engine with the project commands over a real SQLite file and
// the shared test community (storagetest.Community).
type env struct {
	db     *storage.DB
	engine *bot.Engine
	jobs   *projects.Jobs
	clock  *bot.VirtualClock
	cid    int64
	seq    int
}

// seed is a migrated database with the test community, made once: migrating
// costs about two seconds under -race, copying the file next to nothing.
var seed string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "projects-test")
	if err != nil {
		panic(err)
	}
	seed = filepath.Join(dir, "seed.db")
	code := func() int {
		defer os.RemoveAll(dir)
		db, err := storage.Open(context.Background(), seed)
		if err != nil {
			panic(err)
		}
		if err := db.Update(context.Background(), func(tx *storage.Tx) error {
			_, err := tx.SyncCommunity(storagetest.Community())
			return err
		}); err != nil {
			panic(err)
		}
		if err := db.Close(); err != nil {
			panic(err)
		}
		return m.Run()
	}()
	os.Exit(code)
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "qiao.db")
	data, err := os.ReadFile(seed)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	db := storagetest.OpenAt(tb, path)
	clock := bot.NewVirtualClock(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)) // 09:00 in Shanghai
	db.Now = clock.Now
	var cid int64
	if err := db.View(context.Background(), func(tx *storage.Tx) error {
		all, err := tx.Communities()
		if len(all) > 0 {
			cid = all[0].ID
		}
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	h := &projects.Handlers{}
	mux := bot.NewMux()
	mux.Handle(bot.Command{Name: "项目", Aliases: []string{"project"}, Handler: h.Project})
	mux.Handle(bot.Command{Name: "进展", Aliases: []string{"progress"}, Handler: h.Progress})
	mux.Handle(bot.Command{Name: "关注", Aliases: []string{"follow"}, Handler: h.Follow})
	mux.Handle(bot.Command{Name: "取消关注", Aliases: []string{"unfollow"}, Handler: h.Unfollow})
	mux.Handle(bot.Command{Name: "完工", Aliases: []string{"complete"}, Handler: h.Complete})
	mux.Handle(bot.Command{Name: "评议", Aliases: []string{"review"}, Handler: h.Review})
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Handler: h.ExportOr(func(*bot.Context) error { return nil })})
	out := &bot.Outbox{Prompts: texts, DefaultLang: "zh-CN"}
	e := &bot.Engine{DB: db, Mux: mux, Outbox: out, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BotNames: []string{"小桥"}}
	return &env{db: db, engine: e, jobs: &projects.Jobs{DB: db, Outbox: out}, clock: clock, cid: cid}
}

// sayID sends a message with a given platform message id and returns the
// texts it enqueued, one per line, each after its recipient ("chat|" or "@user|").
func (e *env) sayID(tb testing.TB, id, chat, user, text string) string {
	tb.Helper()
	before := len(e.outbox(tb))
	m := bot.Message{Platform: bot.Console, Chat: chat, User: user, UserName: user, ID: id, Text: text}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return strings.Join(e.outbox(tb)[before:], "\n")
}

func (e *env) say(tb testing.TB, chat, user, text string) string {
	tb.Helper()
	e.seq++
	return e.sayID(tb, fmt.Sprint("m", e.seq), chat, user, text)
}

func (e *env) outbox(tb testing.TB) []string {
	tb.Helper()
	msgs, err := e.db.PendingOutbox(context.Background(), bot.Console, time.Time{}, 1000000)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		to := m.ChatKey
		if to == "" {
			to = "@" + m.UserKey
		}
		out = append(out, to+"|"+m.Text)
	}
	return out
}

// update runs fn in a write transaction.
func (e *env) update(tb testing.TB, fn func(tx *storage.Tx) error) {
	tb.Helper()
	if err := e.db.Update(context.Background(), fn); err != nil {
		tb.Fatal(err)
	}
}

// person returns (creating on first sight) the console person named name.
func (e *env) person(tb testing.TB, name string) storage.Person {
	tb.Helper()
	var p storage.Person
	e.update(tb, func(tx *storage.Tx) (err error) {
		p, err = tx.ResolvePerson(e.cid, bot.Console, name, name)
		return err
	})
	return p
}

// adopted stores an adopted suggestion by reporter in group and returns its id.
func (e *env) adopted(tb testing.TB, group, reporter string) int64 {
	tb.Helper()
	p := e.person(tb, reporter)
	var id int64
	e.update(tb, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByName(e.cid, group)
		if err != nil {
			return err
		}
		id, err = tx.CreateRequest(storage.Request{CommunityID: e.cid, Kind: storage.KindSuggestion, Text: "建个休闲亭",
			GroupID: g.ID, PersonID: p.ID, State: storage.StateAdopted})
		return err
	})
	return id
}

// texts are parsed once for every test.
var texts = prompts.MustLoad()

// count is how many lines of out contain s.
func count(out, s string) int { return strings.Count(out, s) }
