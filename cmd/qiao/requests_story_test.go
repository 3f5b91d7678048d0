package main

import (
	"testing"
	"time"
)

// TestStoryRepairCycle runs 居民点单 → 社区派单 → 部门接单 → 群众评单 with the
// demo community's people, each in their own group, and checks every line
// each of them sees.
func TestStoryRepairCycle(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 3栋居民群
:as 居民甲
#报修 3栋2单元楼道灯不亮了，电话138-1234-5678
:in 社区工作群
:as 陈社工
#派单 R1 物业
:in 物业服务群
:as 物业小周
#接单 R1
#办结 R1 已更换灯泡
:in 3栋居民群
:as 居民甲
#评价 R1 满意 师傅很快
#进度 R1
`)
	expectLines(t, got, `
		[3栋居民群] @居民甲 收到您的报修。已登记为 R1（照明，3栋2单元）：3栋2单元楼道灯不亮了，电话138****5678
		  社区会尽快派人处理，可发送 #进度 R1 查看。
		[社区工作群] 新报修 R1（照明，3栋2单元），3栋居民群 居民甲：
		  3栋2单元楼道灯不亮了，电话138-1234-5678
		  派单：#派单 R1 部门
		[社区工作群] @陈社工 已把 R1 派给物业，接单时限 12-01 09:00。
		[物业服务群] 新工单 R1（报修·照明，3栋2单元）：3栋2单元楼道灯不亮了，电话138-1234-5678
		  登记人：居民甲（3栋居民群），请在 12-01 09:00 前接单
		  接单：#接单 R1
		[3栋居民群] @居民甲 您的报修 R1 已派给物业处理。
		[物业服务群] @物业小周 已接单 R1，请在 12-03 09:00 前办结。办好后发送：#办结 R1 处理说明
		[3栋居民群] @居民甲 您的报修 R1 已由物业（物业小周）接单，正在处理。
		[物业服务群] @物业小周 R1 已办结，已请居民甲评价。
		[3栋居民群] @居民甲 您的报修 R1 已办结：已更换灯泡
		  请评价：点下面的按钮，或发送 #评价 R1 满意 / 基本满意 / 不满意，后面可以写上意见。
		  [满意] [基本满意] [不满意]
		[3栋居民群] @居民甲 谢谢您的评价！R1 已结单。
		[物业服务群] R1 居民评价：满意（师傅很快）。
		[@居民甲] R1 报修（照明，3栋2单元）：3栋2单元楼道灯不亮了，电话138****5678
		  状态：已结单；承办：物业 物业小周
		  答复：已更换灯泡
		  评价：满意
		  11-30 09:00 居民甲 登记
		  11-30 09:00 陈社工 派单
		  11-30 09:00 物业小周 接单
		  11-30 09:00 物业小周 办结：已更换灯泡
		  11-30 09:00 居民甲 评价
		[3栋居民群] @居民甲 已私信您。
	`)
}

// TestStoryUnsatisfiedAndRefusals: the wrong people are refused with the
// reason and what is possible; 不满意 reopens the ticket to staff; the grid
// worker of the building's grid may dispatch, one of another grid may not.
func TestStoryUnsatisfiedAndRefusals(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 3栋居民群
:as 居民甲
#报修 3栋电梯坏了，困人
:as 居民乙
#撤回 R1
:in 第二网格群
:as 赵网格员
#派单 R1 物业
:in 第一网格群
:as 王网格员
#派单 R1 物业
:in 物业服务群
:as 物业小周
#评价 R1 满意
#办结 R1 已修复
:in 3栋居民群
:as 居民甲
#撤回 R1
#评价 R1 不满意 第二天又坏了
`)
	expectLines(t, got, `
		[3栋居民群] @居民甲 收到您的报修。已登记为 R1（电梯，3栋）：3栋电梯坏了，困人
		  社区会尽快派人处理，可发送 #进度 R1 查看。
		[社区工作群] 新报修 R1（电梯，3栋），3栋居民群 居民甲：
		  3栋电梯坏了，困人
		  派单：#派单 R1 部门
		[3栋居民群] @居民乙 只有登记人本人可以撤回 R1。
		[第二网格群] @赵网格员 只有社区工作人员或本网格的网格员可以派单 R1。
		[第一网格群] @王网格员 已把 R1 派给物业，接单时限 11-30 11:00。
		[物业服务群] 新工单 R1（报修·电梯，3栋）：3栋电梯坏了，困人
		  登记人：居民甲（3栋居民群），请在 11-30 11:00 前接单
		  接单：#接单 R1
		[社区工作群] R1：王网格员 派单：物业。现在待接单。
		[3栋居民群] @居民甲 您的报修 R1 已派给物业处理。
		[物业服务群] @物业小周 只有登记人本人可以评价 R1。
		[物业服务群] @物业小周 R1 已办结，已请居民甲评价。
		[3栋居民群] @居民甲 您的报修 R1 已办结：已修复
		  请评价：点下面的按钮，或发送 #评价 R1 满意 / 基本满意 / 不满意，后面可以写上意见。
		  [满意] [基本满意] [不满意]
		[3栋居民群] @居民甲 R1 现在是“待评价”，不能撤回。现在可以：#评价。
		[3栋居民群] @居民甲 抱歉没能让您满意。R1 已退回社区重新处理，我们会尽快跟进。
		[物业服务群] R1 居民评价：不满意（第二天又坏了）。
		[社区工作群] R1 居民评价不满意，已重新打开：第二天又坏了。
		  请跟进：#派单 R1 部门，或 #办结 R1 说明
	`)
}

// TestStoryFreeText: in a confirm-mode group a request in plain words is
// registered only after the same sender's 是; chit-chat and thanks get no
// prompt; a repair without a place outside a building group is asked for it,
// and the question survives a restart.
func TestStoryFreeText(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 3栋居民群
:as 居民乙
楼道灯不亮了，晚上看不见
:as 居民甲
是
:as 居民乙
1
灯修好了，谢谢师傅
今天天气真好，大家出去走走
`)
	expectLines(t, got, `
		[3栋居民群] @居民乙 要登记为报修吗？回复“是”或“1”登记（5 分钟内有效），不需要请忽略。
		[3栋居民群] @居民乙 收到您的报修。已登记为 R1（照明，3栋）：楼道灯不亮了，晚上看不见
		  社区会尽快派人处理，可发送 #进度 R1 查看。
		[社区工作群] 新报修 R1（照明，3栋），3栋居民群 居民乙：
		  楼道灯不亮了，晚上看不见
		  派单：#派单 R1 部门
	`)
	got = s.run(`:in 第一网格群
:as 居民丙
#报修 电梯坏了
`)
	expectLines(t, got, `
		[第一网格群] @居民丙 好的，请告诉我具体位置（例如 3栋2单元），直接回复即可（30 分钟内有效）。回复“取消”不登记。
	`)
	s.clock.Advance(10 * time.Minute)
	got = s.run(`:in 第一网格群
:as 居民丙
1栋2单元
`)
	expectLines(t, got, `
		[第一网格群] @居民丙 收到您的报修。已登记为 R2（电梯，1栋2单元）：电梯坏了
		  1栋2单元
		  社区会尽快派人处理，可发送 #进度 R2 查看。
		[社区工作群] 新报修 R2（电梯，1栋2单元），第一网格群 居民丙：
		  电梯坏了
		  1栋2单元
		  派单：#派单 R2 部门
	`)
}

// TestStoryConfirmLapses: a 是 after the confirm window registers nothing
// (the question expired) and says so once, with what to send instead; in an auto-mode group a request in plain words is
// registered at once; staff closings carry a reason and a next step; a
// duplicate links to the original; a follow-up on a closed ticket reaches staff.
func TestStoryConfirmLapses(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 5号楼居民群
:as 居民丙
5号楼的电梯又坏了，困了一个老人在里面
`)
	expectLines(t, got, `
		[5号楼居民群] @居民丙 要登记为报修吗？回复“是”或“1”登记（5 分钟内有效），不需要请忽略。
	`)
	s.clock.Advance(6 * time.Minute)
	got = s.run(`:in 5号楼居民群
:as 居民丙
是
是
:in 交警大院群
:as 居民乙
交警大院路灯不亮，晚上很危险
:in 3栋居民群
:as 居民甲
#报修 3栋2单元楼道灯不亮，晚上看不见
:in 社区工作群
:as 陈社工
#重复 R2 R1 同一处路灯
#退回 R1
#退回 R1 路灯归市政管理，已转12345
#取消 R1 已处理
:in 交警大院群
:as 居民乙
#补充 R1 市政还没来
`)
	expectLines(t, got, `
		[5号楼居民群] @居民丙 刚才的问题已经过期，这件报修还没有登记。请重新发送：#报修 5号楼的电梯又坏了，困了一个老人在里面
		[交警大院群] @居民乙 收到您的报修。已登记为 R1（照明，交警大院）：交警大院路灯不亮，晚上很危险
		  社区会尽快派人处理，可发送 #进度 R1 查看。
		[社区工作群] 新报修 R1（照明，交警大院），交警大院群 居民乙：
		  交警大院路灯不亮，晚上很危险
		  派单：#派单 R1 部门
		[3栋居民群] @居民甲 收到您的报修。已登记为 R2（照明，3栋2单元）：3栋2单元楼道灯不亮，晚上看不见
		  社区会尽快派人处理，可发送 #进度 R2 查看。
		[社区工作群] 新报修 R2（照明，3栋2单元），3栋居民群 居民甲：
		  3栋2单元楼道灯不亮，晚上看不见
		  派单：#派单 R2 部门
		[社区工作群] @陈社工 已标为重复 R2，并入 R1。已告知居民甲。
		[3栋居民群] @居民甲 您的报修 R2 和 R1 是同一件事，已合并到 R1 一起处理（同一处路灯）。可发送 #进度 R1 查看。
		[社区工作群] @陈社工 请写上原因，例如：#退回 R1 不属于本社区管辖，请拨打12345
		[社区工作群] @陈社工 已退回 R1。已告知居民乙。
		[交警大院群] @居民乙 抱歉，您的报修 R1 未能受理：路灯归市政管理，已转12345
		  如有疑问，可发送 #补充 R1 说明，或联系社区工作人员。
		[3栋居民群] @居民甲 抱歉，您的报修 R1 未能受理：路灯归市政管理，已转12345
		  如有疑问，可发送 #补充 R1 说明，或联系社区工作人员。
		[社区工作群] @陈社工 R1 现在是“已退回”，不能取消。如有新情况，请发送 #补充 R1 内容。
		[交警大院群] @居民乙 已补充到 R1。这件事已退回，社区工作人员会看到您的补充。
		[社区工作群] R1：居民乙 补充：市政还没来。现在已退回。
	`)
}

// TestStoryPrivateAndMention: in a private chat, and when @mentioned in a
// group whose mode is off, a short request is offered too; the staff group
// stays silent otherwise; a repair reported privately is followed privately.
func TestStoryPrivateAndMention(t *testing.T) {
	s := newStory(t)
	got := s.run(`:as 居民甲
:dm
楼道灯坏了
1
3栋1单元
:in 社区工作群
:as 陈社工
电梯坏了，需要维修
@小桥 电梯坏了
#派单 R1 物业
`)
	expectLines(t, got, `
		[@居民甲] 要登记为报修吗？回复“是”或“1”登记（5 分钟内有效），不需要请忽略。
		[@居民甲] 好的，请告诉我具体位置（例如 3栋2单元），直接回复即可（30 分钟内有效）。回复“取消”不登记。
		[@居民甲] 收到您的报修。已登记为 R1（照明，3栋1单元）：楼道灯坏了
		  3栋1单元
		  社区会尽快派人处理，可发送 #进度 R1 查看。
		[社区工作群] 新报修 R1（照明，3栋1单元），居民甲：
		  楼道灯坏了
		  3栋1单元
		  派单：#派单 R1 部门
		[社区工作群] @陈社工 要登记为报修吗？回复“是”或“1”登记（5 分钟内有效），不需要请忽略。
		[社区工作群] @陈社工 已把 R1 派给物业，接单时限 12-01 09:00。
		[物业服务群] 新工单 R1（报修·照明，3栋1单元）：楼道灯坏了
		  3栋1单元
		  登记人：居民甲，请在 12-01 09:00 前接单
		  接单：#接单 R1
		[@居民甲] 您的报修 R1 已派给物业处理。
	`)
}
