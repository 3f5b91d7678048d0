package main

import (
	"strings"
	"testing"
)

// TestStoryProjectSeedLoop is the seed loop in the console: a suggestion is
// adopted, residents choose a design in an anonymous poll, staff create a
// project from both, progress reaches the followers privately, completion
// opens the residents' 评议, and its figures reach #统计, the 日报 and the 周报.
func TestStoryProjectSeedLoop(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 交警大院群
:as 居民甲
#建议 交警大院里建个休闲亭，老人有地方歇脚
:in 社区工作群
:as 陈社工
#采纳 S1 列入微实事
:in 交警大院群
#投票 休闲亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 匿名 截止明天晚上8点
:as 居民甲
#投 1
:as 居民乙
#投 1
:as 居民丙
#投 2
:time 2026-12-01 21:00
:in 社区工作群
:as 陈社工
#项目 交警大院休闲亭 部门:物业 预算:5万元 地点:交警大院 完工:12月31日 里程碑:设计定稿 12月5日;主体完工 12月20日 关联:S1 P1
#项目
:in 交警大院群
:as 居民丙
#进展 J1 100% 我说完工了
:in 物业服务群
:as 物业小周
#进展 J1 60% 主体完工
#进展 J1 里程碑1 完成
:in 交警大院群
:as 居民乙
#取消关注 J1
:in 社区工作群
:as 陈社工
#完工 J1
:in 交警大院群
:as 居民甲
#评议 J1 满意 亭子很漂亮
#评议 J1 不满意
:as 居民乙
#评价 J1 基本满意 座位少了点
:as 路人丁
#项目 J1
:time 2026-12-09 10:00
:in 交警大院群
:as 居民丙
#评议 J1 满意
:in 社区工作群
:as 陈社工
#统计 本月
#日报
#周报
#导出 J1
`)
	t.Log(got)
	if !strings.Contains(got, "x") {
		t.Fatal("draft")
	}
}
