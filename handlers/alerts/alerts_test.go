package alerts_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/alerts"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage/storagetest"
)

var (
	shanghai = time.FixedZone("CST", 8*3600)
	outage   = time.Date(2026, 11, 30, 9, 0, 0, 0, shanghai)
	back     = outage.Add(40 * time.Minute)
)

// rig is the alerts handler over a real database with a console staff group
// and two WeChat building groups.
type rig struct {
	t     *testing.T
	a     *alerts.Alerts
	raw   *sql.DB
	wakes int
}

func newRig(t *testing.T, alertGroup string) *rig {
	t.Helper()
	path := filepath.Join(t.TempDir(), "qiao.db")
	db := storagetest.OpenAt(t, path)
	// The shared community with its 3栋 and 5号楼 groups on WeChat, not asking
	// before filing.
	spec := storagetest.Move(storagetest.Community(), bot.WeChat, map[string]string{"b3": "3栋微信群", "b5": "5栋微信群"}, nil)
	for i := range spec.Groups {
		if k := spec.Groups[i].Key; k == "b3" || k == "b5" {
			spec.Groups[i].Mode = "off"
		}
	}
	storagetest.Sync(t, db, spec)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	r := &rig{t: t, raw: raw}
	r.a = &alerts.Alerts{DB: db, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Prompts: prompts.MustLoad(), Lang: "zh-CN", Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Location: shanghai, BotName: "小桥", AlertGroups: map[string]string{bot.WeChat: alertGroup},
		Wake: func() { r.wakes++ }}
	return r
}

// posts is the text of every queued message into chat, oldest first.
func (r *rig) posts(chat string) []string {
	r.t.Helper()
	rows, err := r.raw.Query(`SELECT text FROM outbox WHERE chat_key = ? ORDER BY id`, chat)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			r.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func (r *rig) handle(e bot.ChannelEvent) {
	r.t.Helper()
	if err := r.a.Handle(context.Background(), e); err != nil {
		r.t.Fatal(err)
	}
}

func TestSessionEndIsPostedOncePerOutage(t *testing.T) {
	r := newRig(t, "staff")
	ended := bot.ChannelEvent{Platform: bot.WeChat, Kind: bot.EventSessionEnded, At: outage, Since: outage,
		Err: errors.New("retcode 1102")}
	r.handle(ended)
	r.handle(ended) // the same outage reported again
	got := r.posts("社区工作群")
	if len(got) != 1 || !strings.Contains(got[0], "11-30 09:00 微信断开了登录（retcode 1102）") {
		t.Fatalf("staff got %q; want one session-end alert with the time and the reason", got)
	}
	later := ended
	later.Since, later.At = back, back
	r.handle(later)
	if got := r.posts("社区工作群"); len(got) != 2 {
		t.Fatalf("staff got %d alerts for two outages, want 2", len(got))
	}
	if r.wakes != 3 {
		t.Errorf("dispatcher woken %d times, want once per handled event", r.wakes)
	}
}

func TestRecoveryTellsEachGroupThatMissedMessagesOnce(t *testing.T) {
	r := newRig(t, "staff")
	rec := bot.ChannelEvent{Platform: bot.WeChat, Kind: bot.EventRecovered, At: back, Since: outage,
		Chats: []string{"3栋微信群", "5栋微信群", "没有配置的群"}}
	r.handle(rec)
	r.handle(rec)
	for _, chat := range []string{"3栋微信群", "5栋微信群"} {
		got := r.posts(chat)
		if len(got) != 1 || !strings.Contains(got[0], "小桥 在 11-30 09:00 到 11-30 09:40 之间掉线了") {
			t.Fatalf("%s got %q; want one outage notice naming the bot and the outage", chat, got)
		}
	}
	if got := r.posts("社区工作群"); len(got) != 1 || !strings.Contains(got[0], "已通知 3 个群") {
		t.Fatalf("staff got %q; want one recovery alert", got)
	}
	if got := r.posts("没有配置的群"); len(got) != 0 {
		t.Fatalf("an unconfigured chat got %q", got)
	}
}

func TestWithoutAlertGroupTheLogIsTheAlert(t *testing.T) {
	r := newRig(t, "")
	r.handle(bot.ChannelEvent{Platform: bot.WeChat, Kind: bot.EventSendStalled, At: back, Since: outage,
		Err: errors.New("not logged in")})
	var n int
	if err := r.raw.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d messages queued without an alert group", n)
	}
	// The groups that missed messages are still told.
	r.handle(bot.ChannelEvent{Platform: bot.WeChat, Kind: bot.EventRecovered, At: back, Since: outage,
		Chats: []string{"3栋微信群"}})
	if got := r.posts("3栋微信群"); len(got) != 1 {
		t.Fatalf("3栋微信群 got %q; want the outage notice", got)
	}
}

func TestQRAlertAtMostOnceAnHour(t *testing.T) {
	r := newRig(t, "staff")
	for _, at := range []time.Time{outage, outage.Add(5 * time.Minute), outage.Add(time.Hour)} {
		r.handle(bot.ChannelEvent{Platform: bot.WeChat, Kind: bot.EventQR, At: at, QRFile: "/srv/qiao/wechat-login-qr.png"})
	}
	got := r.posts("社区工作群")
	if len(got) != 2 || !strings.Contains(got[0], "/srv/qiao/wechat-login-qr.png") {
		t.Fatalf("staff got %q; want two QR alerts (one per hour) naming the file", got)
	}
}

func TestUnknownEventChangesNothing(t *testing.T) {
	r := newRig(t, "staff")
	err := r.a.Handle(context.Background(), bot.ChannelEvent{Platform: bot.WeChat, Kind: "no_such_kind", At: outage})
	if err == nil {
		t.Fatal("an event without a template was accepted")
	}
	if got := r.posts("社区工作群"); len(got) != 0 {
		t.Fatalf("staff got %q", got)
	}
}

// Publish only queues; Run handles what was queued, in order, even when it
// is asked to stop straight away.
func TestPublishQueuesAndRunHandlesEverything(t *testing.T) {
	r := newRig(t, "staff")
	for _, name := range []string{"甲", "乙", "丙"} {
		r.a.Publish(bot.ChannelEvent{Platform: bot.WeChat, Kind: bot.EventMemberRenamed, At: outage, Name: name, Title: name + name})
	}
	if got := r.posts("社区工作群"); len(got) != 0 {
		t.Fatalf("Publish wrote %q before Run", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.a.Run(ctx)
	got := r.posts("社区工作群")
	if len(got) != 3 || !strings.Contains(got[0], "“甲”改名为“甲甲”") || !strings.Contains(got[2], "“丙”改名为“丙丙”") {
		t.Fatalf("staff got %q; want the three renames in order", got)
	}
}

func TestTemplateNamesMatchThePrompts(t *testing.T) {
	e := bot.ChannelEvent{Platform: bot.WeChat, Kind: bot.EventSessionEnded}
	if got, want := alerts.Template(e), prompts.WeChatAlert+string(bot.EventSessionEnded); got != want {
		t.Fatalf("template %q, want %q", got, want)
	}
}
