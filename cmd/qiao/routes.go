package main

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/help"
	"github.com/qiao-community/qiao/handlers/requests"
)

// routes registers every command: reading this function tells you all Qiao
// understands. Each command has a Chinese name and an ASCII alias first among its
// aliases; Kind is what `qiao parse` reports for it.
func routes(mux *bot.Mux, app *App) {
	h := &help.Help{Mux: mux}
	req := &requests.Handlers{Classifier: app.Classifier}

	mux.Handle(bot.Command{Name: "帮助", Aliases: []string{"help", "start", "菜单"}, Kind: "command", Handler: h.Show})
	mux.Handle(bot.Command{Name: "语言", Aliases: []string{"lang", "language"}, Kind: "command", Handler: help.Lang})

	mux.Handle(bot.Command{Name: "日报", Aliases: []string{"digest"}, Kind: "command", Allow: bot.StaffOnly, Handler: app.Digests.ShowDaily})
	mux.Handle(bot.Command{Name: "周报", Aliases: []string{"weekly"}, Kind: "command", Allow: bot.StaffOnly, Handler: app.Digests.ShowWeekly})

	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest", "金点子"}, Kind: "suggestion", Handler: req.Suggest})
}
