package requests

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// The 三率 offices are ranked on, defined once here (and in docs/workflow.md),
// for a unit (the community, a department, a grid) over a period [from, to):
//
//   - 响应率 (response) = dispatches in the period accepted (or resolved)
//     within the acceptance limit in force when dispatched / dispatches in the
//     period. A dispatch handed back, moved or closed before acceptance is not
//     in time; one still waiting within its limit is not counted yet. The
//     department is the one dispatched to.
//   - 解决率 (resolution) = tickets resolved in the period and not reopened
//     since / tickets due in the period: resolved in it, or still open past
//     their deadline at its end.
//   - 满意率 (satisfaction) = storage.Ratings (the vocabulary's one
//     satisfaction function) over the tickets rated in the period, by the
//     reporter or by staff on a call-back.
//
// A grid's figures are those of tickets in its buildings; the urgent tickets
// (紧急) are counted again as a unit of their own.

// Rates are one unit's 三率 and what they are made of.
type Rates struct {
	Name               string
	Served             int // distinct tickets dispatched in the period (派发服务)
	Dispatched, InTime int // 响应率 = InTime / Dispatched
	Due, Solved        int // 解决率 = Solved / Due
	storage.Ratings        // 满意率 = Good() / Rated()
	Comments           int // ratings with an improvement comment (改进意见)
	Returned           int // hand-backs (退单) by a department
}

// Any reports whether the unit has any figure: a quiet period shows no 三率.
func (r Rates) Any() bool { return r.Dispatched > 0 || r.Due > 0 || r.Rated() > 0 || r.Returned > 0 }

// RateReport is the 三率 of a community, its departments and its grids.
type RateReport struct {
	Community   Rates
	Urgent      Rates   // the tickets flagged 紧急, counted again on their own
	Departments []Rates // in configured order, those with any figure
	Grids       []Rates
	Visits      []storage.VisitCount // grid workers' visits and patrols (visits.go), by name
}

// Any reports whether the period has any figure.
func (r RateReport) Any() bool { return r.Community.Any() || len(r.Visits) > 0 }

// rateUnits accumulates figures per unit, counting each ticket once per unit and measure.
type rateUnits struct {
	dir        *directory
	community  Rates
	urgent     Rates
	department map[int64]*Rates
	grid       map[string]*Rates
	seen       map[string]bool
}

// unit is one of the units a ticket counts in, with its key for seen.
type unit struct {
	key string
	*Rates
}

// of lists the units of a ticket: the community, the urgent tickets if it is
// one, the department (0: none) and the grid of its building.
func (u *rateUnits) of(urgent bool, building, department int64) []unit {
	out := []unit{{"c", &u.community}}
	if urgent {
		out = append(out, unit{"u", &u.urgent})
	}
	if department != 0 {
		d := u.department[department]
		if d == nil {
			d = &Rates{Name: u.dir.department(department).Name}
			u.department[department] = d
		}
		out = append(out, unit{"d" + d.Name, d})
	}
	if g := u.dir.building(building).Grid; g != "" {
		x := u.grid[g]
		if x == nil {
			x = &Rates{Name: g}
			u.grid[g] = x
		}
		out = append(out, unit{"g" + g, x})
	}
	return out
}

// once applies f to each unit that has not yet counted the ticket for measure.
func (u *rateUnits) once(measure, ticket string, units []unit, f func(*Rates)) {
	for _, x := range units {
		key := measure + "|" + x.key + "|" + ticket
		if !u.seen[key] {
			u.seen[key] = true
			f(x.Rates)
		}
	}
}

// each applies f to every unit: for figures that count every event, or
// groups of tickets the database has already counted once.
func each(units []unit, f func(*Rates)) {
	for _, x := range units {
		f(x.Rates)
	}
}

// deciding are the actions that end a dispatch's wait for acceptance: in time
// if it is accepted (or resolved) first, late if anything else moves it.
var deciding = []string{ActAccept, ActResolve, ActDispatch, ActReturn, ActReject, ActCancel, ActDuplicate}

// Period is a window [From, To) of the 三率.
type Period struct{ From, To time.Time }

// computeRates reads the 三率 of [from, to) as of the transaction's time, in
// six statements whatever the history's size (storage/rates.go).
func computeRates(tx *storage.Tx, dir *directory, cfg *Config, from, to time.Time) (RateReport, error) {
	out, err := computeRatesOf(tx, dir, cfg, Period{from, to})
	if err != nil {
		return RateReport{}, err
	}
	return out[0], nil
}

// computeRatesOf is computeRates for several periods at once: the tickets due
// in each are counted by one statement, which reads the open tickets once.
func computeRatesOf(tx *storage.Tx, dir *directory, cfg *Config, periods ...Period) ([]RateReport, error) {
	windows := make([]storage.Period, len(periods))
	for i, p := range periods {
		end := p.To
		if tx.Now.Before(end) {
			end = tx.Now
		}
		windows[i] = storage.Period{From: p.From, To: p.To, End: end}
	}
	due, err := tx.CountDue(dir.communityID, windows...)
	if err != nil {
		return nil, err
	}
	out := make([]RateReport, len(periods))
	for i, p := range periods {
		if out[i], err = ratesOf(tx, dir, cfg, p.From, p.To, due[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ratesOf reads the 三率 of [from, to) given its tickets due.
func ratesOf(tx *storage.Tx, dir *directory, cfg *Config, from, to time.Time, due []storage.RateGroup) (RateReport, error) {
	u := &rateUnits{dir: dir, department: map[int64]*Rates{}, grid: map[string]*Rates{}, seen: map[string]bool{}}
	cal := cfg.calendar()

	dispatches, err := tx.WindowEvents(dir.communityID, ActDispatch, from, to, deciding...)
	if err != nil {
		return RateReport{}, err
	}
	for _, e := range dispatches {
		r := storage.Request{ID: e.RequestID, Kind: e.Kind, Category: e.Category, Urgent: e.Urgent, BuildingID: e.BuildingID}
		units := u.of(e.Urgent, e.BuildingID, e.DepartmentID)
		u.once("served", Ref(r.Kind, r.ID), units, func(x *Rates) { x.Served++ })
		due := cfg.limit(r, storage.StateDispatched).After(e.At.In(dir.loc), cal)
		decided := e.NextAction != ""
		if !decided && (due.IsZero() || tx.Now.Before(due)) {
			continue // still within its limit: neither in time nor late yet
		}
		inTime := (e.NextAction == ActAccept || e.NextAction == ActResolve) && (due.IsZero() || !e.NextAt.After(due))
		each(units, func(x *Rates) {
			x.Dispatched++
			if inTime {
				x.InTime++
			}
		})
	}

	returns, err := tx.WindowEvents(dir.communityID, ActReturn, from, to)
	if err != nil {
		return RateReport{}, err
	}
	for _, e := range returns {
		each(u.of(e.Urgent, e.BuildingID, e.DepartmentID), func(x *Rates) { x.Returned++ })
	}

	for _, g := range due {
		each(u.of(g.Urgent, g.BuildingID, g.DepartmentID), func(x *Rates) { x.Due += g.N; x.Solved += g.Solved })
	}
	rated, err := tx.CountRated(dir.communityID, from, to)
	if err != nil {
		return RateReport{}, err
	}
	for _, g := range rated {
		each(u.of(g.Urgent, g.BuildingID, g.DepartmentID), func(x *Rates) {
			x.Satisfied += g.Satisfied
			x.Basic += g.Basic
			x.Unsatisfied += g.Unsatisfied
			x.Comments += g.Comments
		})
	}
	return u.report(tx, from, to)
}

// report lists the units with figures: departments in configured order, the
// grids with their names, and the grid workers' visits.
func (u *rateUnits) report(tx *storage.Tx, from, to time.Time) (RateReport, error) {
	dir := u.dir
	out := RateReport{Community: u.community, Urgent: u.urgent}
	for _, dep := range dir.departments {
		if d := u.department[dep.ID]; d != nil {
			out.Departments = append(out.Departments, *d)
		}
	}
	var err error
	if out.Visits, err = tx.CountVisits(dir.communityID, from, to); err != nil {
		return RateReport{}, err
	}
	grids, err := tx.Grids(dir.communityID)
	if err != nil {
		return RateReport{}, err
	}
	for _, g := range grids {
		if x := u.grid[g.Key]; x != nil {
			x.Name = g.Name
			out.Grids = append(out.Grids, *x)
		}
	}
	return out, nil
}
