package main

import (
	"strings"
	"testing"
)

// TestStoryOneStarIsUnsatisfied: "1分，太慢了" is 不满意 with the comment
// "太慢了" and reopens the ticket — it once closed it as 满意.
func TestStoryOneStarIsUnsatisfied(t *testing.T) {
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
#评价 R1 1分，太慢了
`)
	for _, want := range []string{
		"[3栋居民群] @居民甲 抱歉没能让您满意。R1 已退回社区重新处理",
		"[物业服务群] R1 居民评价：不满意（太慢了）。",
		"R1 居民评价不满意，已重新打开：太慢了。",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

// TestStoryOneLinePoll: a captain writes the poll on one line, as WeChat's
// Enter key makes them; residents vote the way they talk.
func TestStoryOneLinePoll(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 3栋居民群
:as 居民甲
大家好
:as 张楼长
#投票 凉亭设计方案 A、中式凉亭 B、现代廊架 C、木质花架 截止周五晚上8点 匿名
:as 居民甲
#投 第2个
#我的投票
`)
	for _, want := range []string{
		"【投票 P1】凉亭设计方案\n  1. 中式凉亭\n  2. 现代廊架\n  3. 木质花架",
		"匿名投票。",
		"截止：12月4日 20:00",
		"2. 现代廊架",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "A、") || strings.Contains(got, "A,") {
		t.Errorf("numbering kept in the options:\n%s", got)
	}
}
