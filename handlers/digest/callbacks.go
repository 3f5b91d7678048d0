package digest

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// CallbackLine is a resolved ticket whose reporter was reminded to rate it and
// has not: staff phone them and record the answer (#回访).
type CallbackLine struct {
	Ref, Text, Reporter string
	Resolved            time.Time // in the community's zone
}

// callbacks lists the 回访 list of a community (storage.CallbackList).
func (d *Digests) callbacks(tx *storage.Tx, communityID int64, loc *time.Location) ([]CallbackLine, error) {
	list, err := tx.CallbackList(communityID, d.Config.MaxListed)
	if err != nil {
		return nil, err
	}
	var out []CallbackLine
	for _, r := range list {
		reporter, err := tx.FindPerson(r.PersonID)
		if err != nil {
			return nil, err
		}
		out = append(out, CallbackLine{Ref: ref(r.Kind, r.ID), Text: r.Text, Reporter: reporter.Name, Resolved: r.ResolvedAt.In(loc)})
	}
	return out, nil
}
