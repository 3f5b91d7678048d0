package prompts

import "testing"

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
	render()
	// The text itself, the template's own work on its data: no buffer grown afresh.
	allocs := testing.AllocsPerRun(20, render)
	t.Logf("%.0f allocations a render", allocs)
	if allocs > 8 {
		t.Errorf("Render allocates %.0f times", allocs)
	}
}
