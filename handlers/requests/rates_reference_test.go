package requests

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// refUnits (the old rateUnits) accumulates figures per unit, counting each ticket once per unit and measure.
type refUnits struct {
	dir        *directory
	community  Rates
	urgent     Rates
	department map[int64]*Rates
	grid       map[string]*Rates
	seen       map[string]bool
}

// add applies f to the community, the department (0: none) and the grid of r's building.
func (u *refUnits) add(measure string, r storage.Request, department int64, f func(*Rates)) {
	once := func(unit string, x *Rates) {
		key := measure + "|" + unit + "|" + Ref(r.Kind, r.ID)
		if measure != "dispatch" && u.seen[key] { // dispatches count each time
			return
		}
		u.seen[key] = true
		f(x)
	}
	once("c", &u.community)
	if r.Urgent {
		once("u", &u.urgent)
	}
	if department != 0 {
		d := u.department[department]
		if d == nil {
			d = &Rates{Name: u.dir.department(department).Name}
			u.department[department] = d
		}
		once("d"+d.Name, d)
	}
	if g := u.dir.building(r.BuildingID).Grid; g != "" {
		x := u.grid[g]
		if x == nil {
			x = &Rates{Name: g}
			u.grid[g] = x
		}
		once("g"+g, x)
	}
}

// computeRatesPerTicket is the 三率 as computed before storage/rates.go: one query per dispatched ticket, kept to prove the new computation equal. It reads the 三率 of [from, to) as of the transaction's time.
func computeRatesPerTicket(tx *storage.Tx, dir *directory, cfg *Config, from, to time.Time) (RateReport, error) {
	u := &refUnits{dir: dir, department: map[int64]*Rates{}, grid: map[string]*Rates{}, seen: map[string]bool{}}
	cache := map[int64]storage.Request{}
	load := func(id int64) (storage.Request, error) {
		if r, ok := cache[id]; ok {
			return r, nil
		}
		r, err := tx.FindRequest(dir.communityID, id)
		cache[id] = r
		return r, err
	}
	cal := cfg.calendar()

	dispatches, err := tx.FindEvents(dir.communityID, ActDispatch, from, to)
	if err != nil {
		return RateReport{}, err
	}
	for _, e := range dispatches {
		r, err := load(e.RequestID)
		if err != nil {
			return RateReport{}, err
		}
		events, err := tx.RequestEvents(r.ID)
		if err != nil {
			return RateReport{}, err
		}
		due := cfg.limit(r, storage.StateDispatched).After(e.CreatedAt.In(dir.loc), cal)
		inTime, decided := respondedInTime(events, e, due)
		dep := e.DepartmentID
		u.add("served", r, dep, func(x *Rates) { x.Served++ })
		if !decided && (due.IsZero() || tx.Now.Before(due)) {
			continue // still within its limit: neither in time nor late yet
		}
		u.add("dispatch", r, dep, func(x *Rates) {
			x.Dispatched++
			if inTime {
				x.InTime++
			}
		})
	}

	returns, err := tx.FindEvents(dir.communityID, ActReturn, from, to)
	if err != nil {
		return RateReport{}, err
	}
	for _, e := range returns {
		r, err := load(e.RequestID)
		if err != nil {
			return RateReport{}, err
		}
		u.add("dispatch", r, e.DepartmentID, func(x *Rates) { x.Returned++ })
	}

	resolves, err := tx.FindEvents(dir.communityID, ActResolve, from, to)
	if err != nil {
		return RateReport{}, err
	}
	for _, e := range resolves {
		r, err := load(e.RequestID)
		if err != nil {
			return RateReport{}, err
		}
		solved := r.State == storage.StateResolved || r.State == storage.StateClosed
		u.add("due", r, r.DepartmentID, func(x *Rates) {
			x.Due++
			if solved {
				x.Solved++
			}
		})
	}
	end := to
	if tx.Now.Before(end) {
		end = tx.Now
	}
	late, err := tx.FindRequests(storage.RequestFilter{CommunityID: dir.communityID, Kinds: []string{storage.KindRepair, storage.KindComplaint},
		States: storage.OpenStates(storage.KindRepair), DueBefore: end, To: to})
	if err != nil {
		return RateReport{}, err
	}
	for _, r := range late {
		dep := int64(0)
		if heldByDepartment(r) {
			dep = r.DepartmentID
		}
		u.add("due", r, dep, func(x *Rates) { x.Due++ })
	}

	for _, action := range []string{ActRate, ActCallback} {
		rated, err := tx.FindEvents(dir.communityID, action, from, to)
		if err != nil {
			return RateReport{}, err
		}
		for _, e := range rated {
			r, err := load(e.RequestID)
			if err != nil {
				return RateReport{}, err
			}
			dep := r.DepartmentID
			if r.DuplicateOf != 0 { // a follower's rating of the ticket it was merged into
				orig, err := load(r.DuplicateOf)
				if err != nil {
					return RateReport{}, err
				}
				dep = orig.DepartmentID
			}
			u.add("rating", r, dep, func(x *Rates) {
				x.Add(r.Rating)
				if r.RatingNote != "" {
					x.Comments++
				}
			})
		}
	}

	// The listing of units is rates.go's: only the figures are compared.
	return (&rateUnits{dir: dir, community: u.community, urgent: u.urgent, department: u.department, grid: u.grid}).report(tx, from, to)
}

// respondedInTime reports whether the dispatch was followed, before anything
// else moved the ticket, by its acceptance (or resolution) no later than due;
// decided is false while nothing has followed it.
func respondedInTime(events []storage.RequestEvent, dispatch storage.RequestEvent, due time.Time) (inTime, decided bool) {
	for _, e := range events {
		if e.ID <= dispatch.ID {
			continue
		}
		switch e.Action {
		case ActAccept, ActResolve:
			return due.IsZero() || !e.CreatedAt.After(due), true
		case ActDispatch, ActReturn, ActReject, ActCancel, ActDuplicate:
			return false, true
		}
	}
	return false, false
}
