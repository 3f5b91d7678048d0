package bot_test

import (
	"testing"

	"github.com/qiao-community/qiao/bot"
)

func nop(*bot.Context) error { return nil }

func testMux() *bot.Mux {
	m := bot.NewMux()
	m.Handle(bot.Command{Name: "投", Aliases: []string{"vote"}, Handler: nop})
	m.Handle(bot.Command{Name: "投票", Aliases: []string{"poll"}, Handler: nop})
	m.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest", "金点子"}, Handler: nop})
	m.Handle(bot.Command{Name: "报修", Aliases: []string{"repair"}, Handler: nop})
	m.Handle(bot.Command{Name: "帮助", Aliases: []string{"help"}, Handler: nop})
	return m
}

func TestLookup(t *testing.T) {
	m := testMux()
	tests := []struct{ in, name, rest string }{
		{"投 2", "投", " 2"},
		{"投2", "投", "2"},
		{"投票 P3 2", "投票", " P3 2"},
		{"建议交警大院划车位", "建议", "交警大院划车位"},
		{"金点子 多种树", "建议", " 多种树"},
		{"suggest more trees", "建议", " more trees"},
		{"SUGGEST more trees", "建议", " more trees"},
		{"repair@QiaoBot lift", "报修", "@QiaoBot lift"},
		{"repairs", "", ""},
		{"helpme", "", ""},
		{"天气", "", ""},
	}
	for _, tt := range tests {
		cmd, rest := m.Lookup(tt.in)
		name := ""
		if cmd != nil {
			name = cmd.Name
		}
		if name != tt.name || rest != tt.rest {
			t.Errorf("Lookup(%q) = %q, %q; want %q, %q", tt.in, name, rest, tt.name, tt.rest)
		}
	}
}

func TestClosest(t *testing.T) {
	m := testMux()
	tests := []struct{ in, want string }{
		{"建", "建议"}, {"sugest", "建议"}, {"hlep", "帮助"}, {"报", "报修"}, {"天气预报怎么样", ""}, {"xyz", ""},
		{"x", ""}, {"1", ""}, {"报销", "报修"}, {"建意", "建议"},
	}
	for _, tt := range tests {
		if got := m.Closest(tt.in); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDuplicateRegistrationPanics(t *testing.T) {
	m := testMux()
	defer func() {
		if recover() == nil {
			t.Fatal("registering 金点子 twice did not panic")
		}
	}()
	m.Handle(bot.Command{Name: "点子", Aliases: []string{"idea", "金点子"}, Handler: nop})
}
