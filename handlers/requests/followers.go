package requests

import (
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// callbackFollower records staff's call-back of a resident whose report was
// merged into a resolved ticket (#回访 R2 满意, R2 merged into R1) on that
// report, as rateAsFollower records their own rating: every reporter counts
// once in 满意率. done is false when R2 is not such a report.
func (h *Handlers) callbackFollower(c *bot.Context) (done bool, err error) {
	arg, rest, _ := strings.Cut(c.RawArgs(), " ")
	f, err := loadRequest(c.Tx, c.Community.ID, arg)
	if err != nil || f.State != storage.StateDuplicate || f.DuplicateOf == 0 {
		return false, nil // Callback explains a bad ID or state
	}
	orig, err := c.Tx.FindRequest(c.Community.ID, f.DuplicateOf)
	if err != nil {
		return true, err
	}
	if orig.State != storage.StateResolved && orig.State != storage.StateClosed && orig.State != storage.StateReopened {
		return false, nil
	}
	rating, record := parseRating(strings.TrimSpace(rest))
	if rating == "" {
		return true, bot.Refuse(prompts.WorkflowCallbackUsage, map[string]string{"ID": Ref(f.Kind, f.ID)})
	}
	f.Rating, f.RatingNote, f.RatedAt, f.RatedBy = rating, record, c.Now(), c.Person.ID
	if err := c.Tx.SaveRequest(f); err != nil {
		return true, err
	}
	if err := c.Tx.AddRequestEvent(storage.RequestEvent{RequestID: f.ID, ActorID: c.Person.ID, Action: ActCallback,
		FromState: f.State, ToState: f.State, Note: strings.TrimSpace(rating + " " + record)}); err != nil {
		return true, err
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return true, err
	}
	dir.know(c.Person)
	v, err := dir.view(orig)
	if err != nil {
		return true, err
	}
	follower, err := c.Tx.FindPerson(f.PersonID)
	if err != nil {
		return true, err
	}
	v.Rating, v.Note, v.Reporter, v.RatedBy = rating, record, follower.Name, c.Person.Name
	if err := c.Reply(prompts.WorkflowFollowerCalledBack, v); err != nil {
		return true, err
	}
	return true, notifyPerson(c, f.PersonID, f.GroupID, bot.Post{Template: prompts.WorkflowReporterCalledBack, Data: v})
}
