package requests

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A pasted novel is read only as far as classifyMaxRunes: it is classified
// as its head is, whatever follows (here, text of the opposite kind that would
// sway the model), and the head is cut on a rune.
func TestIntakeReadsOnlyTheHeadOfAHugeText(t *testing.T) {
	rules := DefaultIntakeRules()
	repair := "3栋2单元楼道灯不亮了好几天了，晚上老人上下楼看不见，麻烦物业来修一下。"
	chat := "大家好，今天天气不错，下午一起去公园走走吧，哈哈。"
	for _, c := range []struct{ head, tail, want string }{
		{repair, chat, "repair"},
		{chat, repair, ""},
	} {
		head := classifiable(strings.Repeat(c.head, classifyMaxRunes)) // fills the window
		if n := utf8.RuneCountInString(head); n != classifyMaxRunes || !utf8.ValidString(head) {
			t.Fatalf("classifiable kept %d runes (valid UTF-8: %v), want %d", n, utf8.ValidString(head), classifyMaxRunes)
		}
		if kind, _ := rules.classify(intakeModel(), head, false); kind != c.want {
			t.Fatalf("the head alone reads as %q, want %q", kind, c.want)
		}
		text := head + strings.Repeat(c.tail, 20*classifyMaxRunes/utf8.RuneCountInString(c.tail))
		if kind, _ := rules.classify(intakeModel(), text, false); kind != c.want {
			t.Errorf("%.12s… followed by %d runes of %.12s…: %q, want %q (the head's kind)",
				c.head, utf8.RuneCountInString(text)-classifyMaxRunes, c.tail, kind, c.want)
		}
	}
	if short := "电梯坏了"; classifiable(short) != short {
		t.Errorf("a short text was cut: %q", classifiable(short))
	}
}
