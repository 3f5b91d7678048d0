package polls

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
)

// TestParseSpecEverydayForms reads polls as captains write them on WeChat: on
// one line (Enter sends) or many, numbered every common way, with settings
// anywhere. now is Monday 2026-11-30 09:00 in Shanghai.
func TestParseSpecEverydayForms(t *testing.T) {
	three := []string{"中式凉亭", "现代廊架", "木质花架"}
	two := []string{"中式凉亭", "现代廊架"}
	fri8pm := at(2026, 12, 4, 20, 0)
	friEnd := at(2026, 12, 4, 23, 59)
	none := time.Time{}
	tests := []struct {
		text     string
		title    string
		options  []string
		deadline time.Time
		max      int
		anon     bool
		problems []string
	}{
		// One line, the form the issue quotes, and its variations.
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 截止周五晚上8点", "凉亭设计方案", three, fri8pm, 1, false, nil},
		{"凉亭设计方案 A、中式凉亭 B、现代廊架 C、木质花架 截止周五晚上8点", "凉亭设计方案", three, fri8pm, 1, false, nil},
		{"凉亭设计方案 A,中式凉亭 B,现代廊架 C,木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 A，中式凉亭 B，现代廊架 C，木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 A：中式凉亭 B：现代廊架 C：木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 a.中式凉亭 b.现代廊架 c.木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 (A)中式凉亭 (B)现代廊架 (C)木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 1.中式凉亭 2.现代廊架 3.木质花架 截止周五晚上8点", "凉亭设计方案", three, fri8pm, 1, false, nil},
		{"凉亭设计方案 1、中式凉亭 2、现代廊架 3、木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 1)中式凉亭 2)现代廊架 3)木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 (1)中式凉亭 (2)现代廊架 (3)木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 （1）中式凉亭 （2）现代廊架 （3）木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 （一）中式凉亭 （二）现代廊架 （三）木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 一、中式凉亭 二、现代廊架 三、木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 ①中式凉亭 ②现代廊架 ③木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案①中式凉亭②现代廊架③木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 ⑴中式凉亭 ⑵现代廊架 ⑶木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 选项一：中式凉亭 选项二：现代廊架 选项三：木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 选项1：中式凉亭 选项2：现代廊架", "凉亭设计方案", two, none, 1, false, nil},
		{"凉亭设计方案：中式凉亭/现代廊架/木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案：中式凉亭、现代廊架、木质花架 截止周五", "凉亭设计方案", three, friEnd, 1, false, nil},
		{"凉亭设计方案 中式凉亭/现代廊架/木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 中式凉亭 现代廊架 木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"3栋 凉亭设计方案 中式凉亭/现代廊架/木质花架", "3栋 凉亭设计方案", three, none, 1, false, nil},
		{"活动时间\n周六上午/下午\n周日上午", "活动时间", []string{"周六上午/下午", "周日上午"}, none, 1, false, nil},
		{"凉亭设计方案 中式凉亭、现代廊架、木质花架 周五前投票", "凉亭设计方案", three, friEnd, 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 周五晚上8点截止", "凉亭设计方案", three, fri8pm, 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止：12月5日", "凉亭设计方案", two, at(2026, 12, 5, 23, 59), 1, false, nil},
		// Deadlines the way people say them.
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止明天中午", "凉亭设计方案", two, at(2026, 12, 1, 12, 0), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止下周一", "凉亭设计方案", two, at(2026, 12, 7, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止后天", "凉亭设计方案", two, at(2026, 12, 2, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 3天内", "凉亭设计方案", two, at(2026, 12, 3, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 周五前", "凉亭设计方案", two, friEnd, 1, false, nil},
		{"活动时间 A.周六上午 B.周日下午", "活动时间", []string{"周六上午", "周日下午"}, none, 1, false, nil}, // times as options stay options
		{"凉亭设计方案\n中式凉亭\n现代廊架\n3天内", "凉亭设计方案", two, at(2026, 12, 3, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止3天内", "凉亭设计方案", two, at(2026, 12, 3, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止12.5", "凉亭设计方案", two, at(2026, 12, 5, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止12/5", "凉亭设计方案", two, at(2026, 12, 5, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止2026年12月5日 下午3点", "凉亭设计方案", two, at(2026, 12, 5, 15, 0), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止12月5日前", "凉亭设计方案", two, at(2026, 12, 5, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止月底", "凉亭设计方案", two, at(2026, 11, 30, 23, 59), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截至星期天下午三点", "凉亭设计方案", two, at(2026, 12, 6, 15, 0), 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止时间：周五 20:00", "凉亭设计方案", two, fri8pm, 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 请于周五前投票", "凉亭设计方案", two, friEnd, 1, false, nil},
		{"凉亭设计方案，请大家周五前投票 A.中式凉亭 B.现代廊架", "凉亭设计方案", two, friEnd, 1, false, nil},
		// 多选 and secrecy, phrased several ways, on the title line or after.
		{"凉亭设计方案（多选2项） A.中式凉亭 B.现代廊架 C.木质花架", "凉亭设计方案", three, none, 2, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 多选2项", "凉亭设计方案", three, none, 2, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 可选两个", "凉亭设计方案", three, none, 2, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 最多选3个", "凉亭设计方案", three, none, 3, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 多选不限", "凉亭设计方案", three, none, 3, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 多选", "凉亭设计方案", three, none, 3, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 单选", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 匿名", "凉亭设计方案", two, none, 1, true, nil},
		{"凉亭设计方案（不记名） A.中式凉亭 B.现代廊架", "凉亭设计方案", two, none, 1, true, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 无记名投票", "凉亭设计方案", two, none, 1, true, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 保密", "凉亭设计方案", two, none, 1, true, nil},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 匿名 多选2项 截止周五晚上8点", "凉亭设计方案", three, fri8pm, 2, true, nil},
		{"凉亭设计方案，匿名，可多选，周五晚上8点截止 A.中式凉亭 B.现代廊架 C.木质花架", "凉亭设计方案", three, fri8pm, 3, true, nil},
		// Many lines.
		{"凉亭设计方案\n中式凉亭\n现代廊架\n木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案\nA.中式凉亭\nB.现代廊架\nC.木质花架\n截止周五晚上8点\n匿名", "凉亭设计方案", three, fri8pm, 1, true, nil},
		{"凉亭设计方案\n①中式凉亭\n②现代廊架\n③木质花架\n多选2项", "凉亭设计方案", three, none, 2, false, nil},
		{"凉亭设计方案\n1、中式凉亭\n2、现代廊架\n3、木质花架\n截止：周五 20:00", "凉亭设计方案", three, fri8pm, 1, false, nil},
		{"凉亭设计方案\n（一）中式凉亭\n（二）现代廊架\n（三）木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案\n选项一：中式凉亭\n选项二：现代廊架", "凉亭设计方案", two, none, 1, false, nil},
		{"凉亭设计方案\n中式凉亭/现代廊架/木质花架\n截止下周一中午12点", "凉亭设计方案", three, at(2026, 12, 7, 12, 0), 1, false, nil},
		{"凉亭设计方案\nA.中式凉亭 B.现代廊架\nC.木质花架", "凉亭设计方案", three, none, 1, false, nil},
		{"凉亭设计方案 匿名\nA.中式凉亭\nB.现代廊架\n不记名", "凉亭设计方案", two, none, 1, true, nil},
		// Numbering that is not numbering; settings words inside options.
		{"楼道灯更换 A.1.5米灯管 B.2米灯管", "楼道灯更换", []string{"1.5米灯管", "2米灯管"}, none, 1, false, nil},
		{"选哪个方案\n方案一：木结构\n方案二：钢结构", "选哪个方案", []string{"方案一：木结构", "方案二：钢结构"}, none, 1, false, nil},
		{"维修项目 A.截止阀更换 B.水表更换", "维修项目", []string{"截止阀更换", "水表更换"}, none, 1, false, nil},
		{"信箱位置 A.匿名信箱放一楼 B.放门卫室", "信箱位置", []string{"匿名信箱放一楼", "放门卫室"}, none, 1, false, nil},
		{"3栋、5栋合并投票 A.同意 B.不同意", "3栋、5栋合并投票", []string{"同意", "不同意"}, none, 1, false, nil},
		// What is wrong is said, not guessed.
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止昨天", "凉亭设计方案", []string{"中式凉亭", "现代廊架"}, none, 1, false, []string{"bad_deadline"}},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止11月29日", "凉亭设计方案", two, none, 1, false, []string{"past_deadline"}},
		{"凉亭设计方案 A.中式凉亭", "凉亭设计方案", []string{"中式凉亭"}, none, 1, false, []string{"few_options"}},
		{"A.中式凉亭 B.现代廊架", "", two, none, 1, false, []string{"no_title"}},
		{"凉亭设计方案 A.中式凉亭 B.中式凉亭", "凉亭设计方案", []string{"中式凉亭"}, none, 1, false, []string{"dup_option", "few_options"}},
		{"凉亭设计方案 A.中式凉亭 B.现代廊架 多选3项", "凉亭设计方案", two, none, 3, false, []string{"bad_multi"}},
	}
	if len(tests) < 60 {
		t.Fatalf("only %d poll texts", len(tests))
	}
	lim := DefaultConfig().limits()
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s := ParseSpec(bot.Normalize(tt.text), tt.text, now, shanghai, lim)
			if s.DisplayTitle != tt.title || !slices.Equal(s.DisplayOptions, tt.options) {
				t.Errorf("title %q options %q; want %q %q", s.DisplayTitle, s.DisplayOptions, tt.title, tt.options)
			}
			if !s.Deadline.Equal(tt.deadline) || s.MaxChoices != tt.max || s.Anonymous != tt.anon {
				t.Errorf("deadline %v max %d anonymous %v; want %v %d %v", s.Deadline, s.MaxChoices, s.Anonymous, tt.deadline, tt.max, tt.anon)
			}
			if got := codes(s.Problems); !slices.Equal(got, tt.problems) {
				t.Errorf("problems %v, want %v", got, tt.problems)
			}
			for _, o := range s.DisplayOptions {
				if strings.ContainsAny(o[:1], "ABCabc(（①⑴") {
					t.Errorf("numbering kept in option %q", o)
				}
			}
		})
	}
}

func BenchmarkParseSpecOneLine(b *testing.B) {
	raw := "凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 截止周五晚上8点 匿名 多选2项"
	text, lim := bot.Normalize(raw), DefaultConfig().limits()
	for b.Loop() {
		if s := ParseSpec(text, raw, now, shanghai, lim); len(s.Problems) > 0 {
			b.Fatal(s.Problems)
		}
	}
}
