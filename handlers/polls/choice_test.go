package polls

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestResolveChoices is the vote vocabulary: every way people name options.
func TestResolveChoices(t *testing.T) {
	pavilion := []string{"中式凉亭", "现代廊架", "木质花架"}
	similar := []string{"现代凉亭", "现代廊架", "木质花架"}
	tests := []struct {
		opts      []string
		words     string
		want      []int
		ambiguous bool // asked back: which did you mean
		unknown   bool // asked back: no such option
	}{
		{pavilion, "2", []int{2}, false, false},
		{pavilion, "2号", []int{2}, false, false},
		{pavilion, "2 号", []int{2}, false, false},
		{pavilion, "1号和3号", []int{1, 3}, false, false},
		{pavilion, "第2个", []int{2}, false, false},
		{pavilion, "第二个", []int{2}, false, false},
		{pavilion, "第2项", []int{2}, false, false},
		{pavilion, "二", []int{2}, false, false},
		{pavilion, "两", []int{2}, false, false},
		{pavilion, "②", []int{2}, false, false},
		{pavilion, "⑵", []int{2}, false, false},
		{pavilion, "B", []int{2}, false, false},
		{pavilion, "b", []int{2}, false, false},
		{pavilion, "选项2", []int{2}, false, false},
		{pavilion, "2号方案", []int{2}, false, false},
		{pavilion, "1 3", []int{1, 3}, false, false},
		{pavilion, "1,3", []int{1, 3}, false, false},
		{pavilion, "1、3", []int{1, 3}, false, false},
		{pavilion, "A和C", []int{1, 3}, false, false},
		{pavilion, "一 三", []int{1, 3}, false, false},
		{pavilion, "9", []int{9}, false, false}, // a number: checkChoices names the range
		{pavilion, "0", []int{0}, false, false},
		{pavilion, "现代廊架", []int{2}, false, false},
		{pavilion, "廊架", []int{2}, false, false},
		{pavilion, "现代廊架方案", []int{2}, false, false},
		{pavilion, "中式凉亭 木质花架", []int{1, 3}, false, false},
		{pavilion, "中式凉亭、木质花架", []int{1, 3}, false, false},
		{pavilion, "凉亭", []int{1}, false, false},
		{similar, "现代", nil, true, false},
		{similar, "凉亭", []int{1}, false, false},
		{similar, "现代 木质花架", nil, true, false},
		{pavilion, "D", nil, false, true}, // a fourth letter of three options: not a number
		{pavilion, "石头亭子", nil, false, true},
		{pavilion, "!!", nil, false, true},
		{[]string{"multimedia room", "library"}, "multimedia room", []int{1}, false, false},
		{[]string{"1栋", "3栋"}, "3栋", []int{2}, false, false},
		{[]string{"A", "B"}, "B", []int{2}, false, false},
	}
	for _, tt := range tests {
		got, trouble := resolveChoices(tt.opts, tt.words)
		switch {
		case tt.ambiguous || tt.unknown:
			if trouble == nil || trouble.Ambiguous != tt.ambiguous {
				t.Errorf("%q in %q: got %v, %+v; want it asked back (ambiguous %v)", tt.words, tt.opts, got, trouble, tt.ambiguous)
			}
		case trouble != nil || !slices.Equal(got, tt.want):
			t.Errorf("%q in %q: got %v, %+v; want %v", tt.words, tt.opts, got, trouble, tt.want)
		}
	}
}

func TestVoteText(t *testing.T) {
	tests := []struct {
		in, words string
		ok        bool
	}{
		{"我投2", "2", true},
		{"我投 2", "2", true},
		{"投第2个", "第2个", true},
		{"我选现代廊架", "现代廊架", true},
		{"我投了B。", "B", true},
		{"选二", "二", true},
		{"我家投1", "1", true},
		{"今天天气不错", "", false},
		{"我", "", false},
	}
	for _, tt := range tests {
		words, ok := voteText(tt.in)
		if words != tt.words || ok != tt.ok {
			t.Errorf("voteText(%q) = %q, %v; want %q, %v", tt.in, words, ok, tt.words, tt.ok)
		}
	}
}

// choiceSplitRE is the separators' regexp the writer once split votes with:
// isChoiceSeparator must split the same way.
var choiceSplitRE = regexp.MustCompile(`[\s,，、;；/和跟与及]+`)

// TestNumericChoicesAsTheRegexp checks the writer's split and number fast
// path against the regexps they stand in for, and resolveChoices' split
// against the old one.
func TestNumericChoicesAsTheRegexp(t *testing.T) {
	viaRegexp := func(words string, count int) bool {
		any := false
		for _, w := range choiceSplitRE.Split(strings.TrimSpace(words), -1) {
			if w == "" {
				continue
			}
			m := numberWord.FindStringSubmatch(w)
			if m == nil {
				return false
			}
			if _, ok := optionNumber(m[0], count); !ok {
				return false
			}
			any = true
		}
		return any
	}
	for _, words := range []string{"", " ", "2", " 2 ", "1 3", "1,3", "1，3、2", "1;3；2/4", "1和3", "1跟2与3及4",
		"1\t2\n3", "007", "0", "999", "1000", "12a", "B", "z", "二", "第2个", "②", "2号", "现代廊架", "1 现代", ",,", "1,,2",
		"诉 物业", "-1", "+2", "P3", "1\u00a02", "1\u30002"} {
		for _, count := range []int{3, maxLetterChoices} {
			if got, want := numericChoices(words, count), viaRegexp(words, count); got != want {
				t.Errorf("numericChoices(%q, %d) = %v, the regexps say %v", words, count, got, want)
			}
		}
		want := slices.DeleteFunc(choiceSplitRE.Split(words, -1), func(w string) bool { return w == "" })
		if got := strings.FieldsFunc(words, isChoiceSeparator); !slices.Equal(got, want) {
			t.Errorf("split %q = %q, the regexp says %q", words, got, want)
		}
	}
}

func BenchmarkNumericChoices(b *testing.B) {
	for b.Loop() {
		numericChoices("1 3", 3)
	}
}
