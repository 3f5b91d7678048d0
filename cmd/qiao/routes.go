package main

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/activities"
	"github.com/qiao-community/qiao/handlers/help"
	"github.com/qiao-community/qiao/handlers/jielong"
	"github.com/qiao-community/qiao/handlers/notices"
	"github.com/qiao-community/qiao/handlers/people"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/projects"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/handlers/volunteers"
	"github.com/qiao-community/qiao/handlers/weblogin"
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
	proj := &projects.Handlers{Photos: req.Limits()}
	act := &activities.Handlers{Config: app.ActivityConfig()}
	note := &notices.Handlers{Config: app.NoticeConfig()}
	jl := &jielong.Handlers{OnChange: act.JielongChanged} // a linked activity follows its 接龙
	vol := &volunteers.Handlers{Config: app.Config.Volunteers}

	mux.Handle(bot.Command{Name: "帮助", Aliases: []string{"help", "start", "菜单"}, Kind: "command", Handler: h.Show})
	mux.Handle(bot.Command{Name: "语言", Aliases: []string{"lang", "language"}, Kind: "command", Handler: help.Lang})

	mux.Handle(bot.Command{Name: "日报", Aliases: []string{"digest"}, Kind: "command", Allow: roles.StaffOnly, Handler: app.Digests.ShowDaily})
	mux.Handle(bot.Command{Name: "周报", Aliases: []string{"weekly"}, Kind: "command", Allow: roles.StaffOnly, Handler: app.Digests.ShowWeekly})

	// Requests: intake.
	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest", "金点子"}, Kind: "suggestion", Handler: act.SuggestFrom(req.Suggest)})
	mux.Handle(bot.Command{Name: "需求", Aliases: []string{"need", "求助"}, Kind: "need", Handler: req.Need})
	mux.Handle(bot.Command{Name: "报修", Aliases: []string{"repair"}, Kind: "repair", Handler: req.Repair})
	mux.Handle(bot.Command{Name: "反映", Aliases: []string{"report", "投诉", "complain"}, Kind: "complaint", Handler: req.Report})
	// Requests: the workflow. Each command also checks the sender's relation to the request.
	mux.Handle(bot.Command{Name: "派单", Aliases: []string{"dispatch"}, Kind: "command", Allow: roles.Dispatchers, Handler: req.Dispatch})
	mux.Handle(bot.Command{Name: "接单", Aliases: []string{"accept"}, Kind: "command", Allow: roles.DepartmentOrStaff, Handler: req.Accept})
	mux.Handle(bot.Command{Name: "办结", Aliases: []string{"resolve"}, Kind: "command", Allow: roles.DepartmentOrStaff, Handler: req.Resolve})
	mux.Handle(bot.Command{Name: "评价", Aliases: []string{"rate"}, Kind: "rating", Handler: proj.RateOr(req.Rate)})
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
	mux.Handle(bot.Command{Name: "统计", Aliases: []string{"stats"}, Kind: "command", Handler: act.StatsWith(req.Stats)})
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
	mux.HandleText(note.AckText) // "收到" alone while a notice there awaits confirmation
	mux.HandleText(jl.Text)      // a 接龙 whose marker is not first ("@小桥 打卡#接龙"), as WeChat's app message carries it
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
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Kind: "command", Allow: roles.StaffOnly, Handler: req.ExportOr(proj.ExportOr(act.ExportOr(jl.ExportOr(vol.ExportOr(poll.Export)))))})

	// Projects (docs/projects.md): 项目 lists, shows, creates (staff) and links;
	// 进展 checks the owner department; 评议 (and 评价 J3) rates a completed one.
	mux.Handle(bot.Command{Name: "项目", Aliases: []string{"project", "projects"}, Kind: "command", Handler: proj.Project})
	mux.Handle(bot.Command{Name: "进展", Aliases: []string{"progress"}, Kind: "command", Allow: roles.DepartmentOrStaff, Handler: proj.Progress})
	mux.Handle(bot.Command{Name: "关注", Aliases: []string{"follow"}, Kind: "command", Handler: proj.Follow})
	mux.Handle(bot.Command{Name: "取消关注", Aliases: []string{"unfollow"}, Kind: "command", Handler: proj.Unfollow})
	mux.Handle(bot.Command{Name: "完工", Aliases: []string{"complete"}, Kind: "command", Allow: roles.StaffOnly, Handler: proj.Complete})
	mux.Handle(bot.Command{Name: "评议", Aliases: []string{"review"}, Kind: "rating", Handler: proj.Review})

	// Activities and meetings (docs/activities.md): 活动/会议 announce (their
	// handlers check who may) or list and show; 签到 with an A-number is an
	// activity's check-in.
	mux.Handle(bot.Command{Name: "活动", Aliases: []string{"activity", "activities"}, Kind: "command", Handler: act.Activity})
	mux.Handle(bot.Command{Name: "会议", Aliases: []string{"meeting", "板凳会", "夜谈会", "议事会"}, Kind: "command", Audience: roles.Leaders, Handler: act.Meeting})
	mux.Handle(bot.Command{Name: "报名", Aliases: []string{"signup"}, Kind: "command", Handler: act.SignUp})
	mux.Handle(bot.Command{Name: "取消报名", Aliases: []string{"unsignup"}, Kind: "command", Handler: act.Cancel})
	mux.Handle(bot.Command{Name: "纪要", Aliases: []string{"minutes"}, Kind: "command", Audience: roles.Leaders, Handler: act.Minutes})
	mux.HandleConversation(activities.ConvConfirm, act.Confirm)
	// Notices (docs/notices.md): 通知 posts (its handler checks who may) or,
	// with a number, shows who confirmed; 收到 confirms.
	mux.Handle(bot.Command{Name: "通知", Aliases: []string{"notice"}, Kind: "command", Audience: roles.Leaders, Handler: note.Notice})
	mux.Handle(bot.Command{Name: "收到", Aliases: []string{"ack", "已阅"}, Kind: "command", Handler: note.Ack})

	// 接龙 (docs/jielong.md): posts are read as the group writes them; #接龙 alone lists.
	mux.Handle(bot.Command{Name: "接龙", Aliases: []string{"jielong", "group note", "接龍"}, Kind: "command", Handler: jl.Command})
	mux.Handle(bot.Command{Name: "结束接龙", Aliases: []string{"closenote"}, Kind: "command", Handler: jl.Close})

	// Volunteer teams on duty (docs/volunteers.md). #签到 is a duty sign-in when it
	// names no activity (A2) and the sender is on duty today; otherwise it is an
	// activity's check-in (docs/activities.md).
	mux.Handle(bot.Command{Name: "志愿队", Aliases: []string{"teams", "志愿服务队"}, Kind: "command", Handler: vol.Teams})
	mux.Handle(bot.Command{Name: "加入", Aliases: []string{"join"}, Kind: "command", Handler: vol.Join})
	mux.Handle(bot.Command{Name: "批准", Aliases: []string{"approvemember"}, Kind: "command", Handler: vol.Approve})
	mux.Handle(bot.Command{Name: "签到", Aliases: []string{"checkin"}, Kind: "command", Handler: vol.CheckInOr(act.CheckInOr(activities.CheckInUsage))})
	mux.Handle(bot.Command{Name: "签退", Aliases: []string{"checkout"}, Kind: "command", Handler: vol.CheckOut})
	mux.Handle(bot.Command{Name: "换班", Aliases: []string{"swap"}, Kind: "command", Handler: vol.Swap})
	mux.Handle(bot.Command{Name: "同意换班", Aliases: []string{"agreeswap"}, Kind: "command", Handler: vol.AgreeSwap})
	mux.Handle(bot.Command{Name: "拒绝换班", Aliases: []string{"refuseswap"}, Kind: "command", Handler: vol.RefuseSwap})
	// Scored evaluations (评分 starts one or scores; docs/evaluations.md) and paper ballots.
	mux.Handle(bot.Command{Name: "评分", Aliases: []string{"score"}, Kind: "vote", Handler: poll.Score})
	mux.Handle(bot.Command{Name: "我的评分", Aliases: []string{"myscore"}, Kind: "command", Handler: poll.MyScore})
	mux.Handle(bot.Command{Name: "评委", Aliases: []string{"panel"}, Kind: "command", Audience: roles.Leaders, Handler: poll.Panel})
	mux.Handle(bot.Command{Name: "补录", Aliases: []string{"paper"}, Kind: "command", Allow: roles.StaffOnly, Handler: poll.Paper})

	mux.Handle(bot.Command{Name: "登记", Aliases: []string{"register"}, Kind: "command", Handler: people.Register})
	mux.Handle(bot.Command{Name: "确认登记", Aliases: []string{"confirmroom"}, Kind: "command", Handler: people.ConfirmRoom})
	mux.Handle(bot.Command{Name: "合并", Aliases: []string{"merge"}, Kind: "command", Allow: roles.StaffOnly, Handler: people.Merge})
	mux.Handle(bot.Command{Name: "绑定群", Aliases: []string{"rebind"}, Kind: "command", Allow: roles.StaffOnly, Handler: people.Rebind})

	// The staff web page: a one-time login link, sent privately (docs/web.md).
	login := &weblogin.Handlers{BaseURL: app.webBaseURL}
	mux.Handle(bot.Command{Name: "登录", Aliases: []string{"login", "网页"}, Kind: "command", Allow: roles.WebStaff, Handler: login.Login})

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
	mux.Suggest("进度", "查", "查看")
	mux.Suggest("投", "投一票", "选")
	mux.Suggest("报名", "参加", "预约")
	mux.Suggest("", "打卡", "团购", "缴费", "交费", "值班")
}
