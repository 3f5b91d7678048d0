// Package handlertest is the rig of handler tests: an engine with the
// commands under test over a real SQLite file and a virtual clock; messages go
// in as a person in a chat, and what was enqueued comes out as text, one
// "[chat] text" or "[@person] text" line per message ("+file" when it carries one).
package handlertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// Rig is an engine over a database, safe for concurrent senders.
type Rig struct {
	DB     *storage.DB
	Engine *bot.Engine
	Outbox *bot.Outbox
	Clock  *bot.VirtualClock
	mu     sync.Mutex
	seq    int
	seen   int // outbox rows already returned by News
}

// New opens (or reopens: a restart) the database at path at time now, syncs
// spec into it and routes messages through mux.
func New(tb testing.TB, path string, now time.Time, spec storage.CommunitySpec, mux *bot.Mux) *Rig {
	tb.Helper()
	db := storagetest.OpenAt(tb, path)
	clock := bot.NewVirtualClock(now)
	db.Now = clock.Now
	storagetest.Sync(tb, db, spec)
	out := &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"}
	e := &bot.Engine{DB: db, Mux: mux, Outbox: out, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BotNames: []string{"小桥"}}
	r := &Rig{DB: db, Engine: e, Outbox: out, Clock: clock}
	r.seen = len(r.Pending(tb))
	return r
}

// Say sends text from user in chat ("" is a private chat) and returns what it enqueued.
func (r *Rig) Say(tb testing.TB, chat, user, text string) string {
	tb.Helper()
	return r.Send(tb, r.message(chat, user, text))
}

// SayID is Say with a given platform message id (a replay repeats one).
func (r *Rig) SayID(tb testing.TB, chat, user, text, id string) string {
	tb.Helper()
	m := r.message(chat, user, text)
	m.ID = id
	return r.Send(tb, m)
}

// Press presses a button whose data is data.
func (r *Rig) Press(tb testing.TB, chat, user, data string) string {
	tb.Helper()
	m := r.message(chat, user, "")
	m.Callback, m.CallbackID = data, "cb-"+m.ID
	return r.Send(tb, m)
}

// Send handles a message and returns what it enqueued.
func (r *Rig) Send(tb testing.TB, m bot.Message) string {
	tb.Helper()
	if err := r.Engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return r.News(tb)
}

func (r *Rig) message(chat, user, text string) bot.Message {
	r.mu.Lock()
	r.seq++
	id := fmt.Sprint(r.seq)
	r.mu.Unlock()
	m := bot.Message{Platform: bot.Console, Chat: chat, User: user, UserName: user, ID: id, Text: text}
	if chat == "" {
		m.Chat, m.Private, m.Addressed = user, true, true
	}
	return m
}

// Run sets the clock to t, runs a scheduled job at t and returns what it enqueued.
func (r *Rig) Run(tb testing.TB, t time.Time, job func(context.Context, time.Time) error) string {
	tb.Helper()
	r.Clock.Set(t)
	if err := job(context.Background(), t); err != nil {
		tb.Fatal(err)
	}
	return r.News(tb)
}

// News returns what was enqueued since the last call.
func (r *Rig) News(tb testing.TB) string {
	tb.Helper()
	r.mu.Lock() // concurrent senders each read a snapshot: serialise them
	defer r.mu.Unlock()
	all := r.Pending(tb)
	got := all[r.seen:]
	r.seen = len(all)
	return strings.Join(got, "\n")
}

// Pending is every message in the outbox, as text.
func (r *Rig) Pending(tb testing.TB) []string {
	tb.Helper()
	msgs, err := r.DB.PendingOutbox(context.Background(), bot.Console, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 1000000)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		where := m.ChatKey
		if where == "" {
			where = "@" + m.UserKey
		}
		if m.BlobID != 0 {
			where += " +file"
		}
		out[i] = fmt.Sprintf("[%s] %s", where, m.Text)
	}
	return out
}

// MustContain fails the test for each want that got lacks.
func MustContain(tb testing.TB, got string, want ...string) {
	tb.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			tb.Errorf("got:\n%s\nwant it to contain %q", got, w)
		}
	}
}
