package polls

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
)

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// now is Monday 2026-11-30 09:00 in Shanghai.
var now = time.Date(2026, 11, 30, 9, 0, 0, 0, shanghai)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, shanghai)
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero: not understood
	}{
		{"2026-12-01 20:00", at(2026, 12, 1, 20, 0)},
		{"2026/12/1 8:05", at(2026, 12, 1, 8, 5)},
		{"2026-12-01", at(2026, 12, 1, 23, 59)},
		{"2026-12-01T20:00", at(2026, 12, 1, 20, 0)},
		{"12月1日20:00", at(2026, 12, 1, 20, 0)},
		{"12月1日 20:00", at(2026, 12, 1, 20, 0)},
		{"12月1号晚上8点", at(2026, 12, 1, 20, 0)},
		{"12月1日 下午3点半", at(2026, 12, 1, 15, 30)},
		{"12月1日", at(2026, 12, 1, 23, 59)},
		{"2027年1月5日 9:30", at(2027, 1, 5, 9, 30)},
		{"11月1日", at(2026, 11, 1, 23, 59)}, // the nearest 1 November has passed: refused as past, not moved a year on
		{"12/3 18:00", at(2026, 12, 3, 18, 0)},
		{"3天后", now.Add(72 * time.Hour)},
		{"3 天后", now.Add(72 * time.Hour)},
		{"2小时后", now.Add(2 * time.Hour)},
		{"2个小时以后", now.Add(2 * time.Hour)},
		{"30分钟后", now.Add(30 * time.Minute)},
		{"半小时后", now.Add(30 * time.Minute)},
		{"1周后", now.Add(7 * 24 * time.Hour)},
		{"in 3 days", now.Add(72 * time.Hour)},
		{"2h", now.Add(2 * time.Hour)},
		{"明天20:00", at(2026, 12, 1, 20, 0)},
		{"明天", at(2026, 12, 1, 23, 59)},
		{"明晚8点", at(2026, 12, 1, 20, 0)},
		{"今晚8点", at(2026, 11, 30, 20, 0)},
		{"后天上午10点", at(2026, 12, 2, 10, 0)},
		{"tomorrow 20:00", at(2026, 12, 1, 20, 0)},
		{"20:00", at(2026, 11, 30, 20, 0)},
		{"8:00", at(2026, 12, 1, 8, 0)}, // passed today: tomorrow
		{"", time.Time{}},
		{"明年", time.Time{}},
		{"2月30日", time.Time{}},
		{"13月1日", time.Time{}},
		{"12月1日 25:00", time.Time{}},
		{"12月1日 20:61", time.Time{}},
		{"0天后", time.Time{}},
		{"soon", time.Time{}},
		{"2026-12-01 noon", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseTime(tt.in, now, shanghai)
			if tt.want.IsZero() {
				if ok {
					t.Fatalf("ParseTime(%q) = %v, want not understood", tt.in, got)
				}
				return
			}
			if !ok || !got.Equal(tt.want) {
				t.Fatalf("ParseTime(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
			}
		})
	}
}

func TestParseTimeUsesTheCommunityZone(t *testing.T) {
	// 20:00 in Shanghai is 12:00 UTC, whatever zone now is given in.
	got, ok := ParseTime("2026-12-01 20:00", now.UTC(), shanghai)
	if !ok || !got.Equal(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("got %v, %v", got, ok)
	}
}

func codes(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func TestParseSpec(t *testing.T) {
	lim := DefaultConfig().limits()
	tests := []struct {
		name     string
		text     string
		title    string
		options  []string
		max      int
		anon     bool
		house    bool
		hide     bool
		scope    []string
		deadline time.Time
		problems []string
	}{
		{name: "minimal", text: "凉亭\n中式\n现代", title: "凉亭", options: []string{"中式", "现代"}, max: 1},
		{name: "all settings", text: "凉亭设计方案\n1. 中式凉亭\n2、现代廊架\n(3) 木质花架\n截止 12月1日20:00\n多选 2\n匿名\n一户一票\n结果截止后公布\n范围 本群, 3栋 第一网格",
			title: "凉亭设计方案", options: []string{"中式凉亭", "现代廊架", "木质花架"}, max: 2, anon: true, house: true, hide: true,
			scope: []string{"本群", "3栋", "第一网格"}, deadline: at(2026, 12, 1, 20, 0)},
		{name: "settings run into values", text: "选举\nA\nB\nC\n多选3\n截止:3天后\n范围:3栋", title: "选举", options: []string{"A", "B", "C"},
			max: 3, scope: []string{"3栋"}, deadline: now.Add(72 * time.Hour)},
		{name: "multi without a number means any", text: "t\na\nb\nc\n多选", title: "t", options: []string{"a", "b", "c"}, max: 3},
		{name: "english", text: "Pavilion\nChinese\nModern\ndeadline 2026-12-01 20:00\nmulti 2\nanonymous\nper household\nhide results\nscope b3",
			title: "Pavilion", options: []string{"Chinese", "Modern"}, max: 2, anon: true, house: true, hide: true, scope: []string{"b3"},
			deadline: at(2026, 12, 1, 20, 0)},
		{name: "a word starting like a setting is an option", text: "t\nmultimedia room\n匿名信箱\nlibrary", title: "t",
			options: []string{"multimedia room", "匿名信箱", "library"}, max: 1},
		{name: "one option", text: "t\n只有一个", title: "t", options: []string{"只有一个"}, max: 1, problems: []string{"few_options"}},
		{name: "no options", text: "t", title: "t", max: 1, problems: []string{"few_options"}},
		{name: "duplicate option", text: "t\na\nb\na", title: "t", options: []string{"a", "b"}, max: 1, problems: []string{"dup_option"}},
		{name: "bad deadline", text: "t\na\nb\n截止 明年", title: "t", options: []string{"a", "b"}, max: 1, problems: []string{"bad_deadline"}},
		{name: "past deadline", text: "t\na\nb\n截止 2026-11-29 20:00", title: "t", options: []string{"a", "b"}, max: 1, problems: []string{"past_deadline"}},
		{name: "multi above options", text: "t\na\nb\n多选 3", title: "t", options: []string{"a", "b"}, max: 3, problems: []string{"bad_multi"}},
		{name: "multi not a number", text: "t\na\nb\n多选 很多", title: "t", options: []string{"a", "b"}, max: 1, problems: []string{"bad_multi_value"}},
		{name: "long option", text: "t\na\n" + strings.Repeat("长", 61), title: "t", options: []string{"a", strings.Repeat("长", 61)}, max: 1,
			problems: []string{"long_option"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ParseSpec(tt.text, "", now, shanghai, lim)
			if s.Title != tt.title || !slices.Equal(s.Options, tt.options) || s.MaxChoices != tt.max || s.Anonymous != tt.anon ||
				s.PerHousehold != tt.house || s.HideResults != tt.hide || !slices.Equal(s.Scope, tt.scope) || !s.Deadline.Equal(tt.deadline) {
				t.Errorf("got %+v", s)
			}
			if got := codes(s.Problems); !slices.Equal(got, tt.problems) {
				t.Errorf("problems = %v, want %v", got, tt.problems)
			}
		})
	}
}

func TestParseSpecLimits(t *testing.T) {
	lim := DefaultConfig().limits()
	var b strings.Builder
	b.WriteString("太多了")
	for i := range 61 {
		b.WriteString("\n候选" + strings.Repeat("x", i%3) + string(rune('A'+i%26)) + string(rune('a'+i/26)))
	}
	s := ParseSpec(b.String(), "", now, shanghai, lim)
	if got := codes(s.Problems); !slices.Equal(got, []string{"many_options"}) {
		t.Fatalf("problems = %v (%d options)", got, len(s.Options))
	}
	s = ParseSpec("\n\n", "", now, shanghai, lim)
	if got := codes(s.Problems); !slices.Equal(got, []string{"no_title", "few_options"}) {
		t.Fatalf("empty: problems = %v", got)
	}
}

func TestRank(t *testing.T) {
	opts := []string{"a", "b", "c", "d", "e"}
	tests := []struct {
		name     string
		counts   []int
		seats    int
		ranks    []int // by option index
		winners  []int
		tieAtCut bool
	}{
		{"clear winner", []int{5, 3, 1, 0, 0}, 1, []int{1, 2, 3, 4, 4}, []int{1}, false},
		{"tie at the top", []int{4, 4, 1, 0, 0}, 1, []int{1, 1, 3, 4, 4}, []int{1, 2}, true},
		{"tie inside the seats", []int{6, 4, 4, 1, 0}, 3, []int{1, 2, 2, 4, 5}, []int{1, 2, 3}, false},
		{"tie across the cut", []int{6, 4, 4, 4, 0}, 2, []int{1, 2, 2, 2, 5}, []int{1, 2, 3, 4}, true},
		{"no votes", []int{0, 0, 0, 0, 0}, 1, []int{1, 1, 1, 1, 1}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Rank(opts, tt.counts, 10, tt.seats)
			ranks := make([]int, len(opts))
			var winners []int
			for _, s := range r.Standings {
				ranks[s.Index-1] = s.Rank
			}
			for _, w := range r.Winners() {
				winners = append(winners, w.Index)
			}
			slices.Sort(winners)
			if !slices.Equal(ranks, tt.ranks) || !slices.Equal(winners, tt.winners) || r.TieAtCut != tt.tieAtCut {
				t.Errorf("ranks %v winners %v tieAtCut %v; want %v %v %v", ranks, winners, r.TieAtCut, tt.ranks, tt.winners, tt.tieAtCut)
			}
		})
	}
}

func TestParseSpecKeepsWhatWasTyped(t *testing.T) {
	raw := "凉亭方案选哪个？\n１．方案一：木结构\n2、方案二（钢结构）\n截止：12月3日20:00"
	s := ParseSpec(bot.Normalize(raw), raw, now, shanghai, DefaultConfig().limits())
	if len(s.Problems) != 0 {
		t.Fatalf("problems: %+v", s.Problems)
	}
	if s.DisplayTitle != "凉亭方案选哪个？" || strings.Join(s.DisplayOptions, "|") != "方案一：木结构|方案二（钢结构）" {
		t.Errorf("shown as %q / %q", s.DisplayTitle, s.DisplayOptions)
	}
	if s.Title != "凉亭方案选哪个?" || s.Options[0] != "方案一:木结构" {
		t.Errorf("normalised as %q / %q", s.Title, s.Options)
	}
}
