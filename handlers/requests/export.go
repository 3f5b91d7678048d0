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
	rows := ledgerPages{tx: c.Tx, filter: storage.RequestFilter{CommunityID: c.Community.ID, From: span.From, To: span.To}}
	var buf bytes.Buffer
	count, err := writeLedger(&buf, c.Tx, c.Outbox, c.Lang, dir, rows.next, true)
	if err != nil {
		return err
	}
	fileName := fmt.Sprintf("工单-%s.xlsx", span.From.In(dir.loc).Format("2006-01-02"))
	blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile, Name: fileName, MIME: ledger.MIME, Data: buf.Bytes()})
	if err != nil {
		return err
	}
	return Deliver(c, bot.Post{Template: prompts.ExportLedger, BlobID: blob, Data: map[string]any{"Count": count,
		"From": span.From.In(dir.loc), "To": span.To.In(dir.loc).AddDate(0, 0, -1), "Name": fileName}}, prompts.ExportSentPrivately)
}

// Deliver sends an export to the staff group it was asked in, or privately to
// the person who asked anywhere else.
func Deliver(c *bot.Context, post bot.Post, sentPrivately string) error {
	if c.Group != nil && c.Group.Kind != storage.GroupStaff {
		if err := c.Notify(c.Person, post); err != nil {
			return err
		}
		return c.Reply(sentPrivately, nil)
	}
	return c.ReplyPost(post)
}

// exportStats writes the period's statistics as a summary sheet with a chart,
// and the period's projects on a sheet of their own.
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
	projects, err := projectsTable(c, dir, span.From, span.To)
	if err != nil {
		return err
	}
	sum.Tables = []ledger.Table{projects}
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
		"From": s.From, "To": s.To, "Name": fileName}}, prompts.ExportSentPrivately)
}
