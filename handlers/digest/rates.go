package digest

import (
	"time"

	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/storage"
)

// RatesFunc reads a community's 三率 of each period: requests.Jobs.Rates, the
// one definition (the digest never computes a rate of its own).
type RatesFunc func(tx *storage.Tx, cm storage.Community, periods ...requests.Period) ([]requests.RateReport, error)

// RateLine is one unit's 三率 yesterday and this month, side by side: one
// short line on a phone.
type RateLine struct {
	Name       string // "" for the community and the urgent tickets
	Urgent     bool   // the tickets flagged 紧急, counted again on their own
	Day, Month requests.Rates
}

// rateLines reads yesterday's and this month's 三率 for the community, the
// urgent tickets and each department; nil when neither period has a figure.
func (d *Digests) rateLines(tx *storage.Tx, cm storage.Community, now time.Time) ([]RateLine, bool, error) {
	if d.Rates == nil {
		return nil, false, nil
	}
	local := now.In(location(cm))
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	monthStart := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, local.Location())
	// Together: the open tickets are counted once for both.
	both, err := d.Rates(tx, cm, requests.Period{From: today.AddDate(0, 0, -1), To: today}, requests.Period{From: monthStart, To: now})
	if err != nil {
		return nil, false, err
	}
	day, month := both[0], both[1]
	if !day.Community.Any() && !month.Community.Any() {
		return nil, false, nil
	}
	out := []RateLine{{Day: day.Community, Month: month.Community}}
	if day.Urgent.Any() || month.Urgent.Any() {
		out = append(out, RateLine{Urgent: true, Day: day.Urgent, Month: month.Urgent})
	}
	// Departments in configured order: the month's list, then any only yesterday had.
	index := map[string]int{}
	for _, list := range [][]requests.Rates{month.Departments, day.Departments} {
		for _, r := range list {
			if _, ok := index[r.Name]; !ok {
				index[r.Name] = len(out)
				out = append(out, RateLine{Name: r.Name})
			}
		}
	}
	for _, r := range month.Departments {
		out[index[r.Name]].Month = r
	}
	for _, r := range day.Departments {
		out[index[r.Name]].Day = r
	}
	return out, day.Community.Any(), nil
}
