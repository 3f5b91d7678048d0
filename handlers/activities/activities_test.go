package activities_test

import (
	"strings"
	"testing"
	"time"
)

func TestAnnounceIsEchoedBeforeItIsPosted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	got := e.say(t, "3栋居民群", "张楼长", "#活动 周六义诊\n时间：12月5日上午9点\n地点：社区广场\n名额：20\n截止：周五晚上8点\n收集：人数 联系方式")
	mustContain(t, got, "请核对活动", "标题：周六义诊", "时间：12月5日 09:00", "地点：社区广场", "名额：20 人", "报名截止：12月4日 20:00", "报名需留联系方式", "发到：3栋居民群")
	if strings.Contains(got, "【活动") {
		t.Fatalf("posted before the yes:\n%s", got)
	}
	got = e.say(t, "3栋居民群", "张楼长", "是")
	mustContain(t, got, "[3栋居民群] 【活动 A1】周六义诊", "#报名 A1 手机号", "[@张楼长 +file] A1（周六义诊）的签到码：", "活动 A1 已发布")
	// A second one is A2; "取消" drops a draft.
	e.say(t, "3栋居民群", "张楼长", "#活动 健康讲座 周三下午3点 地点 活动室")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "取消"), "没有发布")
	e.say(t, "3栋居民群", "张楼长", "#活动 健康讲座 周三下午3点 地点 活动室")
	mustContain(t, e.say(t, "3栋居民群", "张楼长", "好"), "活动 A2 已发布")
}

func TestWhoMayAnnounceAndWhatIsRefused(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, chat, user, text, want string }{
		{"resident", "3栋居民群", "居民甲", "#活动 义诊 周六上午9点", "只有楼栋长"},
		{"captain elsewhere", "5号楼居民群", "张楼长", "#活动 义诊 周六上午9点", "只有楼栋长"},
		{"captain scoping another building", "3栋居民群", "张楼长", "#活动 义诊 周六上午9点\n范围 5号楼", "不能在“5号楼居民群”发布"},
		{"no hour", "3栋居民群", "张楼长", "#活动 义诊 周六", "没有几点开始"},
		{"no time", "3栋居民群", "张楼长", "#活动 义诊 地点 广场", "缺少时间"},
		{"past", "3栋居民群", "张楼长", "#活动 义诊 2026年11月1日上午9点", "已经过去了"},
		{"bad capacity", "3栋居民群", "张楼长", "#活动 义诊 周六上午9点 名额 很多", "名额“很多”要写人数"},
		{"late deadline", "3栋居民群", "张楼长", "#活动 义诊 周六上午9点 截止 周日", "晚于活动开始"},
		{"unknown scope", "3栋居民群", "陈社工", "#活动 义诊 周六上午9点\n范围 9栋", "“9栋”不是本社区"},
		{"private without scope", "", "陈社工", "#活动 义诊 周六上午9点", "私聊发布活动要写范围"},
		{"grid worker over the grid", "一网格群", "王网格员", "#活动 义诊 周六上午9点 范围 第一网格", "发到：1栋居民群、3栋居民群、一网格群"},
	}
	e := newEnv(t) // refusals and drafts change nothing: one database serves every case
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustContain(t, e.say(t, tt.chat, tt.user, tt.text), tt.want)
			e.say(t, tt.chat, tt.user, "取消") // drop a draft, if any
		})
	}
}

func TestParseSpecForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// One line, labels glued to their values, a meeting with its agenda.
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#活动 周六义诊 12月5日上午9点 地点 社区广场 限20人 截止周五晚上8点"),
		"标题：周六义诊", "时间：12月5日 09:00", "名额：20 人", "报名截止：12月4日 20:00")
	e.say(t, "3栋居民群", "陈社工", "取消")
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#会议 板凳会 周四晚上7点 地点 3栋楼下 议程 电动车充电桩选址"),
		"请核对会议", "标题：板凳会（板凳会）", "议程：电动车充电桩选址", "名额：不限")
	e.say(t, "3栋居民群", "陈社工", "取消")
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#活动 类型:夜谈会 小区夜谈 周五晚上7点半 议程:停车"),
		"标题：小区夜谈（夜谈会）", "时间：12月4日 19:30")
}

func TestSignUpWaitlistAndPromotion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.announce(t, "义诊 周六上午9点 地点 广场 名额 3")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#报名 A1 2人"), "报名成功，2 人，还剩 1 个名额")
	mustContain(t, e.say(t, "3栋居民群", "乙", "#报名 A1 2人"), "名额已满，您在候补第 1 位（2 人）")
	mustContain(t, e.say(t, "3栋居民群", "丙", "#报名"), "报名成功，1 人，还剩 0 个名额") // the group's one activity
	mustContain(t, e.say(t, "3栋居民群", "丁", "#报名 A1 一人"), "候补第 2 位（1 人）")
	// One seat free: the party of two at the head waits for two; 丁 fits.
	got := e.say(t, "3栋居民群", "丙", "#取消报名 A1")
	mustContain(t, got, "已取消您在A1（义诊）的报名。候补的 1 位已自动递补", "[@丁] 好消息：有人取消，您已从候补递补到A1（义诊）（1 人）")
	if strings.Contains(got, "[@乙]") {
		t.Errorf("a party of two moved up into one seat:\n%s", got)
	}
	mustContain(t, e.say(t, "3栋居民群", "甲", "#取消报名 A1"), "候补的 1 位已自动递补", "[@乙] 好消息")
	mustContain(t, e.say(t, "3栋居民群", "居民甲", "#活动 A1"), "已报 3/3 人（2 份报名）")
	if got := e.say(t, "3栋居民群", "居民甲", "#活动 A1"); strings.Contains(got, "乙") {
		t.Errorf("a resident sees names:\n%s", got)
	}
	// The organiser gets the names privately when asking in a residents' group.
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#活动 A1"), "[@陈社工] 【活动 A1】", "乙 2人", "已私信发给您")
	mustContain(t, e.say(t, "3栋居民群", "居民甲", "#活动"), "A1 义诊：12月5日 09:00，广场，已报 3/3 人")
}

func TestSignUpAttacksChangeNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.announce(t, "义诊 周六上午9点 名额 2")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#报名 义诊"), "报名成功") // by title
	mustContain(t, e.say(t, "3栋居民群", "甲", "#报名 A1 2人"), "您已经报过A1（义诊）：1 人")
	mustContain(t, e.say(t, "3栋居民群", "乙", "#取消报名 A1 甲"), "只能取消您自己的报名")
	mustContain(t, e.say(t, "3栋居民群", "乙", "#取消报名 A1"), "您没有报名A1（义诊）")
	mustContain(t, e.say(t, "3栋居民群", "乙", "#报名 A9"), "没有找到活动 A9")
	mustContain(t, e.say(t, "3栋居民群", "乙", "#报名 周六体检"), "请写上活动编号，例如：#报名 A1 2人\nA1 义诊")
	mustContain(t, e.say(t, "3栋居民群", "乙", "#报名 A1 20人"), "一次最多报 10 人")
	mustContain(t, e.say(t, "5号楼居民群", "戊", "#报名 A1"), "只限发布的群的居民报名")
	// A replayed message (same platform id) is handled once.
	e.SayID(t, "3栋居民群", "乙", "#报名 A1", "replay-1")
	if got := e.SayID(t, "3栋居民群", "乙", "#报名 A1", "replay-1"); got != "" {
		t.Errorf("a replay answered %q", got)
	}
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#活动 A1"), "已报 2/2 人（2 份报名）")
	// After the deadline nobody signs up.
	e.Clock.Set(time.Date(2026, 12, 5, 9, 0, 0, 0, start.Location()))
	mustContain(t, e.say(t, "3栋居民群", "丙", "#报名 A1"), "报名已截止")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#取消报名 A1"), "已经开始，不能再取消")
}

func TestContactIsAskedAndMasked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.announce(t, "体检 周六上午9点 名额 5 收集 联系方式")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#报名 A1 2人"), "报名需要留手机号")
	got := e.say(t, "3栋居民群", "甲", "#报名 A1 2人 13812345678")
	mustContain(t, got, "联系方式 138****5678 已记下")
	if strings.Contains(got, "13812345678") {
		t.Errorf("the group sees the number:\n%s", got)
	}
	mustContain(t, e.say(t, "", "陈社工", "#活动 A1"), "甲 2人 13812345678")
}
