package volunteers

import (
	"fmt"
	"sort"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// served is the minutes a signed-in shift counts: as signed out; a shift
// never signed out counts to its scheduled end once that has passed (people
// forget 签退; the roster says when duty ended), and nothing while it lasts.
func served(s storage.ServedShift, loc *time.Location, now time.Time) int {
	if !s.CheckOut.IsZero() {
		return s.Minutes
	}
	day, err := time.ParseInLocation(time.DateOnly, s.Day, loc)
	if err != nil {
		return 0
	}
	end := day.Add(time.Duration(s.EndMin) * time.Minute)
	if now.Before(end) || !s.CheckIn.Before(end) {
		return 0
	}
	return int(end.Sub(s.CheckIn) / time.Minute)
}

// Total is a person's or a team's hours in a period.
type Total struct {
	Name    string
	Shifts  int
	Minutes int
}

// Hours is Minutes as hours with one decimal ("3.5").
func (t Total) Hours() string { return hours(t.Minutes) }

func hours(minutes int) string { return fmt.Sprintf("%.1f", float64(minutes)/60) }

// Summary is a period's volunteer hours, per team and per person.
type Summary struct {
	Teams, People []Total
	All           Total
}

// summarise adds up a community's served shifts on days in [from, to).
func summarise(tx *storage.Tx, communityID int64, from, to time.Time, loc *time.Location, now time.Time) (Summary, []storage.ServedShift, error) {
	shifts, err := tx.ServedShifts(communityID, from.In(loc).Format(time.DateOnly), to.In(loc).Format(time.DateOnly))
	if err != nil {
		return Summary{}, nil, err
	}
	teams, people := map[string]*Total{}, map[int64]*Total{}
	var teamOrder []string
	var s Summary
	for i := range shifts {
		m := served(shifts[i], loc, now)
		shifts[i].Minutes = m
		if teams[shifts[i].Team] == nil {
			teams[shifts[i].Team] = &Total{Name: shifts[i].Team}
			teamOrder = append(teamOrder, shifts[i].Team)
		}
		if people[shifts[i].PersonID] == nil {
			people[shifts[i].PersonID] = &Total{Name: shifts[i].Name}
		}
		for _, t := range []*Total{teams[shifts[i].Team], people[shifts[i].PersonID], &s.All} {
			t.Shifts++
			t.Minutes += m
		}
	}
	for _, name := range teamOrder {
		s.Teams = append(s.Teams, *teams[name])
	}
	for _, t := range people {
		s.People = append(s.People, *t)
	}
	sort.Slice(s.People, func(i, j int) bool {
		a, b := s.People[i], s.People[j]
		return a.Minutes > b.Minutes || (a.Minutes == b.Minutes && a.Name < b.Name)
	})
	return s, shifts, nil
}

// DigestLine is the volunteers' line of the daily digest: duties signed in on
// the days from since up to now (not now's day, still under way) and their hours.
type DigestLine struct {
	Shifts int
	Hours  string
}

// Digest adds up the duties served on the days in [since, now) for the 日报.
func Digest(tx *storage.Tx, communityID int64, since, now time.Time, loc *time.Location) (DigestLine, error) {
	s, _, err := summarise(tx, communityID, since, now, loc, now)
	return DigestLine{Shifts: s.All.Shifts, Hours: s.All.Hours()}, err
}
