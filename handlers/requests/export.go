package requests

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/handlers/when"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// ExportOr serves "#导出 工单 PERIOD" (the requests ledger as xlsx) and
// "#导出 统计 PERIOD" (a summary with a chart), and hands every other #导出 (a
// poll's) to other.
func (h *Handlers) ExportOr(other bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		word, rest, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
		switch {
		case word == "工单" || strings.EqualFold(word, "requests"):
			return h.exportLedger(c, rest)
		case word == "统计" || strings.EqualFold(word, "stats"):
			return h.exportStats(c, rest)
		}
		return other(c)
	}
}

// exportLedger writes one row per request registered in the period and
// delivers the file to the staff group or privately: never into a residents' group.
func (h *Handlers) exportLedger(c *bot.Context, arg string) error {
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	if strings.TrimSpace(arg) == "" {
		arg = "本月"
	}
	span, ok := when.Period(arg, c.Now(), dir.loc)
	if !ok {
		return bot.Refuse(prompts.ExportUsage, nil)
	}
	reqs, err := c.Tx.FindRequests(storage.RequestFilter{CommunityID: c.Community.ID, From: span.From, To: span.To})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	name := func(id int64) (string, error) {
		if id == 0 {
			return "", nil
		}
		if n, ok := names[id]; ok {
			return n, nil
		}
		p, err := c.Tx.FindPerson(id)
		names[id] = p.Name
		return p.Name, err
	}
	lang := c.Lang
	word := func(tmpl, key string) string {
		s, err := c.Outbox.Render(lang, tmpl, key)
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
		v := view{Overdue: storage.IsOpen(r.Kind, r.State) && !r.StageDueAt.IsZero() && r.StageDueAt.Before(c.Now())}
		*row = ledger.Request{ID: Ref(r.Kind, r.ID), Kind: word(prompts.RequestsKindName, r.Kind), Category: dir.categoryName(r.Category),
			Place: r.Location, State: word(prompts.RequestsStateName, storage.DisplayState(r.Kind, r.State)),
			Submitted: r.CreatedAt, Resolved: r.ResolvedAt, Closed: r.ClosedAt, Overdue: v.Overdue, Comment: r.RatingNote}
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
		events, err := c.Tx.RequestEvents(r.ID)
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
		photos, err := c.Tx.RequestBlobs(r.ID)
		row.Photos = len(photos)
		return true, err
	}
	var buf bytes.Buffer
	if err := ledger.WriteRequests(&buf, "工单", dir.loc, next); err != nil {
		return err
	}
	fileName := fmt.Sprintf("工单-%s.xlsx", span.From.In(dir.loc).Format("2006-01-02"))
	blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile, Name: fileName, MIME: ledger.MIME, Data: buf.Bytes()})
	if err != nil {
		return err
	}
	return Deliver(c, bot.Post{Template: prompts.ExportLedger, BlobID: blob, Data: map[string]any{"Count": len(reqs),
		"From": span.From.In(dir.loc), "To": span.To.In(dir.loc).AddDate(0, 0, -1), "Name": fileName}})
}

// Deliver sends an export where it belongs: into a staff group as asked, else
// privately to the person who asked (with a short note in the group). Other
// features' exports use it too.
func Deliver(c *bot.Context, post bot.Post) error {
	if c.Group != nil && c.Group.Kind != storage.GroupStaff {
		if err := c.Notify(c.Person, post); err != nil {
			return err
		}
		return c.Reply(prompts.ExportSentPrivately, nil)
	}
	return c.ReplyPost(post)
}

// exportStats writes the period's statistics as a summary sheet with a chart.
func (h *Handlers) exportStats(c *bot.Context, arg string) error {
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	if strings.TrimSpace(arg) == "" {
		arg = "本月"
	}
	span, ok := when.Period(arg, c.Now(), dir.loc)
	if !ok {
		return bot.Refuse(prompts.ExportUsage, nil)
	}
	s, err := statsFor(c.Tx, dir, span.From, span.To)
	if err != nil {
		return err
	}
	sum := ledger.Summary{Title: s.From + " 至 " + s.To + " 工单统计", Total: s.Total, Overdue: s.Overdue}
	for _, k := range s.ByKind {
		name, err := c.Outbox.Render(c.Lang, prompts.RequestsKindName, k.Key)
		if err != nil {
			return err
		}
		sum.Kinds = append(sum.Kinds, ledger.Count{Name: name, N: k.N})
	}
	for _, k := range s.ByCategory {
		sum.Categories = append(sum.Categories, ledger.Count{Name: k.Name, N: k.N})
	}
	for _, d := range s.Departments {
		sum.Departments = append(sum.Departments, ledger.Department{Name: d.Name, Satisfied: d.Satisfied, Basic: d.Basic, Unsatisfied: d.Unsatisfied})
	}
	var buf bytes.Buffer
	if err := ledger.WriteSummary(&buf, sum); err != nil {
		return err
	}
	fileName := fmt.Sprintf("统计-%s.xlsx", span.From.In(dir.loc).Format("2006-01-02"))
	blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile, Name: fileName, MIME: ledger.MIME, Data: buf.Bytes()})
	if err != nil {
		return err
	}
	return Deliver(c, bot.Post{Template: prompts.ExportStats, BlobID: blob, Data: map[string]any{"Count": s.Total,
		"From": s.From, "To": s.To, "Name": fileName}})
}
