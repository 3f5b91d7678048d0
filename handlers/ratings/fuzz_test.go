package ratings

import (
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// FuzzRead: any text is a rating, a question back, or nothing; never a
// panic, and never both a rating and a question.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{"满意", "1分，太慢了", "十分满意", "不很满意", "5 stars", "1", "", "👍👎", "分分分", "打"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Read(s)
		if r.Rating != "" && r.Unclear != "" {
			t.Fatalf("Read(%q) = %+v", s, r)
		}
		switch r.Rating {
		case "", storage.RatingSatisfied, storage.RatingBasic, storage.RatingUnsatisfied:
		default:
			t.Fatalf("Read(%q) = %+v", s, r)
		}
	})
}
