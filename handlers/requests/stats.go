package requests

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/when"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Count is one row of a breakdown.
type Count struct {
	Key, Name string
	N         int
}

// DepartmentStats is the satisfaction of one department's rated tickets.
type DepartmentStats struct {
	Name string
	storage.Ratings
}

// Stats summarise the requests created in a period.
type Stats struct {
	Period                        string // week, month, year, range
	From, To                      string // dates, To inclusive
	Total                         int
	ByKind, ByCategory, ByState   []Count
	Rated, Good                   int // final satisfaction; Good = satisfied + basic
	Satisfied, Basic, Unsatisfied int
	FirstRated, FirstGood         int // first-time satisfaction (see addSatisfaction)
	Departments                   []DepartmentStats
	Comments                      int    // ratings with an improvement comment
	Resolved                      int    // requests with a resolution time
	MedianHours                   string // median time from report to resolution, "" when none
	Overdue                       int
	Rates                         RateReport     // the 三率 of the period (rates.go)
	Projects                      []ProjectStats // 评议 of the projects completed in the period
}

// ProjectStats is the 评议 of one project: the same 满意率 as requests
// (storage.Ratings: satisfied and basically satisfied over all ratings).
type ProjectStats struct {
	Ref, Title   string
	Open         bool // the 评议 still runs
	Rated, Good  int
	PerHousehold bool
}

// projectRefPrefix is handlers/projects.RefPrefix (that package imports this one).
const projectRefPrefix = "J"

// projectStats reads the 评议 of the projects completed in [from, to).
func projectStats(tx *storage.Tx, communityID int64, from, to time.Time) ([]ProjectStats, error) {
	list, err := tx.ProjectReviewSummaries(communityID, from, to)
	var out []ProjectStats
	for _, p := range list {
		out = append(out, ProjectStats{Ref: bot.FormatRef(projectRefPrefix, p.ID), Title: p.Title,
			Open: p.State == storage.ProjectReviewing, Rated: p.Rated(), Good: p.Good(), PerHousehold: p.PerHousehold})
	}
	return out, err
}

// computeStats summarises requests as of now.
func computeStats(list []storage.Request, now time.Time, dir *directory) Stats {
	var s Stats
	kinds, cats, states := map[string]int{}, map[string]int{}, map[string]int{}
	depts := map[int64]*DepartmentStats{}
	var hours []float64
	for _, r := range list {
		s.Total++
		kinds[r.Kind]++
		cats[r.Category]++
		states[storage.DisplayState(r.Kind, r.State)]++
		if storage.IsOpen(r.Kind, r.State) && !r.StageDueAt.IsZero() && r.StageDueAt.Before(now) {
			s.Overdue++
		}
		if !r.ResolvedAt.IsZero() {
			s.Resolved++
			hours = append(hours, r.ResolvedAt.Sub(r.CreatedAt).Hours())
		}
		if r.Rating == "" {
			continue
		}
		if r.RatingNote != "" {
			s.Comments++
		}
		var d *DepartmentStats
		if r.DepartmentID != 0 {
			if d = depts[r.DepartmentID]; d == nil {
				d = &DepartmentStats{Name: dir.department(r.DepartmentID).Name}
				depts[r.DepartmentID] = d
			}
			d.Add(r.Rating)
		}
		// The community's totals come from the whole rating history (addSatisfaction).
	}
	for _, k := range storage.Kinds() {
		if kinds[k] > 0 {
			s.ByKind = append(s.ByKind, Count{Key: k, N: kinds[k]})
		}
	}
	for _, st := range storage.DisplayStates() {
		if states[st] > 0 {
			s.ByState = append(s.ByState, Count{Key: st, N: states[st]})
		}
	}
	for k, n := range cats {
		s.ByCategory = append(s.ByCategory, Count{Key: k, Name: dir.categoryName(k), N: n})
	}
	sort.Slice(s.ByCategory, func(i, j int) bool {
		a, b := s.ByCategory[i], s.ByCategory[j]
		if a.N != b.N {
			return a.N > b.N
		}
		return a.Key < b.Key
	})
	for _, dep := range dir.departments {
		if d := depts[dep.ID]; d != nil {
			s.Departments = append(s.Departments, *d)
		}
	}
	if len(hours) > 0 {
		slices.Sort(hours)
		m := hours[len(hours)/2]
		if len(hours)%2 == 0 {
			m = (hours[len(hours)/2-1] + m) / 2
		}
		s.MedianHours = fmt.Sprintf("%.1f", m)
	}
	return s
}

// period reads 本周|本月|今年|FROM..TO (dates, TO inclusive) and the periods of
// when.Period (上个月, 本季度, 2026年11月, 近30天 …) in loc; empty means this year.
func period(arg string, now time.Time, loc *time.Location) (name string, from, to time.Time, ok bool) {
	now = now.In(loc)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "本周", "this week", "week":
		from = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		return "week", from, from.AddDate(0, 0, 7), true
	case "本月", "this month", "month":
		from = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
		return "month", from, from.AddDate(0, 1, 0), true
	case "", "今年", "本年", "this year", "year":
		from = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, loc)
		return "year", from, from.AddDate(1, 0, 0), true
	}
	a, b, found := strings.Cut(strings.ReplaceAll(arg, " ", ""), "..")
	if !found {
		a, b, found = strings.Cut(strings.ReplaceAll(arg, " ", ""), "~")
	}
	if !found {
		// 上个月, 本季度, 2026年11月, 11月, 近30天 …
		span, ok := when.Period(arg, now, loc)
		return span.Name, span.From, span.To, ok
	}
	f, err1 := time.ParseInLocation("2006-01-02", a, loc)
	t, err2 := time.ParseInLocation("2006-01-02", b, loc)
	if err1 != nil || err2 != nil || t.Before(f) {
		return "", from, to, false
	}
	return "range", f, t.AddDate(0, 0, 1), true
}

// Stats answers #统计 [本周|本月|今年|2026-01-01..2026-06-30], and
// #统计 图表 [PERIOD] with pictures (charts.go).
func (h *Handlers) Stats(c *bot.Context) error {
	if word, rest, _ := strings.Cut(strings.TrimSpace(c.Args), " "); word == "图表" || strings.EqualFold(word, "chart") {
		return h.statsChart(c, strings.TrimSpace(rest))
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	name, from, to, ok := period(c.Args, c.Now(), dir.loc)
	if !ok {
		return bot.Refuse(prompts.RequestsStatsUsage, nil)
	}
	s, err := statsFor(c.Tx, dir, from, to)
	if err != nil {
		return err
	}
	s.Rates, err = computeRates(c.Tx, dir, &h.Config, from, to)
	if err != nil {
		return err
	}
	if s.Projects, err = projectStats(c.Tx, c.Community.ID, from, to); err != nil {
		return err
	}
	s.Period = name
	return c.Reply(prompts.RequestsStats, s)
}

// statsFor computes the statistics of requests created in [from, to).
func statsFor(tx *storage.Tx, dir *directory, from, to time.Time) (Stats, error) {
	list, err := tx.FindRequests(storage.RequestFilter{CommunityID: dir.communityID, From: from, To: to})
	if err != nil {
		return Stats{}, err
	}
	s := computeStats(list, tx.Now, dir)
	if err := s.addSatisfaction(tx, dir.communityID, list, tx.Now); err != nil {
		return Stats{}, err
	}
	s.From, s.To = from.In(dir.loc).Format("2006-01-02"), to.In(dir.loc).AddDate(0, 0, -1).Format("2006-01-02")
	return s, nil
}
