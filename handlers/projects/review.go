package projects

import (
	"errors"
	"strconv"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ratings"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Review answers #评议 J3 满意 很漂亮: a member of the project's groups or a
// follower rates a completed project once (per household when the project
// counts households), before the deadline, in the words of request ratings.
func (h *Handlers) Review(c *bot.Context) error {
	p, rest, err := loadArg(c, prompts.ProjectReviewUsage)
	if err != nil {
		return err
	}
	ref := map[string]any{"Ref": Ref(p.ID), "Title": p.Title}
	switch {
	case p.State == storage.ProjectBuilding:
		return bot.Refuse(prompts.ProjectReviewNotYet, ref)
	case p.State == storage.ProjectDone || !c.Now().Before(p.ReviewDueAt):
		return bot.Refuse(prompts.ProjectReviewClosed, ref)
	}
	may, err := c.Tx.MayReviewProject(p.ID, c.Person.ID)
	if err != nil {
		return err
	}
	if !may {
		return bot.Refuse(prompts.ProjectReviewOutsider, ref)
	}
	read := ratings.Read(rest)
	if read.Rating == "" {
		ref["Word"] = read.Unclear
		return bot.Refuse(prompts.ProjectReviewUnclear, ref)
	}
	key, ok := voterKey(c.Person, p)
	if !ok {
		return bot.Refuse(prompts.ProjectReviewNoRoom, ref)
	}
	err = c.Tx.AddProjectReview(storage.ProjectReview{ProjectID: p.ID, VoterKey: key, PersonID: c.Person.ID,
		Rating: read.Rating, Note: read.Comment})
	if errors.Is(err, storage.ErrDuplicate) {
		before, ferr := c.Tx.FindProjectReview(p.ID, key)
		if ferr != nil {
			return ferr
		}
		ref["Rating"], ref["Household"] = before.Rating, p.PerHousehold
		return bot.Refuse(prompts.ProjectReviewTwice, ref)
	}
	if err != nil {
		return err
	}
	ref["Rating"], ref["Comment"] = read.Rating, read.Comment
	return c.Reply(prompts.ProjectReviewed, ref)
}

// voterKey is who a rating counts for: the person, or their household
// (false when the project counts households and the person has no room).
func voterKey(person storage.Person, p storage.Project) (string, bool) {
	if !p.PerHousehold {
		return "p:" + strconv.FormatInt(person.ID, 10), true
	}
	room := strings.TrimSpace(person.Room)
	return "h:" + room, room != ""
}

// RateOr lets #评价 J3 满意 rate a project (residents type the word they know
// from request ratings) and hands every other #评价 to other.
func (h *Handlers) RateOr(other bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		first, _, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
		if isRef(first) {
			return h.Review(c)
		}
		return other(c)
	}
}
