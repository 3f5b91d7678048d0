package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestStoryAWeekOfDigests(t *testing.T) {
	// The server runs in UTC (TestMain); the community lives in Shanghai.
	s := newStory(t)
	got := s.run(`:in 3栋居民群
:as 居民甲
#建议 交警大院划一些停车位
#日报
:time 2026-12-07 20:00
`)
	quietWeek := `这一周没有收到新的诉求。有事请随时在群里告诉我们，例如：#报修 楼道灯不亮`
	weekly := ""
	for i, g := range []string{"1栋居民群", "3栋居民群", "5号楼居民群", "7栋居民群", "交警大院群"} {
		weekly += "[" + g + "] 【和平路社区一周小结 11月30日—12月6日】\n  本周收到居民诉求 1 件：建议 1 件。\n  感谢大家的参与和监督！\n" +
			fmt.Sprintf("  📎 FILES/sent/%d-1-周报-2026-12-06.png\n", 11+i) // the week's chart, one picture for every group (after the monthly summary)
	}
	quiet := func(day string) string {
		return "[社区工作群] 【和平路社区日报 " + day + "】自上期以来没有新事项，没有超期工单，一切平稳。\n"
	}
	expectLines(t, got, `
		[3栋居民群] @居民甲 谢谢您的建议！已登记为 S1（停车，交警大院）：交警大院划一些停车位
		  社区会尽快答复，可发送 #进度 S1 查看。
		[社区工作群] 新建议 S1（停车，交警大院），3栋居民群 居民甲：
		  交警大院划一些停车位
		  答复：#采纳 / #已办 / #暂缓 / #不采纳 S1 回复内容
		[3栋居民群] @居民甲 抱歉，#日报 只有社区工作人员可以使用。如需帮助，请联系社区工作人员。
		[社区工作群] 【和平路社区日报 12月1日】
		  新增 1 件：建议 1（停车 1）
		  较上期：新增 1 件（上期 0 件），办结 0 件（上期 0 件）
		[社区工作群] 【和平路社区11月工作小结】本月没有派发服务。
		  · 第一网格（王网格员）：3 个月内未走访 3 户：3栋1单元101、3栋1单元302、3栋2单元501
		  · 第二网格（赵网格员）：3 个月内未走访 2 户：5号楼1单元202、5号楼2单元1101
	`+quiet("12月2日")+quiet("12月3日")+quiet("12月4日")+quiet("12月5日")+quiet("12月6日")+weekly+quiet("12月7日"))

	// Staff ask for both any time; the scheduled digest is not moved by that.
	got = s.run(`:in 社区工作群
:as 陈社工
#日报
/weekly
`)
	// By now S1 has waited past its week for an answer: the digest lists it.
	expectLines(t, got, `[社区工作群] 【和平路社区日报 12月7日】
		  超期 1 件：
		  · S1 停车 交警大院划一些停车位｜待答复｜社区｜超期 11 小时
		  较上期：新增 0 件（上期 0 件），办结 0 件（上期 0 件）
		[社区工作群] 【和平路社区一周小结 12月1日—12月7日】
		  `+quietWeek)

	// Down over the next 08:30, back at 10:00: one digest, and none on a second restart.
	s.clock.Set(time.Date(2026, 12, 8, 10, 0, 0, 0, storyStart.Location()))
	// The 09:00 overdue check catches up too: staff are reminded, the admin is told.
	expectLines(t, s.run(""), `[社区工作群] 【和平路社区日报 12月8日】
		  超期 1 件：
		  · S1 停车 交警大院划一些停车位｜待答复｜社区｜超期 23 小时
		  较上期：新增 0 件（上期 0 件），办结 0 件（上期 0 件）
		[社区工作群] 提醒：S1（建议·停车，交警大院）已超过时限（12-07 09:00），现在待答复。请尽快答复：#采纳 / #已办 / #暂缓 / #不采纳 S1
		[@刘书记] 升级提醒：S1（建议·停车）待答复，已超过时限（12-07 09:00）仍未处理，请督办。`)
	expectLines(t, s.run(""), "")

	// Down too long: at 14:00 the 12-09 08:30 digest is no longer news.
	s.clock.Set(time.Date(2026, 12, 9, 14, 0, 0, 0, storyStart.Location()))
	if got := s.run(""); strings.TrimSpace(got) != "" {
		t.Errorf("a digest 5½ hours late was posted:\n%s", got)
	}
}
