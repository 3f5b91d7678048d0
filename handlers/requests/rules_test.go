package requests

import (
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/textclass"
	"github.com/qiao-community/qiao/storage"
)

func TestFindPlace(t *testing.T) {
	buildings := []storage.Building{{ID: 1, Name: "1栋"}, {ID: 3, Name: "3栋"}, {ID: 5, Name: "5号楼"}, {ID: 9, Name: "交警大院"}}
	for _, tc := range []struct {
		text, place string
		building    int64
	}{
		{"3栋2单元楼道灯不亮", "3栋2单元", 3},
		{"3栋2单元402室厕所堵了", "3栋2单元402室", 3},
		{"5号楼的电梯坏了", "5号楼", 5},
		{"交警大院路灯不亮", "交警大院", 9},
		{"交警大院3栋门口", "3栋", 3},
		{"13栋门口井盖松了", "13栋", 0},
		{"三栋二单元门禁坏了", "三栋二单元", 0},
		{"楼下车库灯坏了", "", 0},
	} {
		p := findPlace(tc.text, buildings)
		if p.Text != tc.place || p.BuildingID != tc.building {
			t.Errorf("findPlace(%q) = %+v, want %q in building %d", tc.text, p, tc.place, tc.building)
		}
	}
}

// TestKindEdges: the rules silence what must never prompt, whatever the
// model thinks; plain requests get their kind.
func TestKindEdges(t *testing.T) {
	rules := DefaultIntakeRules()
	for _, tc := range []struct{ text, kind string }{
		{"楼道灯不亮了", "repair"},
		{"电梯坏了，麻烦来看看，谢谢", "repair"},
		{"楼道灯亮了，谢谢", ""},
		{"电梯坏了谢谢", ""}, // thanks without a request word: too ambiguous to prompt a group
		{"好的", ""},
		{"【通知】电梯维修，今日停用", ""},
	} {
		if got := rules.Kind(bot.Normalize(tc.text)); got != tc.kind {
			t.Errorf("Kind(%q) = %q, want %q", tc.text, got, tc.kind)
		}
	}
	// "还没修好" is not a report that something is fixed.
	resolved := []string{"修好"}
	if containsUndenied("楼道灯还没修好，都三天了", resolved, resolvedDenied) ||
		containsUndenied("电梯什么时候能修好", resolved, resolvedDenied) ||
		!containsUndenied("楼道灯修好了", resolved, resolvedDenied) {
		t.Error("containsUndenied does not see the negation or the wish")
	}
}

func TestPeriod(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 12, 2, 23, 30, 0, 0, loc) // a Wednesday
	for _, tc := range []struct{ arg, name, from, to string }{
		{"本周", "week", "2026-11-30", "2026-12-07"},
		{"本月", "month", "2026-12-01", "2027-01-01"},
		{"", "year", "2026-01-01", "2027-01-01"},
		{"2026-01-01..2026-06-30", "range", "2026-01-01", "2026-07-01"},
		{"2026-06-30..2026-01-01", "", "", ""},
		{"去年", "range", "2025-01-01", "2026-01-01"},
		{"上个月", "range", "2026-11-01", "2026-12-01"},
		{"本季度", "range", "2026-10-01", "2027-01-01"},
		{"2026年11月", "range", "2026-11-01", "2026-12-01"},
		{"11月", "range", "2026-11-01", "2026-12-01"},
		{"近30天", "range", "2026-11-03", "2026-12-03"},
		{"明年", "", "", ""},
	} {
		name, from, to, ok := period(tc.arg, now, loc)
		if !ok {
			if tc.name != "" {
				t.Errorf("period(%q) refused", tc.arg)
			}
			continue
		}
		if name != tc.name || from.Format("2006-01-02") != tc.from || to.Format("2006-01-02") != tc.to {
			t.Errorf("period(%q) = %s %s..%s, want %s %s..%s", tc.arg, name, from, to, tc.name, tc.from, tc.to)
		}
	}
}

// TestRulesOverriddenWhenCertain: an ignore or a resolved word silences a
// request the model is sure of, but not one it is all but certain of.
func TestRulesOverriddenWhenCertain(t *testing.T) {
	r := DefaultIntakeRules()
	for _, text := range []struct{ kind, text string }{
		{"repair", "+1 我家门口那个声控灯也坏了，11栋4楼"},
		{"suggestion", "建议在群里每周发一次报修处理情况，哪些修好了哪些还在排队"},
	} {
		for _, tc := range []struct {
			overNone float64
			want     string
		}{{ruleOverrideMilli/1000.0 + 0.01, text.kind}, {ruleOverrideMilli/1000.0 - 0.01, ""}, {3, ""}} {
			p := textclass.Prediction{Class: text.kind, Second: kindNone, Margin: tc.overNone, OverNone: tc.overNone, Sure: true}
			if got, _ := r.decide(bot.Normalize(text.text), p, false); got != tc.want {
				t.Errorf("%s, over none %.2f: %q, want %q", text.text, tc.overNone, got, tc.want)
			}
		}
	}
	if got, _ := r.decide(bot.Normalize("【通知】明天停水"), textclass.Prediction{Class: kindNone, Sure: true}, false); got != "" {
		t.Errorf("an announcement the model takes for chit-chat: %q", got)
	}
}
