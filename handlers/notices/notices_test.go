package notices_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/handlertest"
	"github.com/qiao-community/qiao/handlers/notices"
	"github.com/qiao-community/qiao/storage/storagetest"
)

var start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

var mustContain = handlertest.MustContain

// env is the handler rig with the notice commands and their job.
type env struct {
	*handlertest.Rig
	jobs *notices.Jobs
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvLang(tb, "zh-CN")
}

func newEnvLang(tb testing.TB, lang string) *env {
	tb.Helper()
	spec := storagetest.Community()
	spec.Groups[2].Residents = 3 // 5号楼居民群 has a configured number of residents
	spec.Lang = lang
	h := &notices.Handlers{Config: notices.DefaultConfig()}
	mux := bot.NewMux()
	mux.Handle(bot.Command{Name: "通知", Aliases: []string{"notice"}, Handler: h.Notice})
	mux.Handle(bot.Command{Name: "收到", Aliases: []string{"ack"}, Handler: h.Ack})
	mux.HandleText(h.AckText)
	r := handlertest.New(tb, filepath.Join(tb.TempDir(), "qiao.db"), start, spec, mux)
	return &env{Rig: r, jobs: &notices.Jobs{DB: r.DB, Outbox: r.Outbox, Config: h.Config}}
}

func (e *env) say(tb testing.TB, chat, user, text string) string {
	tb.Helper()
	return e.Say(tb, chat, user, text)
}

func (e *env) tick(tb testing.TB, t time.Time) string {
	tb.Helper()
	return e.Run(tb, t, e.jobs.Tick)
}

func TestNoticeNeedingConfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, who := range []string{"甲", "乙", "丙", "丁"} {
		e.say(t, "3栋居民群", who, "大家好")
	}
	e.say(t, "5号楼居民群", "戊", "早")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#通知 明天停水"), "只有楼栋长")
	got := e.say(t, "", "陈社工", "#通知 周六上午9点到12点停水，请提前储水（需确认）\n范围 3栋 5号楼")
	mustContain(t, got, "[3栋居民群] 【通知 N1】周六上午9点到12点停水，请提前储水\n请每户回复“收到”确认", "[5号楼居民群] 【通知 N1】",
		"通知 N1 已发到 2 个群：3栋居民群、5号楼居民群")
	if got := e.say(t, "3栋居民群", "甲", "收到"); got != "" {
		t.Errorf("收到 in the group answered %q; it should confirm silently", got)
	}
	e.say(t, "3栋居民群", "乙", "已阅。")
	e.say(t, "3栋居民群", "甲", "收到了")       // twice counts once
	e.say(t, "3栋居民群", "丙", "收到的话明天再说吧") // not a confirmation
	mustContain(t, e.say(t, "5号楼居民群", "戊", "#收到 N1"), "已确认收到通知 N1")
	mustContain(t, e.say(t, "5号楼居民群", "戊", "#收到"), "您已经确认过通知 N1")
	mustContain(t, e.say(t, "3栋居民群", "丙", "#通知 N1"), "只有楼栋长、网格员和社区工作人员")
	mustContain(t, e.say(t, "一网格群", "王网格员", "#通知 N1"), "通知 N1 确认情况：3/7",
		"3栋居民群（3栋）：2/4（按已发言成员计），未确认：丁、丙", "5号楼居民群（5号楼）：1/3")
	// The Telegram button sends "ack N1".
	mustContain(t, e.Press(t, "3栋居民群", "丁", "ack N1"), "已确认收到通知 N1，谢谢")
	got = e.tick(t, start.Add(25*time.Hour))
	mustContain(t, got, "[@丙] 提醒：通知 N1 还没收到您的确认", "[3栋居民群] 通知 N1 本群已确认 3/4", "[5号楼居民群] 通知 N1 本群已确认 1/3")
	if strings.Contains(got, "@甲") || strings.Contains(got, "@丁") || strings.Contains(got, "@陈社工") {
		t.Errorf("reminded someone who confirmed or wrote it:\n%s", got)
	}
	if got := e.tick(t, start.Add(26*time.Hour)); got != "" {
		t.Errorf("reminded twice: %q", got)
	}
	e.Clock.Set(start.Add(73 * time.Hour))
	mustContain(t, e.say(t, "3栋居民群", "丙", "#收到 N1"), "确认已于 12月3日 09:00 结束")
	if got := e.say(t, "3栋居民群", "丁", "收到"); got != "" {
		t.Errorf("收到 after the close: %q", got)
	}
}

func TestNoticeWithoutConfirmationAndBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "#通知 今晚7点楼下消杀"), "【通知 N1】今晚7点楼下消杀", "通知 N1 已发到 1 个群")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "#通知 N1"), "通知 N1 不需要确认")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "#通知 N7"), "没有找到通知 N7")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "#通知 消杀\n范围 9栋"), "“9栋”不是本社区", "没有发出")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "#通知 消杀\n范围 5号楼"), "只有楼栋长")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "#通知"), "发通知：#通知 加内容")
	mustContain(t, e.say(t, "3栋居民群", "丙", "#收到"), "这里没有需要确认的通知")
	if got := e.tick(t, start.Add(30*time.Hour)); got != "" {
		t.Errorf("a notice without 需确认 was reminded: %q", got)
	}
}

func TestNoticeInEnglish(t *testing.T) {
	t.Parallel()
	e := newEnvLang(t, "en")
	e.say(t, "3栋居民群", "甲", "hello")
	e.say(t, "3栋居民群", "乙", "hi")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "/notice No water on Saturday 9:00-12:00 需确认"),
		"[Notice N1] No water on Saturday 9:00-12:00\nPlease confirm by answering “收到” (or /ack N1).", "Notice N1 posted to 1 group(s): 3栋居民群")
	e.say(t, "3栋居民群", "甲", "received")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "/notice N1"), "Notice N1 confirmed: 1/2", "3栋居民群 (3栋): 1/2 (of members seen); not yet: 乙")
	mustContain(t, e.tick(t, start.Add(25*time.Hour)), "[@乙] Reminder: you have not confirmed notice N1", "Notice N1: 1/2 confirmed in this group")
}
