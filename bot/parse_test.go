package bot_test

import (
	"testing"

	"github.com/qiao-community/qiao/bot"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"full-width hash and digits", "＃投票　Ｐ３　２", "#投票 P3 2"},
		{"full-width colon and comma", "截止：明天，多选２", "截止:明天,多选2"},
		{"ideographic comma and full stop", "一、二。", "一,二."},
		{"full-width bar", "选项Ａ｜选项Ｂ", "选项A|选项B"},
		{"CRLF and trailing spaces", "  第一行  \r\n 第二行\r\n", "第一行\n第二行"},
		{"invalid UTF-8 dropped", "报修\xff\xfe灯坏了", "报修灯坏了"},
		{"NUL dropped", "建\x00议", "建议"},
		{"bidi override dropped", "\u202e修报\u202c", "修报"},
		{"zero-width dropped", "建\u200b议", "建议"},
		{"emoji kept", "谢谢👍🏻", "谢谢👍🏻"},
		{"empty", "  \n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	names := []string{"小桥", "QiaoBot"}
	tests := []struct {
		name, in               string
		prefixed, mentioned    bool
		word, target, wantText string
	}{
		{"hash", "#建议 划车位", true, false, "建议", "", "建议 划车位"},
		{"full-width hash", "＃建议 划车位", true, false, "建议", "", "建议 划车位"},
		{"slash", "/suggest more lights", true, false, "suggest", "", "suggest more lights"},
		{"slash with bot", "/repair@QiaoBot lift broken", true, false, "repair", "QiaoBot", "repair@QiaoBot lift broken"},
		{"mention then command", "@小桥 报修 电梯坏了", false, true, "报修", "", "报修 电梯坏了"},
		{"mention with WeChat space", "@小桥\u2005报修 电梯坏了", false, true, "报修", "", "报修 电梯坏了"},
		{"mention then hash", "@小桥 #报修 电梯坏了", true, true, "报修", "", "报修 电梯坏了"},
		{"mention with comma", "@小桥，帮助", false, true, "帮助", "", "帮助"},
		{"mention of someone else", "@小桥流水 你好", false, false, "", "", "@小桥流水 你好"},
		{"hashtag is not a command", "#今日话题# 大家好", false, false, "", "", "#今日话题# 大家好"},
		{"WeChat emoticon is not a command", "/::) 哈哈", false, false, "", "", "/::) 哈哈"},
		{"plain text", "灯修好了，谢谢师傅", false, false, "", "", "灯修好了,谢谢师傅"},
		{"lone hash", "#", false, false, "", "", "#"},
		{"multi-line body", "#投票 选凉亭\n方案一\n方案二", true, false, "投票", "", "投票 选凉亭\n方案一\n方案二"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := bot.Parse(tt.in, names)
			if p.Prefixed != tt.prefixed || p.Mentioned != tt.mentioned || p.Word != tt.word || p.Target != tt.target || p.Text != tt.wantText {
				t.Errorf("Parse(%q) = %+v, want prefixed=%v mentioned=%v word=%q target=%q text=%q",
					tt.in, p, tt.prefixed, tt.mentioned, tt.word, tt.target, tt.wantText)
			}
		})
	}
}

func TestRefs(t *testing.T) {
	if got := bot.FormatRef("S", 12); got != "S12" {
		t.Errorf("FormatRef = %q", got)
	}
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"S12", 12, true}, {"s12", 12, true}, {"#S12", 12, true}, {"12", 12, true}, {"Ｓ１２", 12, true},
		{"R12", 0, false}, {"S-1", 0, false}, {"S0", 0, false}, {"", 0, false}, {"S", 0, false},
		{"S99999999999999999999", 0, false}, {"S1.5", 0, false}, {"S12; DROP TABLE requests", 0, false},
	}
	for _, tt := range tests {
		got, ok := bot.ParseRef(tt.in, "S")
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRef(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
