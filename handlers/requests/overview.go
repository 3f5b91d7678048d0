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
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.ID
	}
	facts, err := tx.LedgerFacts(ids)
	if err != nil {
		return err
	}
	i := 0
	next := func() (storage.Request, storage.LedgerFacts, bool, error) {
		if i == len(reqs) {
			return storage.Request{}, storage.LedgerFacts{}, false, nil
		}
		i++
		return reqs[i-1], facts[reqs[i-1].ID], true, nil
	}
	_, err = writeLedger(w, tx, out, lang, dir, next, people)
	return err
}

// writeLedger writes the rows next yields (a request and its dispatch, accept
// and photo facts, in order) and returns how many there were.
func writeLedger(w io.Writer, tx *storage.Tx, out *bot.Outbox, lang string, dir *directory,
	next func() (storage.Request, storage.LedgerFacts, bool, error), people bool) (int, error) {
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
	count := 0
	row := func(row *ledger.Request) (bool, error) {
		r, facts, ok, err := next()
		if !ok || err != nil {
			return false, err
		}
		count++
		*row = ledger.Request{ID: Ref(r.Kind, r.ID), Kind: word(prompts.RequestsKindName, r.Kind), Category: dir.categoryName(r.Category),
			Place: r.Location, State: word(prompts.RequestsStateName, storage.DisplayState(r.Kind, r.State)),
			Submitted: r.CreatedAt, Dispatched: facts.Dispatched, Accepted: facts.Accepted, Resolved: r.ResolvedAt,
			Closed: r.ClosedAt, Overdue: IsOverdue(r, tx.Now), Photos: facts.Photos}
		if people {
			row.Comment = r.RatingNote
		}
		if r.Rating != "" {
			row.Rating = word(prompts.RequestsRatingName, r.Rating)
		}
		if r.DepartmentID != 0 {
			row.Department = dir.department(r.DepartmentID).Name
		}
		if row.Reporter, err = name(r.PersonID); err != nil {
			return false, err
		}
		row.Assignee, err = name(r.AssigneeID)
		return true, err
	}
	err := ledger.WriteRequests(w, "工单", dir.loc, row)
	return count, err
}

// IsOverdue reports whether an open request is past its stage's deadline.
func IsOverdue(r storage.Request, now time.Time) bool {
	return storage.IsOpen(r.Kind, r.State) && !r.StageDueAt.IsZero() && r.StageDueAt.Before(now)
}
