package main

import (
	"strings"
	"testing"
)

// TestStoryProjectSeedLoop is the seed loop in the console: a suggestion is
// adopted, residents choose a design in an anonymous poll, staff create a
// project from both, progress reaches the followers privately, completion
// opens the residents' 评议, and its figures reach #统计, the 日报 and the 周报.
// On the way: a resident cannot post progress, a second 评议 and one after
// the deadline are refused, and a passer-by sees counts, never followers.
func TestStoryProjectSeedLoop(t *testing.T) {
	s := newStory(t)
	off := false
	for i, j := range s.cfg.Jobs.List { // the digests are asked for; fifteen days of them would cost seconds
		if j.Name != "polls" && j.Name != "projects" {
			s.cfg.Jobs.List[i].Enabled = &off
		}
	}
	got := s.run(`:in 交警大院群
:as 居民甲
#建议 交警大院里建个休闲亭，老人有地方歇脚
:in 社区工作群
:as 陈社工
#采纳 S1 列入微实事
:in 交警大院群
#投票 休闲亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 匿名 截止今天晚上8点
:as 居民甲
#投 1
:as 居民乙
#投 1
:as 居民丙
#投 2
:time 2026-11-30 20:30
:in 社区工作群
:as 陈社工
#项目 交警大院休闲亭 部门:物业 预算:5万元 地点:交警大院 完工:12月31日 里程碑:设计定稿 12月1日;主体完工 12月3日 关联:S1 P1
:in 交警大院群
:as 居民丙
#进展 J1 100% 我说完工了
:in 物业服务群
:as 物业小周
#进展 J1 里程碑1 完成
#进展 J1 60% 立柱和顶棚装好了
:in 交警大院群
:as 居民乙
#取消关注 J1
:time 2026-12-04 09:00
:in 社区工作群
:as 陈社工
#日报
#周报
#完工 J1 评议至12月6日
:in 交警大院群
:as 居民甲
#评议 J1 满意 亭子很漂亮
#评议 J1 不满意
:as 居民乙
#评价 J1 基本满意 座位少了点
:as 路人丁
#项目 J1
:time 2026-12-07 09:00
:in 交警大院群
:as 居民丙
#评议 J1 满意
:in 社区工作群
:as 陈社工
#统计 本月
#日报
#周报
`)
	created := printedSection(got, "项目 J1 已建立")
	for _, want := range []string{"负责部门：物业", "预算：5万元", "1. 设计定稿 12月1日", "2. 主体完工 12月3日", "来自：S1、P1",
		"居民选定：中式凉亭", "进展发布到：交警大院群", "关注：4 人（提建议、附议和参与投票的 3 位居民自动关注）"} {
		if !strings.Contains(created, want) {
			t.Errorf("the creation echo lacks %q:\n%s", want, created)
		}
	}
	if !strings.Contains(got, "@居民丙 抱歉，#进展 只有承办部门和社区工作人员可以使用") || strings.Contains(got, "我说完工了") {
		t.Errorf("a resident's #进展 was not refused, or was posted:\n%s", got)
	}
	// Followers hear privately: every voter of the anonymous poll, whatever they chose.
	for _, who := range []string{"居民甲", "居民乙", "居民丙"} {
		if n := strings.Count(got, "[@"+who+"] 您关注的项目有新进展"); n != 2 {
			t.Errorf("%s got %d private updates, want 2", who, n)
		}
	}
	if !strings.Contains(got, "[交警大院群] 【项目进展 J1】交警大院休闲亭：60%\n  立柱和顶棚装好了") {
		t.Errorf("the group did not get the 60%% update:\n%s", got)
	}
	if !strings.Contains(printedSection(got, "【和平路社区日报 12月4日】"), "J1 交警大院休闲亭：主体完工（12月3日，超期不到 1 天）") {
		t.Errorf("the 日报 of 12月4日 does not list the overdue milestone:\n%s", printedSection(got, "【和平路社区日报 12月4日】"))
	}
	if !strings.Contains(printedSection(got, "【和平路社区一周小结 11月28日—12月4日】"), "· J1 交警大院休闲亭 60%，下一步：主体完工") {
		t.Errorf("the 周报 lacks 在建项目:\n%s", got)
	}
	// Completion: 居民乙 unfollowed and hears nothing privately.
	if strings.Contains(got, "[@居民乙] 您关注的项目完工了") || !strings.Contains(got, "[@居民甲] 您关注的项目完工了") {
		t.Errorf("completion reached the wrong followers:\n%s", got)
	}
	if !strings.Contains(got, "@居民甲 您已经评议过 J1（满意），每人一次") {
		t.Errorf("a second 评议 was not refused:\n%s", got)
	}
	if !strings.Contains(got, "@居民丙 J1（交警大院休闲亭）的评议已经截止") {
		t.Errorf("a 评议 after the deadline was not refused:\n%s", got)
	}
	passerby := printedSection(got, "[交警大院群] @路人丁 J1")
	if !strings.Contains(passerby, "关注：3 人") || strings.ContainsAny(passerby, "甲乙丙") || strings.Contains(passerby, "陈社工") {
		t.Errorf("a passer-by sees followers' identities, or no count:\n%s", passerby)
	}
	const figures = "交警大院休闲亭 评议 2 人，满意率 100.0%"
	if !strings.Contains(got, "[交警大院群] 【评议结果 J1】"+"交警大院休闲亭：评议 2 人，满意率 100.0%") {
		t.Errorf("no 评议 result in the group:\n%s", got)
	}
	if !strings.Contains(printedSection(got, "【和平路社区日报 12月7日】"), "· J1 "+figures+"（已结束）") {
		t.Errorf("the 日报 lacks the 评议 result:\n%s", printedSection(got, "【和平路社区日报 12月7日】"))
	}
	if !strings.Contains(printedSection(got, "@陈社工 本月统计"), "项目 J1 "+figures) {
		t.Errorf("#统计 lacks the 评议:\n%s", printedSection(got, "@陈社工 本月统计"))
	}
	if !strings.Contains(printedSection(got, "【和平路社区一周小结 12月1日—12月7日】"), "· J1 "+figures) {
		t.Errorf("the 周报 lacks the 评议:\n%s", got)
	}
}
