package main

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/help"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
)

// routes registers every command: reading this function tells you all Qiao
// understands. Each command has a Chinese name and an ASCII alias first among its
// aliases; Kind is what `qiao parse` reports for it.
func routes(mux *bot.Mux, app *App) {
	h := &help.Help{Mux: mux}
	req := &requests.Handlers{Classifier: app.Classifier}
	poll := &polls.Handlers{Config: app.Config.Polls}

	mux.Handle(bot.Command{Name: "帮助", Aliases: []string{"help", "start", "菜单"}, Kind: "command", Handler: h.Show})
	mux.Handle(bot.Command{Name: "语言", Aliases: []string{"lang", "language"}, Kind: "command", Handler: help.Lang})

	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest", "金点子"}, Kind: "suggestion", Handler: req.Suggest})

	// Polls: 投票 starts one (its handler checks who may; "投票 P3 2" is a vote),
	// 投 votes. Button presses send "vote P3 2".
	mux.Handle(bot.Command{Name: "投票", Aliases: []string{"poll"}, Kind: "poll", Handler: poll.Poll})
	mux.Handle(bot.Command{Name: "投", Aliases: []string{"vote"}, Kind: "vote", Handler: poll.Vote})
	mux.Handle(bot.Command{Name: "撤票", Aliases: []string{"unvote"}, Kind: "vote", Handler: poll.Unvote})
	mux.Handle(bot.Command{Name: "我的投票", Aliases: []string{"myvote"}, Kind: "command", Handler: poll.MyVote})
	mux.Handle(bot.Command{Name: "结果", Aliases: []string{"results"}, Kind: "command", Handler: poll.Results})
	mux.Handle(bot.Command{Name: "结束投票", Aliases: []string{"closepoll"}, Kind: "command", Handler: poll.ClosePoll})
	mux.Handle(bot.Command{Name: "投票率", Aliases: []string{"turnout"}, Kind: "command", Allow: bot.Leaders, Handler: poll.Turnout})
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Kind: "command", Allow: bot.StaffOnly, Handler: poll.Export})
}
