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
	f.RatedBy = c.Person.ID
	_, v, err := h.rateFollower(c, f, orig, ActCallback, rating, record)
	if err != nil {
		return true, err
	}
	follower, err := c.Tx.FindPerson(f.PersonID)
	if err != nil {
		return true, err
	}
	v.Reporter, v.RatedBy = follower.Name, c.Person.Name
	if err := c.Reply(prompts.WorkflowFollowerCalledBack, v); err != nil {
		return true, err
	}
	return true, notifyPerson(c, f.PersonID, f.GroupID, bot.Post{Template: prompts.WorkflowReporterCalledBack, Data: v})
}

// rateFollower stores a rating of orig on follower f's own report (by the
// follower, or by staff when f.RatedBy is set) with its event, and returns
// orig's view carrying the rating.
func (h *Handlers) rateFollower(c *bot.Context, f, orig storage.Request, action, rating, note string) (*directory, view, error) {
	f.Rating, f.RatingNote, f.RatedAt = rating, note, c.Now()
	if err := c.Tx.SaveRequest(f); err != nil {
		return nil, view{}, err
	}
	if err := c.Tx.AddRequestEvent(storage.RequestEvent{RequestID: f.ID, ActorID: c.Person.ID, Action: action,
		FromState: f.State, ToState: f.State, Note: strings.TrimSpace(rating + " " + note)}); err != nil {
		return nil, view{}, err
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return nil, view{}, err
	}
	dir.know(c.Person)
	v, err := dir.view(orig)
	v.Rating, v.Note = rating, note
	return dir, v, err
}
