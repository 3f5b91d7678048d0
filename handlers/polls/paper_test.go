package polls_test

import (
	"strings"
	"testing"
)

// TestPaperBallotsNeverCountAHouseholdTwice: staff enter paper ballots per
// household; a second paper ballot is refused naming who entered the first,
// 覆盖 replaces it, an online vote replaces the household's paper ballot, and
// paper after an online vote is refused.
func TestPaperBallotsNeverCountAHouseholdTwice(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "张三", "#登记 1栋1单元101")
	e.say(t, "1栋居民群", "张楼长", "#投票 换物业\n同意\n不同意\n一户一票")
	steps := []struct{ user, text, want string }{
		{"陈社工", "#补录 P1 1栋1单元102 1 收集人:王阿姨", "已补录 P1 1栋1单元102 的纸质票（收集人：王阿姨）。目前在线 0 户，纸质 1 户"},
		{"刘主任", "#补录 P1 1栋1单元102 2 收集人:李大爷", "1栋1单元102 的纸质票已由 陈社工 录入（收集人：王阿姨）"},
		{"刘主任", "#补录 P1 1-1-102 2 收集人:李大爷 覆盖", "已替换 P1 1栋1单元102"},
		{"陈社工", "#补录 P1 一栋一单元101 1", "已补录 P1 1栋1单元101"},
		{"陈社工", "#补录 P1 1栋1单元103 7", "没有第 7 项"},
		{"陈社工", "#补录 P1 楼下小卖部 1", "看不懂房号“楼下小卖部”"},
		{"陈社工", "#补录 P1", "补录纸质票（工作人员）"},
	}
	for _, s := range steps {
		if got := e.private(t, s.user, s.text); !strings.Contains(got, s.want) {
			t.Errorf("%s %q: got %q, want %q", s.user, s.text, got, s.want)
		}
	}
	// 张三's household voted on paper; his online vote wins and replaces it.
	if got := e.private(t, "张三", "#投 P1 2"); !strings.Contains(got, "已投票 P1：2. 不同意") {
		t.Errorf("online after paper: %q", got)
	}
	if got := e.private(t, "陈社工", "#补录 P1 1栋1单元101 1 覆盖"); !strings.Contains(got, "在线投票：在线票优先") {
		t.Errorf("paper after online: %q", got)
	}
	if counts, ballots, voters := e.tally(t, 2); ballots != 2 || voters != 2 || counts[0] != 0 || counts[1] != 2 {
		t.Errorf("counts %v, %d ballots, %d voters; want two households, both 不同意", counts, ballots, voters)
	}
	if got := e.say(t, "1栋居民群", "张三", "#结果 P1"); !strings.Contains(got, "（在线 1，纸质 1）") {
		t.Errorf("results without sources: %q", got)
	}
	got := e.private(t, "陈社工", "#导出 P1")
	for _, want := range []string{"online,1,paper,1", "刘主任,1栋1单元102,,2,", "paper,李大爷", "张三,1栋1单元101,1栋居民群,2,"} {
		if !strings.Contains(got, want) {
			t.Errorf("export lacks %q:\n%s", want, got)
		}
	}
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭\n中式\n现代")
	if got := e.private(t, "陈社工", "#补录 P2 1栋1单元102 1"); !strings.Contains(got, "不是一户一票") {
		t.Errorf("paper in a per-person poll: %q", got)
	}
}

func TestPaperScoreSheets(t *testing.T) {
	e := newEvaluation(t, " 一户一票")
	e.say(t, "1栋居民群", "张三", "#登记 1栋1单元101")
	if got := e.private(t, "陈社工", "#补录 P1 1栋1单元102 3栋 5 4 5 收集人:王阿姨"); !strings.Contains(got, "已补录 P1 1栋1单元102") {
		t.Errorf("paper sheet: %q", got)
	}
	if got := e.private(t, "陈社工", "#补录 P1 1栋1单元103 3栋 9 4 5"); !strings.Contains(got, "9 不在其中") {
		t.Errorf("paper sheet out of range: %q", got)
	}
	e.private(t, "陈社工", "#补录 P1 1栋1单元101 3栋 1 1 1")
	e.private(t, "张三", "#评分 P1 3栋 5 5 5") // online wins over the household's paper sheet
	sheets := e.sheets(t)
	if len(sheets) != 2 {
		t.Fatalf("%d sheets, want 2 households", len(sheets))
	}
	for _, s := range sheets {
		if s.Scores[3][0] == 1 {
			t.Errorf("the paper sheet replaced by an online one still counts: %+v", sheets)
		}
	}
	got := e.say(t, "1栋居民群", "张三", "#结果 P1")
	if !strings.Contains(got, "居民 2 份（在线 1，纸质 1）") {
		t.Errorf("results: %q", got)
	}
	if got := e.private(t, "陈社工", "#导出 P1"); !strings.Contains(got, "居民纸质,1") || !strings.Contains(got, "纸质,王阿姨,3栋 卫生5 管理4 邻里5") {
		t.Errorf("export: %q", got)
	}
}
