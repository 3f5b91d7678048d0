package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/console"
)

func TestSendNeverPrintsEscapeSequences(t *testing.T) {
	var out strings.Builder
	a := &console.Adapter{Out: &out}
	_, err := a.Send(context.Background(), bot.Outgoing{ID: 1, Chat: "3栋\x1b[2J", UserName: "\x1b]0;owned\a张三",
		Text: "第一行\x1b[31m红\a\n第二行\u202e"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "[3栋] @张三 第一行红\n  第二行\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
}
