package main

import (
	"strings"
	"testing"
)

// printedSection returns the printed lines from the first line containing from up
// to (not including) the next line that starts a new message ("[").
func printedSection(out, from string) string {
	i := strings.Index(out, from)
	if i < 0 {
		return ""
	}
	rest := out[i:]
	if j := strings.Index(rest, "\n["); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestStoryRatingsAreNeverRewritten: a ticket rated 不满意, reworked and
// rated 满意 keeps both ratings: first-time satisfaction 0%, final 100%, the
// 不满意 comment still counted. While reopened it is not "done" in the weekly
// summary, and the 日报 does not name the department that no longer holds it.
func TestStoryRatingsAreNeverRewritten(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 3栋居民群
:as 居民甲
#报修 3栋2单元楼道灯不亮了
:in 社区工作群
:as 陈社工
#派单 R1 物业
:in 物业服务群
:as 物业小周
#接单 R1
#办结 R1 已更换灯泡
:in 3栋居民群
:as 居民甲
#评价 R1 不满意 灯还是不亮
:time 2026-12-02 10:00
:in 社区工作群
:as 陈社工
#日报
#周报
`)
	// The 日报's overdue lines ("· R1 …｜重新办理｜holder｜超期 …").
	listed := 0
	for _, line := range strings.Split(got, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "· R1 ") && strings.Contains(line, "超期") {
			listed++
			if strings.Contains(line, "物业") || strings.Contains(line, "小周") {
				t.Errorf("the 日报 names the former holder of a reopened ticket: %q", line)
			}
		}
	}
	if listed == 0 {
		t.Fatalf("no 日报 lists the overdue reopened R1:\n%s", got)
	}
	weekly := printedSection(got, "一周小结")
	if !strings.Contains(weekly, "本周收到居民诉求") {
		t.Fatalf("no weekly summary in:\n%s", got)
	}
	if strings.Contains(weekly, "办好报修和反映 1 件") {
		t.Errorf("the weekly summary calls the reopened ticket done:\n%s", weekly)
	}

	// Rework: R1 is rated 满意 now; R2, reported this month, goes the same way.
	got = s.run(`:time 2026-12-02 11:00
:in 社区工作群
:as 陈社工
#派单 R1 物业
:in 3栋居民群
:as 居民甲
#报修 3栋电梯按钮坏了
:in 社区工作群
:as 陈社工
#派单 R2 物业
:in 物业服务群
:as 物业小周
#接单 R1
#办结 R1 换了新灯
#接单 R2
#办结 R2 已修好
:in 3栋居民群
:as 居民甲
#评价 R1 满意
#评价 R2 不满意 按钮还是不灵
:in 社区工作群
:as 陈社工
#派单 R2 物业
:in 物业服务群
:as 物业小周
#接单 R2
#办结 R2 换了按钮
:in 3栋居民群
:as 居民甲
#评价 R2 满意
:time 2026-12-02 12:00
:in 社区工作群
:as 陈社工
#统计 今年
#日报
`)
	for _, want := range []string{
		// Both tickets: first rated 不满意, finally 满意; both comments count.
		"评价 2 件：满意 2，基本满意 0，不满意 0；首次满意率 0.0%，最终满意率 100.0%",
		"改进意见 2 条",
		// This month: R2's first rating (R1's was last month), both final ones, three ratings given.
		"本月满意率：首次 0.0%，最终 100.0%（2 件，评价 3 次）",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
