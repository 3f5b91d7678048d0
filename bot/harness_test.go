package bot_test

import (
	"bytes"
	"context"
	"fmt"
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

// start is when every engine test begins.
var start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// rig is an Engine over a real SQLite file with one community on Telegram: a
// building group (chat "-100"), a staff group ("-900"), a resident and a staff member.
type rig struct {
	t      testing.TB
	db     *storage.DB
	clock  *bot.VirtualClock
	mux    *bot.Mux
	engine *bot.Engine
	logs   *syncBuffer
	seq    int
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testCommunity is the shared test community with its building 3 and staff
// groups, and 陈社工, on Telegram.
var testCommunity = storagetest.Move(storagetest.Community(), bot.Telegram,
	map[string]string{"b3": "-100", "staff": "-900"}, map[string]string{"chen": "900"})

// staffOnly is the permission the tests restrict commands with (the real
// rules live in handlers/roles).
var staffOnly = &bot.Permission{Who: "role.staff", Allow: func(c *bot.Context) bool { return c.Person.IsStaff() }}

// mustCommunityDB opens a database in tb.TempDir() on a virtual clock standing
// at t and syncs spec into it; it returns the community's id.
func mustCommunityDB(tb testing.TB, spec storage.CommunitySpec, t time.Time) (*storage.DB, *bot.VirtualClock, int64) {
	tb.Helper()
	db := storagetest.Open(tb)
	clock := bot.NewVirtualClock(t)
	db.Now = clock.Now
	return db, clock, storagetest.Sync(tb, db, spec)
}

// newRig builds the engine; register adds the test's own commands.
func newRig(tb testing.TB, flood bot.FloodConfig, register func(*bot.Mux)) *rig {
	tb.Helper()
	db, clock, _ := mustCommunityDB(tb, testCommunity, start)
	r := &rig{t: tb, db: db, clock: clock, mux: bot.NewMux(), logs: &syncBuffer{}}
	r.mux.Use(bot.Recover, bot.Authorize)
	// Record every reply to the sender, so tests see what was answered.
	r.mux.Handle(bot.Command{Name: "回声", Aliases: []string{"echo"}, Kind: "command", Handler: func(c *bot.Context) error {
		return c.Reply(prompts.LangUsage, nil)
	}})
	if register != nil {
		register(r.mux)
	}
	r.engine = &bot.Engine{DB: db, Mux: r.mux, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Log:      slog.New(slog.NewJSONHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		BotNames: []string{"小桥", "QiaoBot"}, Flood: bot.NewFloodGuard(flood)}
	return r
}

// send handles a message from user in chat at the clock's time.
func (r *rig) send(chat, user, text string) {
	r.t.Helper()
	r.seq++
	m := bot.Message{Platform: bot.Telegram, Chat: chat, User: user, UserName: "user" + user,
		ID: fmt.Sprint(r.seq), Text: text, Time: r.clock.Now()}
	if err := r.engine.Handle(context.Background(), m); err != nil {
		r.t.Fatalf("handle %q: %v", text, err)
	}
}

// outbox returns every queued message text addressed to user (mention or DM).
func (r *rig) outbox(user string) []string {
	r.t.Helper()
	msgs, err := r.db.PendingOutbox(context.Background(), bot.Telegram, r.clock.Now(), 1<<20)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.UserKey == user {
			out = append(out, m.Text)
		}
	}
	return out
}

func (r *rig) render(name string, data any) string {
	r.t.Helper()
	s, err := prompts.MustLoad().Render("zh-CN", name, data)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func TestPermissionRefusedChangesNothing(t *testing.T) {
	r := newRig(t, bot.FloodConfig{}, func(m *bot.Mux) {
		m.Handle(bot.Command{Name: "清空", Aliases: []string{"wipe"}, Kind: "command", Allow: staffOnly,
			Handler: func(c *bot.Context) error {
				if err := c.Tx.SetValue("wiped", "yes"); err != nil {
					return err
				}
				return c.Reply(prompts.LangUsage, nil)
			}})
	})
	r.send("-100", "501", "#清空")
	if _, err := r.db.Value(context.Background(), "wiped"); err != storage.ErrNotFound {
		t.Errorf("a resident's #清空 changed the database: %v", err)
	}
	who := r.render("role.staff", nil)
	want := r.render(prompts.Forbidden, map[string]string{"Command": "清空", "Who": who})
	if got := r.outbox("501"); len(got) != 1 || got[0] != want {
		t.Errorf("resident got %q, want [%q]", got, want)
	}
	r.send("-900", "900", "/wipe")
	if v, err := r.db.Value(context.Background(), "wiped"); err != nil || v != "yes" {
		t.Errorf("staff's /wipe: %q, %v", v, err)
	}
}

func TestFloodControl(t *testing.T) {
	const perMinute = 30
	r := newRig(t, bot.FloodConfig{PerMinute: perMinute}, nil)
	echo := r.render(prompts.LangUsage, nil)
	warning := r.render(prompts.FloodWarning, map[string]int{"PerMinute": perMinute})

	// The flooder sends 100 commands in a minute; a neighbour sends one every 10 s.
	const n = 100
	gap := time.Minute / n
	for i := range n {
		r.send("-100", "666", "#echo")
		if i%17 == 0 {
			r.send("-100", "502", "#echo")
		}
		r.clock.Advance(gap)
	}
	got := r.outbox("666")
	served := count(got, echo)
	// A burst of perMinute, then refills at perMinute a minute over the minute sent.
	maxServed := perMinute + int(time.Duration(n)*gap*perMinute/time.Minute)
	if served < perMinute || served > maxServed {
		t.Errorf("flooder served %d times, want between %d and %d", served, perMinute, maxServed)
	}
	if w := count(got, warning); w != 1 {
		t.Errorf("flooder warned %d times, want once", w)
	}
	if len(got) != served+1 {
		t.Errorf("flooder got %d replies, want %d served + 1 warning", len(got), served)
	}
	neighbour := r.outbox("502")
	if count(neighbour, echo) != len(neighbour) || len(neighbour) != (n+16)/17 {
		t.Errorf("neighbour got %d replies (%d echoes), want every one of %d served", len(neighbour), count(neighbour, echo), (n+16)/17)
	}

	// Dropped messages were recorded: a redelivery is not handled again.
	before := len(r.outbox("666"))
	r.engine.Handle(context.Background(), bot.Message{Platform: bot.Telegram, Chat: "-100", User: "666", ID: "1", Text: "#echo"})
	if after := len(r.outbox("666")); after != before {
		t.Errorf("redelivered message answered again")
	}

	// After a quiet minute the flooder is served in full again, and a new flood
	// gets a new warning.
	r.clock.Advance(time.Minute)
	for range perMinute + 1 {
		r.send("-100", "666", "#echo")
	}
	got = r.outbox("666")[before:]
	if count(got, echo) != perMinute || count(got, warning) != 1 {
		t.Errorf("after a quiet minute: %d served, %d warnings; want %d and 1", count(got, echo), count(got, warning), perMinute)
	}
	if !strings.Contains(r.logs.String(), `"kind":"flood"`) {
		t.Error(`dropped messages are not logged with kind "flood"`)
	}
}

func TestFloodControlStrangerInPrivate(t *testing.T) {
	r := newRig(t, bot.FloodConfig{PerMinute: 5}, nil)
	for i := range 50 {
		m := bot.Message{Platform: bot.Telegram, Chat: "777", User: "777", UserName: "stranger", Private: true, Addressed: true,
			ID: fmt.Sprint("p", i), Text: "#echo"}
		if err := r.engine.Handle(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	got := r.outbox("777")
	greeting := r.render(prompts.PrivateUnknown, map[string]string{"Bot": "小桥"})
	// The limit's 5, and the one that would carry the warning: a stranger gets the greeting instead.
	if count(got, greeting) != 6 || len(got) != 6 {
		t.Errorf("a flooding stranger got %d replies (%d greetings), want 5 + 1", len(got), count(got, greeting))
	}
}

func TestFloodControlOff(t *testing.T) {
	r := newRig(t, bot.FloodConfig{PerMinute: 0}, nil)
	for range 100 {
		r.send("-100", "666", "#echo")
	}
	if got := len(r.outbox("666")); got != 100 {
		t.Errorf("with flood control off, %d of 100 served", got)
	}
}

// TestLogsNeverShowPhoneNumbers sends a phone number through every path a
// message can take and checks the log, which records each handled message.
func TestLogsNeverShowPhoneNumbers(t *testing.T) {
	const phone = "13812345678"
	r := newRig(t, bot.FloodConfig{PerMinute: 2}, func(m *bot.Mux) {
		m.Handle(bot.Command{Name: "失败", Aliases: []string{"fail"}, Kind: "command", Handler: func(c *bot.Context) error {
			return fmt.Errorf("storage said no")
		}})
		m.Handle(bot.Command{Name: "崩溃", Aliases: []string{"crash"}, Kind: "command", Handler: func(c *bot.Context) error {
			panic("handler bug")
		}})
	})
	for _, text := range []string{
		"#echo 电话 " + phone, "#不存在 " + phone, "我的电话是" + phone, "#fail " + phone, "#crash " + phone,
		"/echo@OtherBot " + phone, "@小桥 " + phone, "#echo " + phone, // the last is over the flood limit
	} {
		r.send("-100", "501", text)
	}
	r.send("-12345", "501", "陌生群 "+phone) // an unregistered chat
	logs := r.logs.String()
	if !strings.Contains(logs, `"msg":"handled"`) || !strings.Contains(logs, `"latency_ms"`) {
		t.Fatalf("no handled lines with latency in the log:\n%s", logs)
	}
	if strings.Contains(logs, phone) || strings.Contains(logs, "12345678") {
		t.Errorf("the log shows a phone number:\n%s", logs)
	}
	if n := strings.Count(logs, `"msg":"handled"`); n != 9 {
		t.Errorf("%d handled lines for 9 messages:\n%s", n, logs)
	}
}
