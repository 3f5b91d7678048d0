package help_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/help"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// rig is the shared test community with its 3栋 group on one platform and the
// commands help talks about registered (their handlers do nothing).
type rig struct {
	t        *testing.T
	db       *storage.DB
	engine   *bot.Engine
	platform string
	seq      int
}

func newRig(t *testing.T, platform string) *rig {
	t.Helper()
	db := storagetest.Open(t)
	clock := bot.NewVirtualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	storagetest.Sync(t, db, storagetest.Move(storagetest.Community(), platform,
		map[string]string{"b3": "b3", "staff": "staff"}, map[string]string{"chen": "chen", "zhang": "zhang"}))
	mux := bot.NewMux()
	mux.Use(bot.Recover, bot.Authorize)
	nop := func(c *bot.Context) error { return nil }
	h := &help.Help{Mux: mux}
	mux.Handle(bot.Command{Name: "帮助", Aliases: []string{"help"}, Handler: h.Show})
	for _, c := range []bot.Command{
		{Name: "建议", Aliases: []string{"suggest"}}, {Name: "需求", Aliases: []string{"need"}},
		{Name: "报修", Aliases: []string{"repair"}}, {Name: "反映", Aliases: []string{"report"}},
		{Name: "进度", Aliases: []string{"status"}}, {Name: "我的", Aliases: []string{"mine"}},
		{Name: "投", Aliases: []string{"vote"}}, {Name: "登记", Aliases: []string{"register"}},
		{Name: "派单", Aliases: []string{"dispatch"}, Allow: roles.Dispatchers},
		{Name: "投票", Aliases: []string{"poll"}, Audience: roles.Leaders},
		{Name: "待办", Aliases: []string{"todo"}, Audience: roles.Workers},
	} {
		c.Handler = nop
		mux.Handle(c)
	}
	mux.HandleText(help.Greet)
	mux.Suggest("报修", "维修")
	mux.Suggest("", "报名")
	e := &bot.Engine{DB: db, Mux: mux, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BotNames: []string{"小桥"}}
	return &rig{t: t, db: db, engine: e, platform: platform}
}

// say sends text as user into the 3栋 group and returns the bot's answer.
func (r *rig) say(user, text string) string {
	r.t.Helper()
	r.seq++
	m := bot.Message{Platform: r.platform, Chat: "b3", User: user, UserName: user, ID: fmt.Sprint(r.seq), Text: text}
	if err := r.engine.Handle(context.Background(), m); err != nil {
		r.t.Fatal(err)
	}
	out, err := r.db.PendingOutbox(context.Background(), r.platform, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 100)
	if err != nil || len(out) == 0 {
		r.t.Fatalf("no answer to %q (%v)", text, err)
	}
	return out[len(out)-1].Text
}

func TestResidentHelpOnWeChatFitsAPhone(t *testing.T) {
	got := newRig(t, bot.WeChat).say("居民甲", "#帮助")
	lines := strings.Split(got, "\n")
	if len(lines) > 8 {
		t.Errorf("a resident's help is %d lines, want at most 8:\n%s", len(lines), got)
	}
	for _, want := range []string{"#报修 ", "#反映 ", "#建议 ", "#需求 ", "#进度 ", "#投 ", "#我的", "#帮助 全部"} {
		if !strings.Contains(got, want) {
			t.Errorf("help lacks %q:\n%s", want, got)
		}
	}
	// WeChat residents type Chinese: no ASCII alias, no console-only syntax, no
	// command they may not use.
	for _, not := range []string{"/repair", "/help", "\\", "#派单", "#投票", "#待办"} {
		if strings.Contains(got, not) {
			t.Errorf("a resident's WeChat help shows %q:\n%s", not, got)
		}
	}
}

func TestHelpIsRoleAware(t *testing.T) {
	r := newRig(t, bot.Console)
	staff := r.say("chen", "#帮助")
	for _, want := range []string{"#派单", "#投票", "#待办"} {
		if !strings.Contains(staff, want) {
			t.Errorf("staff help lacks %s:\n%s", want, staff)
		}
	}
	captain := r.say("zhang", "#帮助")
	if !strings.Contains(captain, "#投票") || strings.Contains(captain, "#派单") || strings.Contains(captain, "#待办") {
		t.Errorf("a captain's help should offer #投票 only among work commands:\n%s", captain)
	}
	all := r.say("居民甲", "#帮助 全部")
	if !strings.Contains(all, "#登记") || strings.Contains(all, "#派单") || strings.Contains(all, "#投票") {
		t.Errorf("a resident's full help:\n%s", all)
	}
}

func TestHelpOnTelegramShowsSlashCommands(t *testing.T) {
	got := newRig(t, bot.Telegram).say("居民甲", "#帮助")
	if !strings.Contains(got, "（/repair）") || !strings.Contains(got, "#报修 ") {
		t.Errorf("Telegram help should show the /command beside the Chinese one:\n%s", got)
	}
}

func TestUnknownCommandsAreSuggestedByMeaning(t *testing.T) {
	r := newRig(t, bot.WeChat)
	if got := r.say("居民甲", "#报名 周六义诊"); strings.Contains(got, "#报修") || !strings.Contains(got, "没有“报名”这个命令") {
		t.Errorf("#报名 answered %q: it looks like #报修 but means something else", got)
	}
	if got := r.say("居民甲", "#维修 楼道灯"); !strings.Contains(got, "#报修") {
		t.Errorf("#维修 answered %q, want a suggestion of #报修", got)
	}
}

func TestGreetingInAPrivateChatNotInAGroup(t *testing.T) {
	r := newRig(t, bot.Console)
	ctx := context.Background()
	pending := func() int {
		out, err := r.db.PendingOutbox(ctx, bot.Console, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(out)
	}
	if err := r.engine.Handle(ctx, bot.Message{Platform: bot.Console, Chat: "b3", User: "居民甲", UserName: "居民甲", ID: "g1", Text: "你好"}); err != nil {
		t.Fatal(err)
	}
	if n := pending(); n != 0 {
		t.Fatalf("a greeting in a group was answered (%d messages): groups stay quiet", n)
	}
	if err := r.engine.Handle(ctx, bot.Message{Platform: bot.Console, User: "居民甲", UserName: "居民甲", ID: "p1", Text: "你好", Private: true}); err != nil {
		t.Fatal(err)
	}
	out, err := r.db.PendingOutbox(ctx, bot.Console, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 100)
	if err != nil || len(out) != 1 || !strings.Contains(out[0].Text, "#帮助") {
		t.Fatalf("a private 你好 got %+v (%v), want one line pointing at #帮助", out, err)
	}
}
