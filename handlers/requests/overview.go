package requests

import (
	"io"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Overview is what the staff web page reads about a community: the #统计
// statistics and 三率 of [from, to), computed exactly as the chat command does.
func (h *Handlers) Overview(tx *storage.Tx, cm storage.Community, from, to time.Time) (Stats, error) {
	dir, err := newDirectory(tx, cm, h.Classifier)
	if err != nil {
		return Stats{}, err
	}
	s, err := statsFor(tx, dir, from, to)
	if err != nil {
		return Stats{}, err
	}
	s.Rates, err = computeRates(tx, dir, &h.Config, from, to)
	return s, err
}

// WriteLedger writes the requests ledger (xlsx) of the given requests of one
// community, with states in lang: the rows #导出 工单 sends. Without people,
// the reporter, assignee and comment columns stay empty.
func (h *Handlers) WriteLedger(w io.Writer, tx *storage.Tx, out *bot.Outbox, lang string, cm storage.Community, reqs []storage.Request, people bool) error {
	dir, err := newDirectory(tx, cm, h.Classifier)
	if err != nil {
		return err
	}
	return writeLedger(w, tx, out, lang, dir, reqs, people)
}

func writeLedger(w io.Writer, tx *storage.Tx, out *bot.Outbox, lang string, dir *directory, reqs []storage.Request, people bool) error {
	names := map[int64]string{}
	name := func(id int64) (string, error) {
		if id == 0 || !people {
			return "", nil
		}
		if n, ok := names[id]; ok {
			return n, nil
		}
		p, err := tx.FindPerson(id)
		names[id] = p.Name
		return p.Name, err
	}
	word := func(tmpl, key string) string {
		s, err := out.Render(lang, tmpl, key)
		if err != nil {
			return key
		}
		return s
	}
	i := 0
	next := func(row *ledger.Request) (bool, error) {
		if i == len(reqs) {
			return false, nil
		}
		r := reqs[i]
		i++
		*row = ledger.Request{ID: Ref(r.Kind, r.ID), Kind: word(prompts.RequestsKindName, r.Kind), Category: dir.categoryName(r.Category),
			Place: r.Location, State: word(prompts.RequestsStateName, storage.DisplayState(r.Kind, r.State)),
			Submitted: r.CreatedAt, Resolved: r.ResolvedAt, Closed: r.ClosedAt, Overdue: IsOverdue(r, tx.Now)}
		if people {
			row.Comment = r.RatingNote
		}
		if r.Rating != "" {
			row.Rating = word(prompts.RequestsRatingName, r.Rating)
		}
		if r.DepartmentID != 0 {
			row.Department = dir.department(r.DepartmentID).Name
		}
		var err error
		if row.Reporter, err = name(r.PersonID); err != nil {
			return false, err
		}
		if row.Assignee, err = name(r.AssigneeID); err != nil {
			return false, err
		}
		events, err := tx.RequestEvents(r.ID)
		if err != nil {
			return false, err
		}
		for _, e := range events { // the latest of each stage (a reopened ticket is dispatched again)
			switch e.Action {
			case "dispatch":
				row.Dispatched = e.CreatedAt
			case "accept":
				row.Accepted = e.CreatedAt
			}
		}
		photos, err := tx.RequestBlobs(r.ID)
		row.Photos = len(photos)
		return true, err
	}
	return ledger.WriteRequests(w, "工单", dir.loc, next)
}

// IsOverdue reports whether an open request is past its stage's deadline.
func IsOverdue(r storage.Request, now time.Time) bool {
	return storage.IsOpen(r.Kind, r.State) && !r.StageDueAt.IsZero() && r.StageDueAt.Before(now)
}
