package polls_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/storage"
)

// pressPrivately presses a button of a message the bot sent privately.
func (e *env) pressPrivately(tb testing.TB, user, data string) []storage.OutboxMessage {
	tb.Helper()
	before := e.pending(tb)
	e.seq++
	m := bot.Message{Platform: bot.Console, Chat: user, Private: true, Addressed: true, User: user, UserName: user,
		ID: fmt.Sprint(e.seq), Callback: data, CallbackID: fmt.Sprint("cb", e.seq)}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return e.pending(tb)[len(before):]
}

// TestScoreFormButtons: "#评分 P1 3栋" with no score, where chats have buttons,
// answers privately with one row of buttons per criterion and saves nothing;
// each press saves that one score as a partial sheet and edits the form.
func TestScoreFormButtons(t *testing.T) {
	defer polls.SetFormPlatforms(bot.Console)()
	e := newEvaluation(t, "")
	if got := e.say(t, "1栋居民群", "张三", "#评分 P1 3栋"); !strings.Contains(got, "已私信") {
		t.Fatalf("group reply = %q", got)
	}
	all := e.pending(t)
	form := all[len(all)-2] // the private form, then the group's note
	if form.ChatKey != "" || !strings.Contains(form.Text, "评分 P1（十佳楼栋评选）：3栋\n目前：卫生- 管理- 邻里-") {
		t.Fatalf("form = %+v", form)
	}
	if len(form.Buttons) != 3 || len(form.Buttons[0]) != 5 || form.Buttons[0][0].Text != "卫生 1" ||
		form.Buttons[2][4].Data != "score P1 3 邻里5" || form.Ref == "" {
		t.Fatalf("buttons = %+v, ref %q", form.Buttons, form.Ref)
	}
	if got := e.sheets(t); len(got) != 0 {
		t.Fatalf("the form saved %v", got)
	}

	out := e.pressPrivately(t, "张三", form.Buttons[0][3].Data) // 卫生4
	out = append(out, e.pressPrivately(t, "张三", form.Buttons[1][4].Data)...)
	if len(out) != 2 {
		t.Fatalf("presses enqueued %d messages, want 2 edits", len(out))
	}
	last := out[1]
	if last.EditRef != form.Ref || !strings.Contains(last.Text, "已保存：卫生4 管理5 邻里-") || last.CallbackID == "" ||
		last.Buttons[0][3].Text != "✓4" || last.Buttons[1][4].Text != "✓5" {
		t.Fatalf("edit = %+v", last)
	}
	got := e.sheets(t)
	if len(got) != 1 || !slices.Equal(got[0].Scores[3], []int{4, 5, storage.NoScore}) {
		t.Fatalf("sheets = %+v, want 3栋 卫生4 管理5", got)
	}
}
