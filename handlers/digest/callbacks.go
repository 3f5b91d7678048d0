package digest

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// CallbackLine is a resolved ticket whose reporter was reminded to rate it and
// has not: staff phone them and record the answer (#回访). A follower's line
// is their own report merged into the ticket (Of).
type CallbackLine struct {
	Ref, Text, Reporter string
	Of                  string    // the ticket a follower's report was merged into; "" for its reporter
	Resolved            time.Time // in the community's zone
}

// callbacks lists the 回访 list of a community (storage.CallbackList), then
// the followers of merged tickets reminded and silent (storage.FollowerCallbacks).
func (d *Digests) callbacks(tx *storage.Tx, communityID int64, loc *time.Location) ([]CallbackLine, error) {
	list, err := tx.CallbackList(communityID, d.Config.MaxListed)
	if err != nil {
		return nil, err
	}
	followers, err := tx.FollowerCallbacks(communityID, d.Config.MaxListed-len(list))
	if err != nil {
		return nil, err
	}
	var out []CallbackLine
	for _, r := range append(list, followers...) {
		reporter, err := tx.FindPerson(r.PersonID)
		if err != nil {
			return nil, err
		}
		line := CallbackLine{Ref: ref(r.Kind, r.ID), Text: r.Text, Reporter: reporter.Name, Resolved: r.ResolvedAt.In(loc)}
		if r.DuplicateOf != 0 {
			orig, err := tx.FindRequest(communityID, r.DuplicateOf)
			if err != nil {
				return nil, err
			}
			line.Of, line.Resolved = ref(orig.Kind, orig.ID), orig.ResolvedAt.In(loc)
		}
		out = append(out, line)
	}
	return out, nil
}
