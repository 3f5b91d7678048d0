package activities_test

import (
	"strings"
	"testing"
)

func TestMeetingSuggestionsMinutesAndStats(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(t, "3栋居民群", "陈社工", "#会议 板凳会 12月3日晚上7点 地点 3栋楼下 议程 电动车充电桩选址")
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "是"), "[3栋居民群] 【板凳会 A1】板凳会", "议程：电动车充电桩选址")
	// Before the meeting a suggestion is just a suggestion.
	if got := e.say(t, "3栋居民群", "甲", "#建议 楼下多装几个车棚"); strings.Contains(got, "记入") {
		t.Errorf("a suggestion before the meeting was linked:\n%s", got)
	}
	e.say(t, "3栋居民群", "乙", "#报名 A1")
	e.Clock.Set(at(3, 19, 30))
	mustContain(t, e.say(t, "3栋居民群", "乙", "#建议 充电桩装在东侧空地"), "已记入板凳会 A1（板凳会）")
	// Not an attendee, or not in the meeting's group: an ordinary suggestion.
	for _, who := range [][2]string{{"3栋居民群", "丙"}, {"5号楼居民群", "乙"}} {
		if got := e.say(t, who[0], who[1], "#建议 5号楼也要充电桩"); strings.Contains(got, "记入") {
			t.Errorf("%s in %s: linked\n%s", who[1], who[0], got)
		}
	}
	// Afterwards staff enter what was said; a resident may not.
	e.Clock.Set(at(4, 10, 0))
	mustContain(t, e.say(t, "3栋居民群", "甲", "#建议 来源:A1 加装监控"), "只有板凳会 A1（板凳会）的发布人或社区工作人员")
	got := e.say(t, "", "陈社工", "#建议 来源：A1 充电桩旁加灭火器")
	mustContain(t, got, "已记入板凳会 A1")
	if strings.Contains(got, "来源") {
		t.Errorf("the source stayed in the suggestion:\n%s", got)
	}
	mustContain(t, e.say(t, "3栋居民群", "居民甲", "#活动 A1"), "收集建议 2 条：S2 S5")
	got = e.say(t, "3栋居民群", "陈社工", "#纪要 A1 会上商定：充电桩装在东侧空地，由物业12月底前报价。\n下次板凳会12月17日。")
	mustContain(t, got, "[3栋居民群] 【板凳会 A1（板凳会） 纪要】\n会上商定", "下次板凳会12月17日", "会上收集建议 2 条：S2 S5", "纪要已发到：3栋居民群")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#纪要 A1 我来写"), "只有板凳会 A1（板凳会）的发布人")
	mustContain(t, e.say(t, "社区工作群", "陈社工", "#统计"), "会议收集的建议：\n板凳会 A1（板凳会）收集建议 2 条")
}
