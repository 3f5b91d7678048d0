package requests

import (
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

// What Foresee predicts before the transaction decides exactly as predicting
// inside it would, addressed or not; a prediction of another text (a handler
// that changed the text, a stale value) is not used.
func TestForeseenKindEqualsKind(t *testing.T) {
	rules := DefaultIntakeRules()
	texts := []string{"3栋2单元楼道灯不亮了好几天了，麻烦物业来修一下", "今天天气不错", "着火了！快来人", "电梯好了谢谢",
		"建议小区门口加装路灯", "楼下有人一直按喇叭很吵", strings.Repeat("厨房水管漏水。", classifyMaxRunes)}
	for _, text := range texts {
		f := Foresee(bot.Message{}, bot.Parsed{Text: text})
		for _, addressed := range []bool{false, true} {
			if got, want := rules.kindForeseen(text, addressed, f), rules.kind(text, addressed); got != want {
				t.Errorf("%.12s… (addressed %v): foreseen %q, predicted in place %q", text, addressed, got, want)
			}
		}
	}
	chat, repair := Foresee(bot.Message{}, bot.Parsed{Text: "今天天气不错"}), "厨房水管漏水了，麻烦物业来修一下"
	if got, want := rules.kindForeseen(repair, false, chat), rules.kind(repair, false); got != want || want == "" {
		t.Errorf("a prediction of another text was used: %q, want %q", got, want)
	}
}
