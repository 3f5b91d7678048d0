package bot_test

import (
	"context"
	"errors"
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

var ctx = context.Background()

// recorder is an adapter that keeps what it is asked to send.
type recorder struct {
	platform string
	limits   bot.Limits
	clock    bot.Clock
	mu       sync.Mutex
	sent     []bot.Outgoing
	times    []time.Time
	fail     func(bot.Outgoing) error // nil: accept everything
}

func (r *recorder) Platform() string                             { return r.platform }
func (r *recorder) Limits() bot.Limits                           { return r.limits }
func (r *recorder) Run(ctx context.Context, _ bot.Inbound) error { <-ctx.Done(); return nil }
func (r *recorder) Send(_ context.Context, m bot.Outgoing) (bot.Sent, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(m); err != nil {
			return bot.Sent{}, err
		}
	}
	r.sent = append(r.sent, m)
	if r.clock != nil {
		r.times = append(r.times, r.clock.Now())
	}
	return bot.Sent{ID: fmt.Sprint("m", m.ID)}, nil
}

// lines renders what was sent like the console does: "[chat] @user text".
func (r *recorder) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, m := range r.sent {
		to := m.Chat
		if to == "" {
			to = "@" + m.UserName
		} else if m.UserName != "" {
			to += " @" + m.UserName
		}
		out = append(out, "["+to+"] "+m.Text)
	}
	return out
}

type harness struct {
	t      *testing.T
	db     *storage.DB
	engine *bot.Engine
	mux    *bot.Mux
	disp   *bot.Dispatcher
	out    *recorder
	clock  *bot.VirtualClock
	cid    int64
	seq    int
}

// consoleCommunity is the shared test community, on the console.
var consoleCommunity = storagetest.Community()

func newHarness(t *testing.T) *harness {
	t.Helper()
	db, clock, cid := mustCommunityDB(t, consoleCommunity, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	h := &harness{t: t, db: db, clock: clock, cid: cid, mux: bot.NewMux(), out: &recorder{platform: "console"}}
	h.mux.Use(bot.Recover, bot.Authorize)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	outbox := &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"}
	h.disp = &bot.Dispatcher{DB: db, Clock: clock, Log: log}
	h.disp.Register(h.out)
	h.engine = &bot.Engine{DB: db, Mux: h.mux, Outbox: outbox, Log: log, BotNames: []string{"小桥", "QiaoBot"}, Wake: h.disp.Wake}
	return h
}

// say sends a message as user into chat and returns what the bot sent back.
func (h *harness) say(chat, user, text string) []string {
	h.t.Helper()
	h.seq++
	return h.sayID(chat, user, text, fmt.Sprint(h.seq))
}

func (h *harness) sayID(chat, user, text, id string) []string {
	h.t.Helper()
	before := len(h.out.lines())
	m := bot.Message{Platform: "console", Chat: chat, User: user, UserName: user, ID: id, Text: text, Time: h.clock.Now()}
	if err := h.engine.Handle(ctx, m); err != nil {
		h.t.Fatalf("Handle(%q): %v", text, err)
	}
	if err := h.disp.Drain(ctx, "console"); err != nil {
		h.t.Fatal(err)
	}
	return h.out.lines()[before:]
}

func (h *harness) count(table string) int {
	h.t.Helper()
	n, err := h.db.CountRows(ctx, table)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// note is a test command that stores its argument as a suggestion and echoes it.
func (h *harness) note(c *bot.Context) error {
	if _, err := c.Tx.CreateRequest(storage.Request{CommunityID: c.Community.ID, Kind: "suggestion", Text: c.Args,
		PersonID: c.Person.ID, State: "submitted"}); err != nil {
		return err
	}
	return c.Reply(prompts.RequestsCreated, map[string]any{"Kind": "suggestion", "ID": "S1", "Category": "", "Location": "", "Text": c.Args, "Ticket": false})
}

func expect(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bot sent:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestEngineRoutesAliasesAndPrefixes(t *testing.T) {
	h := newHarness(t)
	var got []string
	h.mux.Handle(bot.Command{Name: "记录", Aliases: []string{"note"}, Handler: func(c *bot.Context) error {
		got = append(got, c.Command.Name+"|"+c.Args)
		return nil
	}})
	for _, text := range []string{"#记录 一", "/记录 二", "＃记录　三", "/note 四", "/note@QiaoBot 五", "@小桥 记录 六", "@小桥 #note 七", "#记录\n第一行\n第二行"} {
		h.say("3栋居民群", "居民甲", text)
	}
	h.say("3栋居民群", "居民甲", "/note@OtherBot 不是给我的")
	h.say("3栋居民群", "居民甲", "记录 没有前缀的只是聊天")
	want := []string{"记录|一", "记录|二", "记录|三", "记录|四", "记录|五", "记录|六", "记录|七", "记录|第一行\n第二行"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("handled %q\nwant    %q", got, want)
	}
}

func TestEngineDedupesRepeatedMessageID(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: h.note})
	first := h.sayID("3栋居民群", "居民甲", "#建议 划车位", "42")
	again := h.sayID("3栋居民群", "居民甲", "#建议 划车位", "42")
	if len(first) != 1 || len(again) != 0 {
		t.Fatalf("replies: first %q, redelivery %q", first, again)
	}
	if n := h.count("requests"); n != 1 {
		t.Fatalf("requests = %d, want 1", n)
	}
	// The same id in another chat is another message.
	h.sayID("社区工作群", "陈社工", "#建议 也划车位", "42")
	if n := h.count("requests"); n != 2 {
		t.Fatalf("requests = %d, want 2", n)
	}
}

func TestEngineUnknownCommand(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: h.note})
	expect(t, h.say("3栋居民群", "居民甲", "#建 划车位"),
		"[3栋居民群 @居民甲] 没有“建”这个命令。您是不是想用 #建议？发送 #帮助 查看可用命令。")
	expect(t, h.say("3栋居民群", "居民甲", "/weather"),
		"[3栋居民群 @居民甲] 没有“weather”这个命令。发送 #帮助 查看可用命令。")
	// Hashtags, emoticons and plain chat are not commands and get no reply.
	expect(t, h.say("3栋居民群", "居民甲", "#今日话题# 大家早"))
	expect(t, h.say("3栋居民群", "居民甲", "/::) 早上好"))
	expect(t, h.say("3栋居民群", "居民甲", "今天天气不错"))
}

func TestEnginePermissionRefusal(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "派单", Aliases: []string{"dispatch"}, Allow: staffOnly, Handler: h.note})
	expect(t, h.say("3栋居民群", "居民甲", "#派单 R1 物业"),
		"[3栋居民群 @居民甲] 抱歉，#派单 只有社区工作人员可以使用。如需帮助，请联系社区工作人员。")
	if n := h.count("requests"); n != 0 {
		t.Fatalf("a refused command changed the database: %d requests", n)
	}
	if got := h.say("社区工作群", "陈社工", "#派单 R1 物业"); len(got) != 1 || h.count("requests") != 1 {
		t.Fatalf("staff was refused: %q", got)
	}
}

// TestEngineTooLongBeforePermission: an over-long command is refused for its
// length before anyone asks who sent it, as it always was.
func TestEngineTooLongBeforePermission(t *testing.T) {
	h := newHarness(t)
	h.engine.MaxRunes = 20
	h.mux.Handle(bot.Command{Name: "派单", Aliases: []string{"dispatch"}, Allow: staffOnly, Handler: h.note})
	refusal, err := prompts.MustLoad().Render("zh-CN", prompts.TooLong, map[string]int{"Length": 33, "Max": 20})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, h.say("3栋居民群", "居民甲", "#派单 "+strings.Repeat("长", 30)), "[3栋居民群 @居民甲] "+refusal)
}

func TestEngineHandlerErrorLeavesNothing(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "坏", Aliases: []string{"broken"}, Handler: func(c *bot.Context) error {
		if err := h.note(c); err != nil { // stores a row and enqueues a reply ...
			return err
		}
		return errors.New("disk on fire") // ... then fails
	}})
	outboxBefore := h.count("outbox")
	got := h.say("3栋居民群", "居民甲", "#坏 一条建议")
	expect(t, got, "[3栋居民群 @居民甲] 抱歉，系统出了点问题，您的消息没有办理成功。请稍后再试，或联系社区工作人员。")
	if n := h.count("requests"); n != 0 {
		t.Errorf("requests = %d: the failed handler's row survived", n)
	}
	if n := h.count("outbox"); n != outboxBefore+1 {
		t.Errorf("outbox grew by %d, want only the apology", n-outboxBefore)
	}
}

func TestEngineRefusalRollsBack(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "试", Aliases: []string{"try"}, Handler: func(c *bot.Context) error {
		if err := h.note(c); err != nil {
			return err
		}
		return bot.Refuse(prompts.RequestsUsage, map[string]string{"Kind": "suggestion"})
	}})
	expect(t, h.say("3栋居民群", "居民甲", "#试 x"),
		"[3栋居民群 @居民甲] 请在 #建议 后面写上内容，例如：#建议 交警大院划一些停车位")
	if n := h.count("requests"); n != 0 {
		t.Errorf("requests = %d after a refusal", n)
	}
}

func TestEnginePanicIsRecovered(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "炸", Aliases: []string{"boom"}, Handler: func(c *bot.Context) error {
		panic("boom")
	}})
	got := h.say("3栋居民群", "居民甲", "#炸")
	if len(got) != 1 || !strings.Contains(got[0], "系统出了点问题") {
		t.Fatalf("after a panic the bot sent %q", got)
	}
}

func TestEngineTemplateSyntaxIsData(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: h.note})
	for _, evil := range []string{`{{.}}`, `{{template "core.internal_error"}}`, `{{printf "%s" .Text}}`, `<b>&amp;</b>`} {
		got := h.say("3栋居民群", "居民甲", "#建议 "+evil)
		if len(got) != 1 || !strings.Contains(got[0], "："+evil) {
			t.Errorf("%s echoed as %q", evil, got)
		}
	}
}

func TestEngineUnregisteredGroupIgnoredStaffToldOnce(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: h.note})
	first := h.say("陌生群", "路人", "#建议 在这里不该登记")
	second := h.say("陌生群", "路人", "#建议 还是不该")
	expect(t, first, "[社区工作群] 提示：有一个未登记的群“陌生群”（console，ID 陌生群）在和小桥说话。如需启用，请把它加进配置文件的 groups。")
	expect(t, second)
	if n := h.count("requests"); n != 0 {
		t.Errorf("requests from an unregistered group: %d", n)
	}
}

func TestEngineLongCommandRefused(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: h.note})
	long := "#建议 " + strings.Repeat("很长", 1<<15) // 65,536 runes: 32× the limit (3 MB proved no more)
	got := h.say("3栋居民群", "居民甲", long)
	if len(got) != 1 || !strings.Contains(got[0], "消息太长了") {
		t.Fatalf("got %q", got)
	}
	if n := h.count("requests"); n != 0 {
		t.Errorf("a too-long command was stored")
	}
}

func TestEngineConversation(t *testing.T) {
	h := newHarness(t)
	var answered []string
	h.mux.Handle(bot.Command{Name: "问", Aliases: []string{"ask"}, Handler: func(c *bot.Context) error {
		return c.Ask("test", "q1", 5*time.Minute)
	}})
	h.mux.HandleConversation("test", func(c *bot.Context) error {
		answered = append(answered, c.Conversation.Data+"="+c.Parsed.Text)
		return c.EndConversation()
	})
	h.mux.HandleText(func(c *bot.Context) error { answered = append(answered, "text="+c.Parsed.Text); return nil })
	h.say("3栋居民群", "居民甲", "#问")
	h.say("3栋居民群", "居民乙", "别人说话不算")
	h.say("3栋居民群", "居民甲", "是")
	h.say("3栋居民群", "居民甲", "是") // the conversation ended: plain text now
	h.say("3栋居民群", "居民甲", "#问")
	h.clock.Advance(6 * time.Minute)
	h.say("3栋居民群", "居民甲", "是") // expired
	want := "text=别人说话不算,q1=是,text=是,text=是"
	if strings.Join(answered, ",") != want {
		t.Errorf("answered %q, want %q", strings.Join(answered, ","), want)
	}
}
