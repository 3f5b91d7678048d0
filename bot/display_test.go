package bot_test

import (
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

func TestDisplay(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"#报修 3栋楼道灯不亮了，电话１３８－１２３４－５６７８。", "3栋楼道灯不亮了，电话138-1234-5678。"},
		{"＃报修　电梯坏了！", "电梯坏了！"},
		{"/repair@QiaoBot 电梯坏了，快来", "电梯坏了，快来"},
		{"楼道灯不亮了，晚上看不见", "楼道灯不亮了，晚上看不见"},
		{"@小桥 报修 门禁坏了\r\n  在3栋  ", "门禁坏了\n在3栋"},
	} {
		p := bot.Parse(tc.raw, []string{"小桥", "QiaoBot"})
		parsed := p.Text
		if p.Prefixed || p.Mentioned {
			_, parsed, _ = strings.Cut(p.Text, " ")
			parsed = strings.TrimSpace(parsed)
		}
		if got := bot.Display(tc.raw, parsed); got != tc.want {
			t.Errorf("Display(%q, %q) = %q, want %q", tc.raw, parsed, got, tc.want)
		}
	}
}

func TestDisplayIsBoundedOnHugeText(t *testing.T) {
	// A megabyte after an unmatchable prefix must not cost a megabyte per rune.
	raw := strings.Repeat("字", 64) + strings.Repeat("很长", 1<<19)
	if got := bot.Display(raw, "不会匹配"); got != "不会匹配" {
		t.Errorf("Display fell back to %q", got)
	}
}

func TestDisplayDropsInvalidUTF8(t *testing.T) {
	raw := "#建议 \xff\xfe楼下\xc3停车位"
	p := bot.Parse(raw, nil)
	_, parsed, _ := strings.Cut(p.Text, " ")
	if got := bot.Display(raw, parsed); got != "楼下停车位" {
		t.Errorf("Display = %q, want the invalid bytes dropped", got)
	}
}
