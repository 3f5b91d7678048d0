package prompts

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"电话13812345678", "电话138****5678"},
		{"电话138-1234-5678", "电话138****5678"},
		{"电话 138 1234 5678 找我", "电话 138****5678 找我"},
		{"+86 13812345678", "+86 138****5678"},
		{"8613812345678", "+86 138****5678"},
		{"座机010-12345678", "座机010-****5678"},
		{"身份证110101199003071234", "身份证1101**********1234"},
		{"身份证11010119900307123X", "身份证1101**********123X"},
		{"旧证110101900307123", "旧证1101*******7123"},
		{"卡号6222021234567890123", "卡号***************0123"},
		{"501 13812345678", "501 138****5678"},
		{"3栋2单元501，2026-12-01 晚上", "3栋2单元501，2026-12-01 晚上"},
		{"罚款200000元", "罚款200000元"},
		{"订单号 1234567", "订单号 1234567"},
		{"", ""},
	} {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMayHoldNumberBeforeEveryMatch: Mask's shortcut never skips a text the
// regexp would match, over strings drawn from the characters that matter.
func TestMayHoldNumberBeforeEveryMatch(t *testing.T) {
	alphabet := []string{"0", "1", "8", "5", "3", " ", "-", "+", "X", "x", "栋", "a"}
	rng := rand.New(rand.NewPCG(20, 10))
	matched := 0
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(20) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if digitRunRE.MatchString(s) {
			matched++
			if !mayHoldNumber(s) {
				t.Fatalf("mayHoldNumber(%q) = false, but the regexp matches %q", s, digitRunRE.FindString(s))
			}
		}
	}
	if matched < 100 {
		t.Fatalf("only %d of the strings matched: the walk tests too little", matched)
	}
	for _, s := range []string{"3栋2单元", "楼道灯坏了 (12)", "12345", "12-01", ""} {
		if mayHoldNumber(s) {
			t.Errorf("mayHoldNumber(%q) = true, want false", s)
		}
	}
}

func TestNormalizeLanguage(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "EN": "en", "en-US": "en", "En_gb": "en", "en-": "en",
		"zh-CN": Default, "": Default, "eng": Default, "e": Default, "fr": Default, "zh-en": Default, "én": Default} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRenderAllocations(t *testing.T) {
	if raceDetector {
		t.Skip("allocations are counted without the race detector")
	}
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	render := func() {
		if _, err := set.Render("zh-CN", FloodWarning, map[string]int{"PerMinute": 5}); err != nil {
			t.Fatal(err)
		}
	}
	render() // checked against text/template here
	defer func(was bool) { fastAlone = was }(fastAlone)
	fastAlone = true
	// The text itself, the template's own work on its data: no buffer grown afresh.
	allocs := testing.AllocsPerRun(20, render)
	t.Logf("%.0f allocations a render", allocs)
	if allocs > 8 {
		t.Errorf("Render allocates %.0f times", allocs)
	}
}
