package main

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/help"
	"github.com/qiao-community/qiao/handlers/people"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/handlers/roles"
)

// routes registers every command: reading this function tells you all Qiao
// understands. Each command has a Chinese name and an ASCII alias first among its
// aliases; Kind is what `qiao parse` reports for it; Allow (from handlers/roles)
// says who may use it.
func routes(mux *bot.Mux, app *App) {
	// Around every handler: a panic becomes the internal-error answer, then
	// each command's Permission is checked.
	mux.Use(bot.Recover, bot.Authorize)

	h := &help.Help{Mux: mux}
	req := &requests.Handlers{Classifier: app.Classifier, Config: app.Config.Requests}
	poll := &polls.Handlers{Config: app.Config.Polls}

	mux.Handle(bot.Command{Name: "帮助", Aliases: []string{"help", "start", "菜单"}, Kind: "command", Handler: h.Show})
	mux.Handle(bot.Command{Name: "语言", Aliases: []string{"lang", "language"}, Kind: "command", Handler: help.Lang})

	mux.Handle(bot.Command{Name: "日报", Aliases: []string{"digest"}, Kind: "command", Allow: roles.StaffOnly, Handler: app.Digests.ShowDaily})
	mux.Handle(bot.Command{Name: "周报", Aliases: []string{"weekly"}, Kind: "command", Allow: roles.StaffOnly, Handler: app.Digests.ShowWeekly})

	// Requests: intake.
	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest", "金点子"}, Kind: "suggestion", Handler: req.Suggest})
	mux.Handle(bot.Command{Name: "需求", Aliases: []string{"need", "求助"}, Kind: "need", Handler: req.Need})
	mux.Handle(bot.Command{Name: "报修", Aliases: []string{"repair"}, Kind: "repair", Handler: req.Repair})
	mux.Handle(bot.Command{Name: "反映", Aliases: []string{"report", "投诉", "complain"}, Kind: "complaint", Handler: req.Report})
	// Requests: the workflow. Each command also checks the sender's relation to the request.
	mux.Handle(bot.Command{Name: "派单", Aliases: []string{"dispatch"}, Kind: "command", Allow: roles.Dispatchers, Handler: req.Dispatch})
	mux.Handle(bot.Command{Name: "接单", Aliases: []string{"accept"}, Kind: "command", Allow: roles.DepartmentOrStaff, Handler: req.Accept})
	mux.Handle(bot.Command{Name: "办结", Aliases: []string{"resolve"}, Kind: "command", Allow: roles.DepartmentOrStaff, Handler: req.Resolve})
	mux.Handle(bot.Command{Name: "评价", Aliases: []string{"rate"}, Kind: "rating", Handler: req.Rate})
	mux.Handle(bot.Command{Name: "退回", Aliases: []string{"reject"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Reject})
	mux.Handle(bot.Command{Name: "取消", Aliases: []string{"cancel"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Cancel})
	mux.Handle(bot.Command{Name: "重复", Aliases: []string{"duplicate"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Duplicate})
	mux.Handle(bot.Command{Name: "撤回", Aliases: []string{"withdraw"}, Kind: "command", Handler: req.Withdraw})
	mux.Handle(bot.Command{Name: "补充", Aliases: []string{"add"}, Kind: "command", Handler: req.Add})
	mux.Handle(bot.Command{Name: "进度", Aliases: []string{"status", "查询"}, Kind: "command", Handler: req.Status})
	mux.Handle(bot.Command{Name: "我的", Aliases: []string{"mine"}, Kind: "command", Handler: req.Mine})
	mux.Handle(bot.Command{Name: "待办", Aliases: []string{"todo"}, Kind: "command", Audience: roles.Workers, Handler: req.Todo})
	mux.Handle(bot.Command{Name: "采纳", Aliases: []string{"adopt", "accept-suggestion"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Adopt})
	mux.Handle(bot.Command{Name: "已办", Aliases: []string{"done"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Done})
	mux.Handle(bot.Command{Name: "暂缓", Aliases: []string{"defer"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Defer})
	mux.Handle(bot.Command{Name: "不采纳", Aliases: []string{"decline"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Decline})
	mux.Handle(bot.Command{Name: "统计", Aliases: []string{"stats"}, Kind: "command", Handler: req.Stats})
	// Requests: the service workflow (docs/workflow.md).
	mux.Handle(bot.Command{Name: "退单", Aliases: []string{"return"}, Kind: "command", Allow: roles.DepartmentOrStaff, Handler: req.Return})
	mux.Handle(bot.Command{Name: "延期", Aliases: []string{"extend"}, Kind: "command", Allow: roles.DepartmentOrStaff, Handler: req.Extend})
	mux.Handle(bot.Command{Name: "批准延期", Aliases: []string{"approve"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.ApproveExtension})
	mux.Handle(bot.Command{Name: "驳回延期", Aliases: []string{"refuse"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.RefuseExtension})
	mux.Handle(bot.Command{Name: "回访", Aliases: []string{"callback"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Callback})
	mux.Handle(bot.Command{Name: "督办", Aliases: []string{"supervise"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Supervise})
	mux.Handle(bot.Command{Name: "加急", Aliases: []string{"urgent"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.Urgent})
	mux.Handle(bot.Command{Name: "取消加急", Aliases: []string{"noturgent"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.NotUrgent})
	mux.Handle(bot.Command{Name: "走访", Aliases: []string{"visit"}, Kind: "command", Allow: roles.Dispatchers, Handler: req.Visit})
	mux.Handle(bot.Command{Name: "巡查", Aliases: []string{"patrol"}, Kind: "command", Allow: roles.Dispatchers, Handler: req.Patrol})
	mux.Handle(bot.Command{Name: "待走访", Aliases: []string{"unvisited"}, Kind: "command", Allow: roles.Dispatchers, Handler: req.Unvisited})
	// Free text: a vote in words when addressed ("我投2"), else what looks like a
	// request; and the answers to the bot's questions about one.
	mux.HandleText(poll.VoteText)
	mux.HandleText(poll.NumberHint)
	mux.HandleAttachment(req.Photo)
	mux.HandleText(req.FreeText)
	mux.HandleText(req.LateAnswer)
	mux.HandleConversation(requests.ConvConfirm, req.Confirm)
	mux.HandleConversation(requests.ConvDetail, req.Detail)
	mux.HandleConversation(requests.ConvMerge, req.Merge)

	// Polls: 投票 starts one (its handler checks who may; "投票 P3 2" is a vote),
	// 投 votes. Button presses send "vote P3 2".
	mux.Handle(bot.Command{Name: "投票", Aliases: []string{"poll"}, Kind: "poll", Audience: roles.Leaders, Handler: poll.Poll})
	mux.Handle(bot.Command{Name: "投", Aliases: []string{"vote"}, Kind: "vote", Handler: poll.Vote})
	mux.Handle(bot.Command{Name: "撤票", Aliases: []string{"unvote"}, Kind: "vote", Handler: poll.Unvote})
	mux.Handle(bot.Command{Name: "我的投票", Aliases: []string{"myvote"}, Kind: "command", Handler: poll.MyVote})
	mux.Handle(bot.Command{Name: "结果", Aliases: []string{"results"}, Kind: "command", Handler: poll.Results})
	mux.Handle(bot.Command{Name: "结束投票", Aliases: []string{"closepoll"}, Kind: "command", Audience: roles.Leaders, Handler: poll.ClosePoll})
	mux.Handle(bot.Command{Name: "投票率", Aliases: []string{"turnout"}, Kind: "command", Allow: roles.Leaders, Handler: poll.Turnout})
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.ExportOr(poll.Export)})

	mux.Handle(bot.Command{Name: "登记", Aliases: []string{"register"}, Kind: "command", Handler: people.Register})
	mux.Handle(bot.Command{Name: "确认登记", Aliases: []string{"confirmroom"}, Kind: "command", Handler: people.ConfirmRoom})
	mux.Handle(bot.Command{Name: "合并", Aliases: []string{"merge"}, Kind: "command", Allow: roles.StaffOnly, Handler: people.Merge})
	mux.Handle(bot.Command{Name: "绑定群", Aliases: []string{"rebind"}, Kind: "command", Allow: roles.StaffOnly, Handler: people.Rebind})

	// Last: in a private chat, text nothing took gets a greeting, not silence.
	mux.HandleText(help.Greet)
	suggestions(mux)
}

// suggestions says what words people type as commands mean, so an unknown
// word is answered with the command it means rather than the one it looks
// like ("#报名" is not "#报修"); words for things Qiao does not do yet suggest
// nothing, and the reply says honestly that there is no such command.
func suggestions(mux *bot.Mux) {
	mux.Suggest("报修", "维修", "修理", "修", "坏了")
	mux.Suggest("反映", "举报", "意见箱", "曝光")
	mux.Suggest("建议", "意见", "提议", "点子")
	mux.Suggest("进度", "查", "查看", "进展")
	mux.Suggest("投", "投一票", "选")
	mux.Suggest("", "报名", "接龙", "签到", "签退", "活动", "通知", "打卡", "团购", "预约", "缴费", "交费", "值班", "会议")
}
