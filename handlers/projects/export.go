package projects

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// ExportOr serves #导出 J3 (the project as xlsx: overview, milestones,
// updates, 评议 ratings without names) and hands every other #导出 to other.
func (h *Handlers) ExportOr(other bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		first, _, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
		if !isRef(first) {
			return other(c)
		}
		p, err := load(c, first)
		if err != nil {
			return err
		}
		return h.export(c, p)
	}
}

func (h *Handlers) export(c *bot.Context, p storage.Project) error {
	loc := bot.Location(c.Community.Timezone)
	v, err := newView(c, p)
	if err != nil {
		return err
	}
	word := func(name string, data any) string {
		s, err := c.Outbox.Render(c.Lang, name, data)
		if err != nil {
			return fmt.Sprint(data)
		}
		return s
	}
	cell := func(t time.Time) any {
		if t.IsZero() {
			return ""
		}
		return t.In(loc)
	}
	overview := ledger.Table{Name: "项目", Columns: []ledger.Column{{Header: "项目", Width: 14}, {Header: "内容", Width: 40}}}
	overview.Rows = [][]any{{"编号", v.Ref}, {"名称", v.Title}, {"状态", word(prompts.ProjectStateName, p.State)},
		{"进度", fmt.Sprintf("%d%%", p.Progress)}, {"负责部门", v.Department}, {"预算", p.Budget}, {"地点", p.Place},
		{"预计完工", cell(p.DueAt)}, {"完工", cell(p.CompletedAt)}, {"评议截止", cell(p.ReviewDueAt)},
		{"关注人数", v.Followers}, {"关联", strings.Join(v.Links, " ")}, {"群", strings.Join(v.Groups, "、")},
		{"评议人数", v.Review.Count}, {"满意", v.Review.Satisfied}, {"基本满意", v.Review.Basic},
		{"不满意", v.Review.Unsatisfied}, {"满意率", v.Review.Rate}}
	milestones := ledger.Table{Name: "里程碑", Columns: []ledger.Column{{Header: "序号", Width: 6}, {Header: "里程碑", Width: 24},
		{Header: "计划", Width: 17}, {Header: "完成", Width: 17}}}
	for _, m := range p.Milestones {
		milestones.Rows = append(milestones.Rows, []any{m.Index, m.Title, cell(m.DueAt), cell(m.DoneAt)})
	}
	updates := ledger.Table{Name: "进展", Columns: []ledger.Column{{Header: "时间", Width: 17}, {Header: "进度", Width: 8},
		{Header: "内容", Width: 40}, {Header: "照片", Width: 6}}}
	list, err := c.Tx.ProjectUpdates(p.ID)
	if err != nil {
		return err
	}
	for _, u := range list {
		photo := ""
		if u.BlobID != 0 {
			photo = "有"
		}
		updates.Rows = append(updates.Rows, []any{u.CreatedAt.In(loc), fmt.Sprintf("%d%%", u.Progress), u.Text, photo})
	}
	reviews := ledger.Table{Name: "评议", Columns: []ledger.Column{{Header: "时间", Width: 17}, {Header: "评价", Width: 10},
		{Header: "意见", Width: 40}}}
	all, err := c.Tx.ProjectReviews(p.ID)
	if err != nil {
		return err
	}
	for _, r := range all {
		reviews.Rows = append(reviews.Rows, []any{r.At.In(loc), word(prompts.RequestsRatingName, r.Rating), r.Note})
	}
	var buf bytes.Buffer
	if err := ledger.WriteTables(&buf, overview, milestones, updates, reviews); err != nil {
		return err
	}
	name := fmt.Sprintf("项目-%s.xlsx", v.Ref)
	blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile, Name: name,
		MIME: ledger.MIME, Data: buf.Bytes()})
	if err != nil {
		return err
	}
	return requests.Deliver(c, bot.Post{Template: prompts.ProjectExport, BlobID: blob,
		Data: map[string]any{"Ref": v.Ref, "Title": p.Title, "Name": name}}, prompts.ExportSentPrivately)
}
