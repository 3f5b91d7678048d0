package activities_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// jielongPost is a 接龙 post of the given lines, numbered as WeChat does.
func jielongPost(lines []string) string {
	var b strings.Builder
	b.WriteString("#接龙\n周六义诊报名\n")
	for i, l := range lines {
		fmt.Fprintf(&b, "\n%d. %s", i+1, l)
	}
	return b.String()
}

// A 接龙 of 25 residents (and one name nobody answers to) linked to a
// capacity-20 义诊: 20 seats, 5 on the waitlist, 王大爷 reported to the
// organiser; a later line joins the waitlist, and a withdrawn line promotes one.
func TestJielongLinkedToActivity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.announce(t, "周六义诊 12月5日上午9点 地点 社区广场 限20人")
	var lines []string
	for i := 1; i <= 25; i++ {
		name := fmt.Sprintf("居民%02d", i)
		lines = append(lines, name+" 3栋")
		if i == 25 {
			lines = append(lines, "王大爷 带娃") // written for a neighbour who is not in the group
		}
		e.say(t, "3栋居民群", name, jielongPost(lines))
	}
	// Only the organiser or staff link.
	mustContain(t, e.say(t, "3栋居民群", "居民01", "#活动 A1 接龙 周六义诊报名"), "发布人")
	got := e.say(t, "3栋居民群", "陈社工", "#活动 A1 接龙 周六义诊")
	mustContain(t, got, "已把接龙「周六义诊报名」关联到", "这次报名 20 条，候补 5 条", "已报 20/20 人，候补 5 人",
		"找不到对应的居民", "王大爷", "[@居民01] 您在群接龙里报了名", "[@居民21] 您在群接龙里报了名", "候补第 1 位")
	if strings.Count(got, "您在群接龙里报了名") != 25 {
		t.Fatalf("want 25 private notices:\n%s", got)
	}
	// A new line after the link joins the waitlist; the organiser hears of nobody.
	lines = append(lines, "居民26 5栋")
	got = e.say(t, "3栋居民群", "居民26", jielongPost(lines))
	mustContain(t, got, "[@居民26] 您在群接龙里报了名", "候补第 6 位")
	// 居民03 withdraws their own line: their seat goes to 居民21, who is told.
	lines = slices.Delete(lines, 2, 3)
	got = e.say(t, "3栋居民群", "居民03", jielongPost(lines))
	mustContain(t, got, "[@居民21] 好消息")
	if strings.Contains(got, "居民22") {
		t.Fatalf("promoted more than one:\n%s", got)
	}
	mustContain(t, e.say(t, "", "陈社工", "#活动 A1"), "候补 5")
	// Linking again imports nothing twice.
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#活动 A1 接龙 周六义诊报名"), "这次报名 0 条", "已报 20/20 人")
}

func TestJielongLinkRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.announce(t, "周六义诊 12月5日上午9点 限20人")
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#活动 A1 接龙"), "#活动 A1 接龙 接龙标题")
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#活动 A1 接龙 周六义诊报名"), "没有叫「周六义诊报名」")
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#活动 A9 接龙 周六义诊报名"), "A9")
}
