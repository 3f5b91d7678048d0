package polls_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// evaluation is the test's evaluation in 1栋居民群: candidates 1栋 2栋 3栋,
// criteria 卫生40 管理30 邻里30, panel 陈社工 and 王网格员 at 60%, top 2,
// closing on Friday 20:00; residents 张三 and 李四 have spoken in the group.
const evaluation = "#评分 十佳楼栋评选 候选：1栋 2栋 3栋 标准：卫生40 管理30 邻里30 评委：陈社工 王网格员 评委占60% 选2个 截止周五晚8点"

func newEvaluation(tb testing.TB, extra string) *env {
	tb.Helper()
	e := newEnv(tb)
	e.say(tb, "1栋居民群", "张三", "大家好")
	e.say(tb, "1栋居民群", "李四", "大家好")
	if got := e.say(tb, "1栋居民群", "张楼长", evaluation+extra); !strings.Contains(got, "评分 P1 已发起") {
		tb.Fatalf("create: %q", got)
	}
	return e
}

// sheet reads the stored sheets of poll 1.
func (e *env) sheets(tb testing.TB) []storage.Sheet {
	tb.Helper()
	var out []storage.Sheet
	err := e.db.View(context.Background(), func(tx *storage.Tx) (err error) {
		out, err = tx.PollSheets(1)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestScoringInChat(t *testing.T) {
	tests := []struct {
		name, chat, user, text, want string
		saved                        bool
	}{
		{"compact in criteria order", "", "", "#评分 P1 3栋 5 4 5", "3栋：卫生5 管理4 邻里5", true},
		{"by number", "", "", "#评分 P1 3 5 4 5", "3栋：卫生5 管理4 邻里5", true},
		{"digits run together", "", "", "#评分 P1 3栋 545", "3栋：卫生5 管理4 邻里5", true},
		{"one criterion: a partial sheet", "", "", "#评分 P1 3栋 卫生5", "未打：管理、邻里", true},
		{"criterion and score apart", "", "", "#评分 P1 3栋 管理 4", "卫生- 管理4 邻里-", true},
		{"several candidates", "", "", "#评分 P1 1栋 4 4 4；2栋 3 3 3", "2栋：卫生3 管理3 邻里3", true},
		{"without the ID in the group", "1栋居民群", "", "#评分 3栋 5 4 5", "", true},
		{"panel member", "", "陈社工", "#评分 P1 评委 3栋 5 5 5", "已记分 P1（评委）", true},
		{"a resident claiming to be on the panel", "", "", "#评分 P1 评委 3栋 5 5 5", "不是评分 P1（十佳楼栋评选）的评委", false},
		{"score above the scale", "", "", "#评分 P1 3栋 6 4 5", "1 到 5 分，6 不在其中", false},
		{"score below the scale", "", "", "#评分 P1 3栋 0 4 5", "0 不在其中", false},
		{"too many scores", "", "", "#评分 P1 3栋 5 4 5 5", "只有 3 项标准", false},
		{"unknown candidate", "", "", "#评分 P1 9栋 5 4 5", "没有候选“9栋”", false},
		{"unknown criterion", "", "", "#评分 P1 3栋 绿化5", "没有“绿化”这项标准", false},
		{"no scores", "", "", "#评分 P1 3栋", "请在 #评分 后面写候选和分数", false},
		{"outside the evaluation's groups", "5号楼居民群", "外人", "#评分 P1 3栋 5 4 5", "只限参与群的成员", false},
		{"a vote on an evaluation", "", "", "#投 P1 2", "是评分，不是投票", false},
	}
	e := newEvaluation(t, "")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := tt.user
			if user == "" { // a fresh resident of the evaluation's group each time
				user = fmt.Sprintf("居民%02d", i)
				e.say(t, "1栋居民群", user, "大家好")
			}
			before := len(e.sheets(t))
			var got string
			if tt.chat == "" {
				got = e.private(t, user, tt.text)
			} else {
				got = e.say(t, tt.chat, user, tt.text)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
			if saved := len(e.sheets(t)) > before; saved != tt.saved {
				t.Errorf("saved %v, want %v (%q)", saved, tt.saved, got)
			}
		})
	}
}

func TestRescoringReplacesAndFillsIn(t *testing.T) {
	e := newEvaluation(t, "")
	e.private(t, "张三", "#评分 P1 3栋 卫生5")
	e.private(t, "张三", "#评分 P1 3栋 管理4")
	if got := e.private(t, "张三", "#我的评分 P1"); !strings.Contains(got, "3栋：卫生5 管理4 邻里-") {
		t.Errorf("named scores fill in: %q", got)
	}
	e.private(t, "张三", "#评分 P1 3栋 2 2")
	if got := e.private(t, "张三", "#我的评分 P1"); !strings.Contains(got, "3栋：卫生2 管理2 邻里-") {
		t.Errorf("a compact entry replaces the candidate's scores: %q", got)
	}
	if n := len(e.sheets(t)); n != 1 {
		t.Errorf("%d sheets, want one per person", n)
	}
	// In a group the answer goes privately.
	before := e.pending(t)
	e.say(t, "1栋居民群", "张三", "#我的评分")
	for _, m := range e.pending(t)[len(before):] {
		if m.ChatKey != "" && strings.Contains(m.Text, "卫生2") {
			t.Errorf("#我的评分 told the group: %q", m.Text)
		}
	}
	if got := e.private(t, "张三", "#撤票 P1"); !strings.Contains(got, "已撤回") || len(e.sheets(t)) != 0 {
		t.Errorf("withdrawing the sheet: %q, %d sheets left", got, len(e.sheets(t)))
	}
}

func TestPanelOnlyAndPanelChanges(t *testing.T) {
	e := newEvaluation(t, "")
	e.private(t, "王网格员", "#评分 P1 3栋 5 5 5")
	if got := e.say(t, "1栋居民群", "张三", "#评委 P1 张三"); !strings.Contains(got, "只有发起人或社区工作人员") {
		t.Errorf("a resident set the panel: %q", got)
	}
	if got := e.say(t, "1栋居民群", "张楼长", "#评委 P1 陈社工 刘主任 评委占100%"); !strings.Contains(got, "只由评委评分") {
		t.Errorf("panel set: %q", got)
	}
	// 王网格员 left the panel: his panel sheet no longer counts.
	if n := len(e.sheets(t)); n != 0 {
		t.Errorf("%d sheets after the panel changed, want the removed member's withdrawn", n)
	}
	if got := e.private(t, "张三", "#评分 P1 3栋 5 5 5"); !strings.Contains(got, "只由评委打分") {
		t.Errorf("a resident scored a panel-only evaluation: %q", got)
	}
	if got := e.say(t, "1栋居民群", "张楼长", "#评委 P1 无名氏"); !strings.Contains(got, "找不到评委“无名氏”") {
		t.Errorf("unknown panel member: %q", got)
	}
}

func TestEvaluationRefusals(t *testing.T) {
	e := newEnv(t)
	if got := e.say(t, "1栋居民群", "居民", evaluation); !strings.Contains(got, "只有楼栋长") {
		t.Errorf("a resident started an evaluation: %q", got)
	}
	got := e.say(t, "1栋居民群", "张楼长", "#评分 评选 候选：1栋 标准：卫生40 管理 评委：无名氏")
	for _, want := range []string{"还没有发起", "候选不够", "要么都写", "找不到评委“无名氏”", "标准：卫生 100%、管理 0%"} {
		if !strings.Contains(got, want) {
			t.Errorf("malformed evaluation: %q lacks %q", got, want)
		}
	}
	e.say(t, "1栋居民群", "张楼长", "#投票 换物业\n同意\n不同意")
	if got := e.say(t, "1栋居民群", "张三", "#评分 P1 同意 5"); !strings.Contains(got, "是投票，不是评分") {
		t.Errorf("scoring a choice poll: %q", got)
	}
}

func TestScoresAfterTheDeadlineAndReplays(t *testing.T) {
	e := newEvaluation(t, "")
	e.seq++
	replay := bot.Message{Platform: bot.Console, Chat: "张三", Private: true, Addressed: true, User: "张三", UserName: "张三",
		ID: "replayed", Text: "#评分 P1 3栋 5 4 5"}
	for range 2 {
		if err := e.engine.Handle(context.Background(), replay); err != nil {
			t.Fatal(err)
		}
	}
	e.private(t, "张三", "#评分 P1 3栋 卫生1") // changes the sheet; the replay must not change it back
	if err := e.engine.Handle(context.Background(), replay); err != nil {
		t.Fatal(err)
	}
	if got := e.private(t, "张三", "#我的评分 P1"); !strings.Contains(got, "卫生1 管理4 邻里5") {
		t.Errorf("a replayed message was handled again: %q", got)
	}
	e.clock.Set(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)) // Friday 20:00 in Shanghai
	if got := e.private(t, "李四", "#评分 P1 3栋 5 4 5"); !strings.Contains(got, "已经结束") {
		t.Errorf("a sheet after the deadline: %q", got)
	}
	if n := len(e.sheets(t)); n != 1 {
		t.Errorf("%d sheets, want the one before the deadline", n)
	}
}

func TestPartialSheetsAreReminded(t *testing.T) {
	e := newEvaluation(t, "")
	e.private(t, "张三", "#评分 P1 3栋 卫生5")
	e.private(t, "李四", "#评分 P1 3栋 5 4 5")
	e.deliver(t)
	e.clock.Set(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)) // 24 h before the deadline
	for range 2 {
		if err := e.jobs.Tick(context.Background(), e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var partial []string
	for _, m := range e.pending(t) {
		if strings.Contains(m.Text, "还有没打的项") {
			partial = append(partial, m.UserKey+": "+m.Text)
		}
	}
	if len(partial) != 1 || !strings.HasPrefix(partial[0], "张三: ") || !strings.Contains(partial[0], "未打：管理、邻里") {
		t.Errorf("partial reminders (twice ticked): %q; want one, to 张三", partial)
	}
}

// TestEvaluationInEnglish runs the evaluation's replies through the English
// templates: each renders with the data its handler gives it.
func TestEvaluationInEnglish(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "张三", "#登记 1栋1单元101")
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		for _, name := range []string{"陈社工", "张三"} {
			found, err := tx.FindPeopleByName(1, name)
			if err != nil || len(found) != 1 {
				return fmt.Errorf("%s: %v", name, err)
			}
			if err := tx.SetPersonLang(found[0].ID, "en"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct{ chat, user, text, want string }{
		{"1栋居民群", "陈社工", "#评分 best 候选：A 标准：x1 y 评委：无名氏", "The evaluation was not started"},
		{"1栋居民群", "陈社工", evaluation + " 一户一票", "Evaluation P1 started"},
		{"", "张三", "#评分 P1 3栋 卫生5", "Saved P1:\n3栋: 卫生5 管理- 邻里- (missing: 管理, 邻里)"},
		{"", "张三", "#我的评分 P1", "Your sheet in P1, 1/3 candidates"},
		{"", "张三", "#评分 P1 3栋 9", "Scores in P1 go from 1 to 5"},
		{"", "陈社工", "#补录 P1 1栋1单元102 3栋 5 4 5 收集人:王阿姨", "Entered the paper ballot of 1栋1单元102 in P1 (collected by 王阿姨)"},
		{"", "陈社工", "#补录 P1 1栋1单元102 3栋 5 4 5", "陈社工 already entered a paper ballot for 1栋1单元102"},
		{"", "陈社工", "#评委 P1 陈社工 评委占70%", "The panel of P1 is set."},
		{"", "陈社工", "#评分 P1 3栋 5 5 5；1栋 5 5 5；2栋 5 5 5", "Saved P1 (panel)"},
		{"", "张三", "#结果 P1", "Evaluation P1: 十佳楼栋评选 (open)"},
		{"", "陈社工", "#导出 P1", "名次,候选,得分"},
	}
	for _, s := range steps {
		var got string
		if s.chat == "" {
			got = e.private(t, s.user, s.text)
		} else {
			got = e.say(t, s.chat, s.user, s.text)
		}
		if !strings.Contains(got, s.want) {
			t.Errorf("%s %q: got %q, want %q", s.user, s.text, got, s.want)
		}
	}
	e.clock.Set(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	if err := e.jobs.Tick(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.outbox(t), "\n"); !strings.Contains(got, "your sheet has gaps") {
		t.Errorf("no English partial reminder:\n%s", got)
	}
}
