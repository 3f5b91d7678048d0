package requests

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// monthlyView is what the monthly summary shows.
type monthlyView struct {
	Community string
	Month     int
	Rates     RateReport
	Months    int             // VisitEveryMonths
	Unvisited []unvisitedGrid // households not visited for Months months, per grid and its workers
}

// MonthlySummary posts the previous month's 三率 to every community's staff
// groups with a chart of the year's satisfaction and the departments' 三率
// (the job runs on the 1st at 09:00; a month without figures posts
// nothing), in the seed's shape: 本月派发服务
// 36 项，评定满意率 98%，收集改进意见 8 项. A rerun posts nothing (dedupe keys).
func (j *Jobs) MonthlySummary(ctx context.Context, now time.Time) error {
	return j.eachCommunity(ctx, now, "monthly summary", j.monthly)
}

func (j *Jobs) monthly(tx *storage.Tx, cm storage.Community, now time.Time) error {
	dir, err := newDirectory(tx, cm, j.Classifier)
	if err != nil {
		return err
	}
	local := now.In(dir.loc)
	to := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, dir.loc)
	from := to.AddDate(0, -1, 0)
	rates, err := computeRates(tx, dir, &j.Config, from, to)
	if err != nil {
		return err
	}
	months := j.Config.Workflow.VisitEveryMonths
	unvisited, err := unvisitedByGrid(tx, dir, months, to)
	if err != nil {
		return err
	}
	if !rates.Any() && len(unvisited) == 0 {
		return nil // a quiet month: nothing to report
	}
	staff, err := tx.Groups(cm.ID, storage.GroupStaff)
	if err != nil {
		return err
	}
	if len(staff) == 0 {
		return nil
	}
	if done, err := tx.Enqueued(monthlyKey(cm, from, 0)); done || err != nil {
		return err // posted before a restart: no picture to draw again
	}
	// One picture for every staff group: the year's satisfaction and the month's
	// 三率 by department (none in a month without service figures).
	var blob int64
	if rates.Any() {
		if blob, err = rateCharts(tx, j.Outbox, j.Outbox.DefaultLang, dir, &j.Config, cm, from, to, rates); err != nil {
			return err
		}
	}
	v := monthlyView{Community: cm.Name, Month: int(from.Month()), Rates: rates, Months: months, Unvisited: unvisited}
	for i, g := range staff {
		err := j.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.WorkflowMonthly, Data: v, BlobID: blob, DedupeKey: monthlyKey(cm, from, i)})
		if err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	return nil
}

// monthlyKey is the dedupe key of a month's summary in the i-th staff group.
func monthlyKey(cm storage.Community, month time.Time, i int) string {
	return fmt.Sprintf("monthly:%d:%s:%d", cm.ID, month.Format("2006-01"), i)
}

// Rates reads a community's 三率 of each period as of the transaction's time,
// by the one definition in rates.go: the daily digest shows them too
// (yesterday and this month, read together).
func (j *Jobs) Rates(tx *storage.Tx, cm storage.Community, periods ...Period) ([]RateReport, error) {
	dir, err := newDirectory(tx, cm, j.Classifier)
	if err != nil {
		return nil, err
	}
	return computeRatesOf(tx, dir, &j.Config, periods...)
}
