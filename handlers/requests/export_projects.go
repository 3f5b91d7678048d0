package requests

import (
	"fmt"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// projectsTable is the 项目 sheet of "#导出 统计": every project that was under
// way at some time in [from, to) — created before its end and not finished
// (评议 closed) before its start — with its progress and 评议 figures.
func projectsTable(c *bot.Context, dir *directory, from, to time.Time) (ledger.Table, error) {
	t := ledger.Table{Name: "项目", Columns: []ledger.Column{{Header: "编号", Width: 6}, {Header: "项目", Width: 20},
		{Header: "负责部门", Width: 12}, {Header: "地点", Width: 12}, {Header: "预算", Width: 10}, {Header: "状态", Width: 8},
		{Header: "进度", Width: 6}, {Header: "里程碑", Width: 8}, {Header: "预计完工", Width: 17}, {Header: "完工", Width: 17},
		{Header: "评议人数", Width: 8}, {Header: "满意", Width: 6}, {Header: "基本满意", Width: 8}, {Header: "不满意", Width: 6},
		{Header: "满意率", Width: 8}}}
	list, err := c.Tx.Projects(c.Community.ID)
	if err != nil {
		return t, err
	}
	date := func(at time.Time) any {
		if at.IsZero() {
			return ""
		}
		return at.In(dir.loc)
	}
	for _, p := range list {
		if !p.CreatedAt.Before(to) || (p.State == storage.ProjectDone && p.ReviewClosedAt.Before(from)) {
			continue
		}
		state, err := c.Outbox.Render(c.Lang, prompts.ProjectStateName, p.State)
		if err != nil {
			return t, err
		}
		done := 0
		for _, m := range p.Milestones {
			if m.Done() {
				done++
			}
		}
		r, err := c.Tx.ProjectRatings(p.ID)
		if err != nil {
			return t, err
		}
		t.Rows = append(t.Rows, []any{bot.FormatRef(projectRefPrefix, p.ID), p.Title, dir.department(p.DepartmentID).Name,
			p.Place, p.Budget, state, fmt.Sprintf("%d%%", p.Progress), fmt.Sprintf("%d/%d", done, len(p.Milestones)),
			date(p.DueAt), date(p.CompletedAt), r.Rated(), r.Satisfied, r.Basic, r.Unsatisfied, prompts.Percent(r.Good(), r.Rated())})
	}
	return t, nil
}
