package ratings

import (
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// TestRead is the rating vocabulary: words, scores and stars, with the
// comment after them; what could mean two things is asked back.
func TestRead(t *testing.T) {
	const (
		sat, basic, unsat = storage.RatingSatisfied, storage.RatingBasic, storage.RatingUnsatisfied
		unclear           = "?"
	)
	tests := []struct{ in, rating, comment string }{
		{"满意 师傅很快", sat, "师傅很快"},
		{"满意", sat, ""},
		{"很满意", sat, ""},
		{"非常满意！", sat, ""},
		{"十分满意，谢谢师傅", sat, "谢谢师傅"},
		{"挺好的", sat, ""},
		{"挺好的，很及时", sat, "很及时"},
		{"好评", sat, ""},
		{"五星好评", sat, ""},
		{"不错", sat, ""},
		{"👍", sat, ""},
		{"基本满意", basic, ""},
		{"还行", basic, ""},
		{"还行吧", basic, "吧"},
		{"还可以", basic, ""},
		{"一般", basic, ""},
		{"一般般，有点慢", basic, "有点慢"},
		{"凑合", basic, ""},
		{"差不多", basic, ""},
		{"不满意 第二天又坏了", unsat, "第二天又坏了"},
		{"不太满意", unsat, ""},
		{"非常不满意", unsat, ""},
		{"很不满意，没人来", unsat, "没人来"},
		{"不是很满意", unsat, ""},
		{"差评", unsat, ""},
		{"差评！！", unsat, ""},
		{"没修好", unsat, ""},
		// Scores and stars: 5, 4 → 满意; 3 → 基本满意; 2, 1 → 不满意.
		{"5分", sat, ""},
		{"4分", sat, ""},
		{"3分", basic, ""},
		{"2分", unsat, ""},
		{"1分", unsat, ""},
		{"1分，太慢了", unsat, "太慢了"},
		{"1分,太慢了", unsat, "太慢了"},
		{"打5分", sat, ""},
		{"给三分", basic, ""},
		{"五分", sat, ""},
		{"5星", sat, ""},
		{"4颗星 挺快的", sat, "挺快的"},
		{"1星", unsat, ""},
		{"2 分 师傅态度不好", unsat, "师傅态度不好"},
		// The rating after the comment.
		{"师傅很负责，非常满意", sat, "师傅很负责，非常满意"},
		{"修了三次才好，不满意", unsat, "修了三次才好，不满意"},
		// English.
		{"Unsatisfied still broken", unsat, "still broken"},
		{"satisfied", sat, ""},
		{"5 stars", sat, ""},
		// Unclear: asked back, never guessed.
		{"1", unclear, ""},
		{"3", unclear, ""},
		{"10分", unclear, ""},
		{"0分", unclear, ""},
		{"great", unclear, ""},
		{"师傅来过了", unclear, ""},
		{"满意是满意，但是不满意收费", unclear, ""}, // not at the start: two ratings
		{"不很满意", unclear, ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		got := Read(bot.Normalize(tt.in))
		want := bot.Normalize(tt.comment)
		switch {
		case tt.rating == unclear:
			if got.Unclear == "" || got.Rating != "" {
				t.Errorf("Read(%q) = %+v; want it asked back", tt.in, got)
			}
		case got.Rating != tt.rating || got.Comment != want || got.Unclear != "":
			t.Errorf("Read(%q) = %+v; want %s %q", tt.in, got, tt.rating, want)
		}
	}
}
