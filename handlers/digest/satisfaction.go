package digest

import (
	"time"

	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// rate is a satisfaction rate as shown: satisfied and basically satisfied
// ratings over all ratings (storage.Ratings), "-" when there are none.
func rate(r storage.Ratings) string { return prompts.Percent(r.Good(), r.Rated()) }

// comments lists the first max comments given with ratings in [from, to),
// oldest first, and how many there are: every rating's comment counts, a
// 不满意 one included after the ticket was rated again.
func comments(events []storage.RatingEvent, from, to time.Time, max int) ([]CommentLine, int) {
	var out []CommentLine
	total := 0
	for _, e := range events {
		if e.Note == "" || e.At.Before(from) || !e.At.Before(to) {
			continue
		}
		total++
		if len(out) < max {
			out = append(out, CommentLine{Ref: ref(e.Kind, e.RequestID), Rating: e.Rating, Note: e.Note})
		}
	}
	return out, total
}
