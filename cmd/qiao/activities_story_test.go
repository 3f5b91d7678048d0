package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestStoryFreeClinic: a 义诊 with 20 places filled by 25 residents; two
// cancel and the first two on the waitlist move up, told privately; the
// reminders come the day before and an hour before on the virtual clock; people
// check in with the code (a wrong code and an early one are refused); then a
// 通知 需确认 with the confirmations per building. Two process lifetimes: the
// code is read from the organiser's private message in between.
func TestStoryFreeClinic(t *testing.T) {
	t.Parallel()
	s := newStory(t)
	var script strings.Builder
	script.WriteString(":in 3栋居民群\n:as 陈社工\n#活动 社区义诊\\\n时间：12月1日下午3点\\\n地点：社区广场\\\n名额：20\\\n截止：今晚8点\n是\n")
	for i := 1; i <= 25; i++ {
		fmt.Fprintf(&script, ":as 居民%02d\n#报名 A1\n", i)
	}
	script.WriteString(":as 居民03\n#取消报名 A1\n:as 居民07\n#取消报名 A1\n:as 居民21\n#取消报名 A1\n")
	got := s.run(script.String())
	for _, want := range []string{
		"[3栋居民群] 【活动 A1】社区义诊\n  时间：12月1日 15:00\n  地点：社区广场",
		"@居民20 A1（社区义诊）报名成功，1 人，还剩 0 个名额",
		"@居民21 A1（社区义诊）名额已满，您在候补第 1 位",
		"@居民25 A1（社区义诊）名额已满，您在候补第 5 位",
		"@居民03 已取消您在A1（社区义诊）的报名。候补的 1 位已自动递补",
		"[@居民21] 好消息：有人取消，您已从候补递补到A1（社区义诊）",
		"[@居民22] 好消息：有人取消，您已从候补递补到A1（社区义诊）",
		"@居民21 已取消您在A1（社区义诊）的报名。候补的 1 位已自动递补",
		"[@居民23] 好消息",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	m := regexp.MustCompile(`签到码：(\d{4})`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no check-in code sent to the organiser:\n%s", got)
	}
	code, wrong := m[1], "0000"
	if code == wrong {
		wrong = "0001"
	}
	got = s.run(`:time 2026-11-30 15:00
:time 2026-12-01 14:00
:in 3栋居民群
:as 居民01
#签到 A1 ` + code + `
:time 2026-12-01 14:40
#签到 A1 ` + wrong + `
#签到 A1 ` + code + `
:as 居民22
#签到 A1 ` + code + `
:as 陈社工
#活动 A1
:in 社区工作群
#通知 周六上午小区东门临时封闭，请走西门 需确认\
范围 3栋 5号楼
:in 3栋居民群
:as 居民01
收到
:as 居民02
已阅
:in 5号楼居民群
:as 居民五
#收到 N1
:as 居民六
大家好
:in 社区工作群
:as 陈社工
#通知 N1
`)
	for _, want := range []string{
		"[@居民01] 提醒：您报名的A1（社区义诊）将在 12月1日 15:00 开始",
		"[@居民01] 提醒：您报名的A1（社区义诊）还有 60 分钟开始",
		"[@陈社工] 您发布的A1（社区义诊）将在 12月1日 15:00 开始：已报 20/20 人，候补 2 人",
		"签到时间是 12月1日 14:30 到 17:00，现在不能签到",
		"签到码不对",
		"@居民01 签到成功：A1（社区义诊）。目前已签到 1 人",
		"@居民22 签到成功：A1（社区义诊）。目前已签到 2 人",
		"已报 20/20 人（20 份报名），候补 2 人，已签到 2 人",
		"[3栋居民群] 【通知 N1】周六上午小区东门临时封闭，请走西门",
		"[5号楼居民群] 【通知 N1】",
		"3栋居民群（3栋）：2/",
		"5号楼居民群（5号楼）：1/2（按已发言成员计），未确认：居民六",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	for _, never := range []string{"[@居民03] 提醒", "[@居民24] 提醒", "[@居民25] 提醒"} {
		if strings.Contains(got, never) {
			t.Errorf("%q: reminded someone without a seat:\n%s", never, got)
		}
	}
	if n := strings.Count(got, "提醒：您报名的A1"); n != 40 {
		t.Errorf("%d reminders to participants, want 20 the day before and 20 an hour before", n)
	}
}
