package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// routeTable is fed to both `qiao parse` and the engine. want is the decision
// both must reach; command is the command (or unknown word) they must name.
var routeTable = []struct{ in, want, command string }{
	{"#建议 交警大院划一些停车位", "command", "suggest"},
	{"/suggest 路灯不亮", "command", "suggest"},
	{"#金点子 多种树", "command", "suggest"},
	{"#SUGGEST more trees", "command", "suggest"},
	{"＃报修 电梯坏了", "command", "repair"},
	{"＃ 报修 电梯坏了", "text", ""},
	{"@小桥 帮助", "command", "help"},
	{"@小桥 #进度 S1", "command", "status"},
	{"@Qiao，报修 电梯坏了", "command", "repair"},
	{"/suggest@QiaoBot 路灯不亮", "command", "suggest"},
	{"/suggest@qiaobot 路灯不亮", "command", "suggest"},
	{"/suggest@SomeOtherBot 文字", "foreign", ""},
	{"/help@SomeOtherBot", "foreign", ""},
	{"#派单 S1 物业", "command", "dispatch"}, // a resident: the permission middleware refuses it
	{"#投票 P3 2", "command", "poll"},
	{"#投2", "command", "vote"},
	{"#不存在 的命令", "unknown", "不存在"},
	{"#repairs", "unknown", "repairs"},
	{"#hlep", "unknown", "hlep"},
	{"#这是一个非常非常非常长的不存在的命令词", "text", ""},
	{"#今日话题# 大家早", "text", ""},
	{"/::) 早上好", "text", ""},
	{"今天天气不错", "text", ""},
	{"3栋2单元楼道灯不亮了", "text", ""},
	{"建议多装几个充电桩", "text", ""},
	{"@小桥", "text", ""},
	{"@小桥 今天天气不错", "text", ""},
	{"#建议 " + strings.Repeat("长", 2100), "too_long", "suggest"},
	{"#建议 第一行\n第二行", "command", "suggest"},
	{"#建议\n楼道灯不亮", "command", "suggest"},
	{"第一行\n#建议 第二行", "text", ""},
}

// handlerCall is what the outermost middleware saw of one handler call.
type handlerCall struct {
	decision      string // filled in by engineDecision
	command, args string // "" for a refusal or a text handler
}

// callRecorder is middleware installed before routes' own, so it sees every
// handler the Mux runs, refused or not.
type callRecorder struct {
	mu    sync.Mutex
	calls []handlerCall
}

func (r *callRecorder) middleware(next bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		call := handlerCall{args: c.Args}
		if c.Command != nil {
			call.command = c.Command.ASCII()
		}
		r.mu.Lock()
		r.calls = append(r.calls, call)
		r.mu.Unlock()
		return next(c)
	}
}

func (r *callRecorder) take() []handlerCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	calls := r.calls
	r.calls = nil
	return calls
}

// TestParseAndEngineRouteAlike sends every row of routeTable through the
// wired engine (as a new resident in the demo's building group, so no
// conversation or flood state carries over) and through `qiao parse`'s
// function, and checks both reach the same handler.
func TestParseAndEngineRouteAlike(t *testing.T) {
	s := newStory(t)
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()
	rec := &callRecorder{}
	mux := bot.NewMux()
	mux.Use(rec.middleware)
	routes(mux, app)
	app.Mux, app.Engine.Mux = mux, mux
	p := newParser(s.cfg)
	ctx := context.Background()

	seen := map[string]bool{}
	for i, tt := range routeTable {
		parsed := p.line(tt.in)
		if parsed.Route != tt.want || parsed.Command != tt.command {
			t.Errorf("row %d %.40q: parse routes %s %q, want %s %q", i, tt.in, parsed.Route, parsed.Command, tt.want, tt.command)
		}
		user := fmt.Sprintf("居民%d", i)
		m := bot.Message{Platform: bot.Console, Chat: s.cfg.Console.Group, User: user, UserName: user,
			ID: fmt.Sprint("route-", i), Text: tt.in, Time: s.clock.Now()}
		if err := app.Engine.Handle(ctx, m); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		got := engineDecision(t, app, rec.take(), user, tt.in, parsed)
		if got != (handlerCall{parsed.Route, parsed.Command, parsed.Args}) {
			t.Errorf("row %d %.40q: engine routes %+v, parse %s %q %q", i, tt.in, got, parsed.Route, parsed.Command, parsed.Args)
		}
		seen[got.decision] = true
	}
	for _, d := range []string{"command", "unknown", "too_long", "foreign", "text"} {
		if !seen[d] {
			t.Errorf("no row of the table routes to %s", d)
		}
	}
}

// engineDecision reads the engine's decision from what it did: the command
// handler it ran (with its args), the exact refusal it answered for an unknown
// word or an over-long command, or, for text and a foreign command, whether it
// even recorded the sender. parse's answer only names the refusal to look for.
func engineDecision(t *testing.T, app *App, calls []handlerCall, user, in string, parse parseResult) handlerCall {
	t.Helper()
	if len(calls) > 0 && calls[0].command != "" {
		return handlerCall{"command", calls[0].command, calls[0].args}
	}
	replies := outboxFor(t, app, user)
	unknown := render(t, app, prompts.UnknownCommand, map[string]string{"Word": parse.Command, "Closest": app.Mux.Closest(parse.Command)})
	tooLong := render(t, app, prompts.TooLong, map[string]int{
		"Length": utf8.RuneCountInString(bot.Parse(in, app.Engine.BotNames).Text), "Max": app.Config.MaxMessageRunes})
	for _, text := range replies {
		switch text {
		case unknown:
			return handlerCall{"unknown", parse.Command, ""}
		case tooLong:
			// The refusal names no command; parse's is taken on trust.
			return handlerCall{"too_long", parse.Command, parse.Args}
		}
	}
	var known bool
	if err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
		people, err := tx.FindPeopleByUser(bot.Console, user)
		known = len(people) > 0
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !known && len(calls) == 0 && len(replies) == 0 {
		return handlerCall{decision: "foreign"} // ignored before the sender was even recorded
	}
	return handlerCall{decision: "text"}
}

func outboxFor(t *testing.T, app *App, user string) []string {
	t.Helper()
	msgs, err := app.DB.PendingOutbox(context.Background(), bot.Console, app.Clock.Now(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.UserKey == user {
			out = append(out, m.Text)
		}
	}
	return out
}

func render(t *testing.T, app *App, name string, data any) string {
	t.Helper()
	s, err := app.Prompts.Render("zh-CN", name, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
