package main

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/help"
	"github.com/qiao-community/qiao/handlers/people"
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

	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest", "金点子"}, Kind: "suggestion", Handler: req.Suggest})

	mux.Handle(bot.Command{Name: "登记", Aliases: []string{"register"}, Kind: "command", Handler: people.Register})
	mux.Handle(bot.Command{Name: "合并", Aliases: []string{"merge"}, Kind: "command", Allow: bot.StaffOnly, Handler: people.Merge})
	mux.Handle(bot.Command{Name: "绑定群", Aliases: []string{"rebind"}, Kind: "command", Allow: bot.StaffOnly, Handler: people.Rebind})
}
