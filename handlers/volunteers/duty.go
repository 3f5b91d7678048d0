package volunteers

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// Duty is one roster's occurrence on one day: when, and who is on it.
type Duty struct {
	Roster     storage.Roster
	Day        string // yyyy-mm-dd
	Start, End time.Time
	People     []storage.VolMember
}

// dutyOn is a roster's duty on the day of t (in loc), or false when the
// roster has no duty that weekday. Who is on it: the team's members (not
// those asking to join) free that weekday; with per_shift n, n of them in
// turn, counting duty days from the roster's epoch; then agreed swaps.
func dutyOn(tx *storage.Tx, r storage.Roster, t time.Time, loc *time.Location) (Duty, bool, error) {
	local := t.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	if !onWeekday(r.Days, day.Weekday()) {
		return Duty{}, false, nil
	}
	d := Duty{Roster: r, Day: day.Format(time.DateOnly),
		Start: day.Add(time.Duration(r.StartMin) * time.Minute), End: day.Add(time.Duration(r.EndMin) * time.Minute)}
	members, err := tx.TeamMembers(r.TeamID)
	if err != nil {
		return d, false, err
	}
	var free []storage.VolMember
	for _, m := range members {
		if m.Status != storage.VolStatusPending && (m.Days == "" || onWeekday(m.Days, day.Weekday())) {
			free = append(free, m)
		}
	}
	if r.PerShift > 0 && len(free) > r.PerShift {
		k := dutyDaysSince(r, day, loc)
		var turn []storage.VolMember
		for i := range r.PerShift {
			turn = append(turn, free[(k*r.PerShift+i)%len(free)])
		}
		free = turn
	}
	swaps, err := tx.AgreedSwaps(r.ID, d.Day)
	if err != nil {
		return d, false, err
	}
	for _, s := range swaps {
		i := slices.IndexFunc(free, func(m storage.VolMember) bool { return m.PersonID == s.FromID })
		if i < 0 {
			continue
		}
		to := slices.IndexFunc(members, func(m storage.VolMember) bool { return m.PersonID == s.ToID })
		if to < 0 || slices.ContainsFunc(free, func(m storage.VolMember) bool { return m.PersonID == s.ToID }) {
			free = slices.Delete(free, i, i+1) // already on duty: the giver is simply off
			continue
		}
		free[i] = members[to]
	}
	d.People = free
	return d, true, nil
}

// onWeekday reports whether days ("1,3,5", Monday = 1) include wd.
func onWeekday(days string, wd time.Weekday) bool {
	n := int(wd)
	if n == 0 {
		n = 7
	}
	return slices.Contains(strings.Split(days, ","), strconv.Itoa(n))
}

// dutyDaysSince counts the roster's duty days from its epoch up to day (not
// included): the turn of a rotation.
func dutyDaysSince(r storage.Roster, day time.Time, loc *time.Location) int {
	epoch, err := time.ParseInLocation(time.DateOnly, r.Epoch, loc)
	if err != nil || !epoch.Before(day) {
		return 0
	}
	k := 0
	for d := epoch; d.Before(day); d = d.AddDate(0, 0, 1) {
		if onWeekday(r.Days, d.Weekday()) {
			k++
		}
	}
	return k
}

// dutiesOf lists the duties a person has on the day of t, across the community's rosters.
func dutiesOf(tx *storage.Tx, communityID, personID int64, t time.Time, loc *time.Location) ([]Duty, error) {
	rosters, err := tx.Rosters(communityID)
	if err != nil {
		return nil, err
	}
	var out []Duty
	for _, r := range rosters {
		d, ok, err := dutyOn(tx, r, t, loc)
		if err != nil {
			return nil, err
		}
		if ok && slices.ContainsFunc(d.People, func(m storage.VolMember) bool { return m.PersonID == personID }) {
			out = append(out, d)
		}
	}
	return out, nil
}
