package requests

import (
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/chart"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// trendMonths is how many months the satisfaction chart shows.
const trendMonths = 12

// chartView is what the chart titles render.
type chartView struct {
	Community  string
	Months     int
	FirstMonth string // "2025-12"
	LastMonth  string // "2026-11"
	Rated      int    // ratings in the months shown
	From, To   string // the departments' period, To inclusive
	Nothing    bool   // nothing to draw
}

// percentOr is part/whole in percent, chart.Missing when whole is 0: a month
// nobody rated has no bar, which is not a bar of 0%.
func percentOr(part, whole int) float64 {
	if whole == 0 {
		return chart.Missing
	}
	return 100 * float64(part) / float64(whole)
}

// rateCharts draws the 满意率 of each of the trendMonths months up to the
// month holding the last day of [from, to), and the 三率 of each department in
// [from, to), one under the other; every figure is computeRates', the one
// definition. It stores the picture and returns its id; 0 when there is
// nothing to draw.
func rateCharts(tx *storage.Tx, out *bot.Outbox, lang string, dir *directory, cfg *Config, cm storage.Community,
	from, to time.Time, period RateReport) (int64, error) {
	last := to.Add(-time.Second).In(dir.loc)
	end := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, dir.loc)
	start := end.AddDate(0, -trendMonths, 0)
	v := chartView{Community: cm.Name, Months: trendMonths, FirstMonth: start.Format("2006-01"), LastMonth: last.Format("2006-01"),
		From: from.In(dir.loc).Format("2006-01-02"), To: last.Format("2006-01-02")}
	render := func(name string, data any) string {
		s, err := out.Render(lang, name, data)
		if err != nil {
			return name
		}
		return s
	}
	var labels []string
	var values []float64
	anyRated := false
	for m := start; m.Before(end); m = m.AddDate(0, 1, 0) {
		r, err := computeRates(tx, dir, cfg, m, m.AddDate(0, 1, 0))
		if err != nil {
			return 0, err
		}
		labels = append(labels, render(prompts.ChartMonth, int(m.Month())))
		values = append(values, percentOr(r.Community.Good(), r.Community.Rated()))
		v.Rated += r.Community.Rated()
		anyRated = anyRated || r.Community.Rated() > 0
	}
	var pictures [][]byte
	if anyRated {
		png, err := chart.Columns(render(prompts.ChartTrendTitle, v), render(prompts.ChartTrendSubtitle, v), labels,
			[]chart.Series{{Name: render(prompts.ChartSatisfaction, nil), Values: values}}, 100, "%")
		if err != nil {
			return 0, err
		}
		pictures = append(pictures, png)
	}
	if len(period.Departments) > 0 {
		names := make([]string, len(period.Departments))
		series := []chart.Series{{Name: render(prompts.ChartResponse, nil)}, {Name: render(prompts.ChartResolution, nil)},
			{Name: render(prompts.ChartSatisfaction, nil)}}
		for i, d := range period.Departments {
			names[i] = d.Name
			series[0].Values = append(series[0].Values, percentOr(d.InTime, d.Dispatched))
			series[1].Values = append(series[1].Values, percentOr(d.Solved, d.Due))
			series[2].Values = append(series[2].Values, percentOr(d.Good(), d.Rated()))
		}
		png, err := chart.Columns(render(prompts.ChartDepartmentsTitle, v), render(prompts.ChartDepartmentsSubtitle, v), names, series, 100, "%")
		if err != nil {
			return 0, err
		}
		pictures = append(pictures, png)
	}
	if len(pictures) == 0 {
		return 0, nil
	}
	png, err := chart.Stack(pictures...)
	if err != nil {
		return 0, err
	}
	return tx.CreateBlob(storage.Blob{CommunityID: cm.ID, Kind: storage.BlobImage, Name: "三率-" + v.LastMonth + ".png",
		MIME: "image/png", Data: png})
}

// statsChart answers #统计 图表 [PERIOD] (staff): the satisfaction of the last
// twelve months and the departments' 三率 in the period (default this month),
// as a picture, into the staff group it was asked in or privately.
func (h *Handlers) statsChart(c *bot.Context, arg string) error {
	if !c.Person.IsStaff() {
		who, err := c.Outbox.Render(c.Lang, "role.staff", nil)
		if err != nil {
			return err
		}
		return bot.Refuse(prompts.Forbidden, map[string]string{"Command": "统计 图表", "Who": who})
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	if arg == "" {
		arg = "本月"
	}
	_, from, to, ok := period(arg, c.Now(), dir.loc)
	if !ok {
		return bot.Refuse(prompts.RequestsStatsUsage, nil)
	}
	rates, err := computeRates(c.Tx, dir, &h.Config, from, to)
	if err != nil {
		return err
	}
	blob, err := rateCharts(c.Tx, c.Outbox, c.Lang, dir, &h.Config, c.Community, from, to, rates)
	if err != nil {
		return err
	}
	v := chartView{Community: c.Community.Name, Months: trendMonths, From: from.In(dir.loc).Format("2006-01-02"),
		To: to.Add(-time.Second).In(dir.loc).Format("2006-01-02"), Nothing: blob == 0}
	if blob == 0 {
		return c.Reply(prompts.ChartCaption, v)
	}
	return Deliver(c, bot.Post{Template: prompts.ChartCaption, Data: v, BlobID: blob}, prompts.ChartSentPrivately)
}
