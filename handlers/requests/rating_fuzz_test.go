package requests

import (
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// FuzzReadRating: any text is a rating, a question back, or nothing; never a
// panic, and never both a rating and a question.
func FuzzReadRating(f *testing.F) {
	for _, seed := range []string{"满意", "1分，太慢了", "十分满意", "不很满意", "5 stars", "1", "", "👍👎", "分分分", "打"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := readRating(s)
		if r.Rating != "" && r.Unclear != "" {
			t.Fatalf("readRating(%q) = %+v", s, r)
		}
		switch r.Rating {
		case "", storage.RatingSatisfied, storage.RatingBasic, storage.RatingUnsatisfied:
		default:
			t.Fatalf("readRating(%q) = %+v", s, r)
		}
	})
}
