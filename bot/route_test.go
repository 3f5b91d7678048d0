package bot_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

func TestRoute(t *testing.T) {
	m := testMux()
	names := []string{"小桥", "QiaoBot"}
	long := "#建议 " + strings.Repeat("长", 30)
	tests := []struct {
		name     string
		msg      bot.Message
		decision bot.RouteDecision
		command  string // the command's Chinese name, or the unknown word
		args     string
	}{
		{"command", bot.Message{Text: "#建议 多种树"}, bot.RouteCommand, "建议", "多种树"},
		{"slash alias", bot.Message{Text: "/suggest 多种树"}, bot.RouteCommand, "建议", "多种树"},
		{"full-width prefix", bot.Message{Text: "＃报修 电梯"}, bot.RouteCommand, "报修", "电梯"},
		{"mention", bot.Message{Text: "@小桥 帮助"}, bot.RouteCommand, "帮助", ""},
		{"own bot", bot.Message{Text: "/repair@QiaoBot 电梯"}, bot.RouteCommand, "报修", "电梯"},
		{"another bot", bot.Message{Text: "/repair@OtherBot 电梯"}, bot.RouteForeign, "", ""},
		{"unknown word", bot.Message{Text: "#天气 好"}, bot.RouteUnknown, "天气", ""},
		{"long word is text", bot.Message{Text: "#一二三四五六七八九十一二三"}, bot.RouteText, "", ""},
		{"hashtag", bot.Message{Text: "#话题# 早"}, bot.RouteText, "", ""},
		{"free text", bot.Message{Text: "建议多种树"}, bot.RouteText, "", ""},
		{"addressed without prefix", bot.Message{Text: "建议 多种树", Addressed: true}, bot.RouteCommand, "建议", "多种树"},
		{"button", bot.Message{Callback: "vote P3 2"}, bot.RouteCommand, "投", "P3 2"},
		{"too long", bot.Message{Text: long}, bot.RouteTooLong, "建议", strings.Repeat("长", 30)},
		{"multi-line args", bot.Message{Text: "#建议 一\n二"}, bot.RouteCommand, "建议", "一\n二"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := m.Route(tt.msg, names, 20)
			name := r.Word
			if r.Command != nil {
				name = r.Command.Name
			}
			if r.Decision != tt.decision || name != tt.command || r.Args != tt.args {
				t.Errorf("Route(%q) = %s %q %q, want %s %q %q", tt.msg.Text, r.Decision, name, r.Args, tt.decision, tt.command, tt.args)
			}
		})
	}
	if r := m.Route(bot.Message{Text: long}, names, 0); r.Decision != bot.RouteCommand {
		t.Errorf("with the default limit, a %d-rune command is %s", len([]rune(long)), r.Decision)
	}
	if r := m.Route(bot.Message{Text: long}, names, 20); r.Runes != 33 || r.Max != 20 { // "建议 " and 30 runes, without the #
		t.Errorf("too long: Runes %d, Max %d; want 33, 20", r.Runes, r.Max)
	}
}

func TestServeRunsMiddlewareInOrder(t *testing.T) {
	m := bot.NewMux()
	var trail []string
	mark := func(name string) bot.Middleware { return marker(&trail, name) }
	m.Use(mark("outer"), mark("inner"))
	m.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: func(*bot.Context) error {
		trail = append(trail, "handler")
		return nil
	}})
	c := &bot.Context{}
	if err := m.Serve(c, m.Route(bot.Message{Text: "#建议 x"}, nil, 0)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(trail, " "); got != "outer inner handler" {
		t.Errorf("command: %s", got)
	}
	trail = nil
	err := m.Serve(c, m.Route(bot.Message{Text: "#天气"}, nil, 0))
	var uerr *bot.UserError
	if !errors.As(err, &uerr) || strings.Join(trail, " ") != "outer inner" {
		t.Errorf("unknown command: err %v, middleware %q; want a refusal through both", err, trail)
	}
	trail = nil
	if err := m.Serve(c, m.Route(bot.Message{Text: "/suggest@OtherBot x"}, nil, 0)); err != nil || trail != nil {
		t.Errorf("another bot's command reached %q (err %v)", trail, err)
	}
}

// Handlers are wrapped once, after the last registration: middleware and a
// command added after a Serve still take effect, and a message runs each
// middleware once.
func TestServeRewrapsAfterRegistration(t *testing.T) {
	m := bot.NewMux()
	var trail []string
	mark := func(name string) bot.Middleware { return marker(&trail, name) }
	handler := func(name string) bot.HandlerFunc {
		return func(*bot.Context) error { trail = append(trail, name); return nil }
	}
	m.Use(mark("a"))
	m.Handle(bot.Command{Name: "建议", Handler: handler("suggest")})
	serve := func(text string) string {
		trail = nil
		if err := m.Serve(&bot.Context{}, m.Route(bot.Message{Text: text}, nil, 0)); err != nil {
			t.Fatal(err)
		}
		return strings.Join(trail, " ")
	}
	if got := serve("#建议 x"); got != "a suggest" {
		t.Errorf("first serve: %s", got)
	}
	m.Use(mark("b"))
	m.Handle(bot.Command{Name: "报修", Handler: handler("repair")})
	if got := serve("#建议 x"); got != "a b suggest" {
		t.Errorf("after Use: %s, want the new middleware too", got)
	}
	if got := serve("#报修 x"); got != "a b repair" {
		t.Errorf("a command registered after a Serve: %s", got)
	}
	if got := serve("#建议 y"); got != "a b suggest" {
		t.Errorf("served again: %s, want each middleware once", got)
	}
}

// marker is middleware that notes its name in trail.
func marker(trail *[]string, name string) bot.Middleware {
	return func(next bot.HandlerFunc) bot.HandlerFunc {
		return func(c *bot.Context) error {
			*trail = append(*trail, name)
			return next(c)
		}
	}
}

func TestRecoverTurnsPanicIntoError(t *testing.T) {
	var logs bytes.Buffer
	c := &bot.Context{Log: slog.New(slog.NewTextHandler(&logs, nil)), Command: &bot.Command{Name: "炸", Aliases: []string{"boom"}}}
	err := bot.Recover(func(*bot.Context) error { panic("wires crossed") })(c)
	if err == nil || !strings.Contains(err.Error(), "wires crossed") {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(logs.String(), "handler panic") || !strings.Contains(logs.String(), "command=boom") {
		t.Errorf("log: %s", logs.String())
	}
}
