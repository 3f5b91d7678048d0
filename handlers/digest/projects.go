package digest

import (
	"time"

	"github.com/qiao-community/qiao/handlers/projects"
	"github.com/qiao-community/qiao/storage"
)

// MilestoneLine is a milestone of a project under way, past its date.
type MilestoneLine struct {
	Ref, Project, Title string
	Due                 time.Time
	Days                int // whole days late (0: under a day)
}

// ReviewLine is a project's 评议: running, or closed in the period.
type ReviewLine struct {
	Ref, Title   string
	Open         bool
	Count        int
	Rate         string // satisfaction as for requests (storage.Ratings)
	PerHousehold bool
}

// ProjectLine is a project under way, for the weekly summary.
type ProjectLine struct {
	Ref, Title string
	Progress   int
	Next       string // the next milestone, "" when none is left
}

// overdueMilestones lists a community's late milestones.
func overdueMilestones(tx *storage.Tx, communityID int64, now time.Time, loc *time.Location) ([]MilestoneLine, error) {
	list, err := tx.OverdueMilestones(communityID, now)
	var out []MilestoneLine
	for _, m := range list {
		out = append(out, MilestoneLine{Ref: projects.Ref(m.ProjectID), Project: m.Project, Title: m.Title,
			Due: m.DueAt.In(loc), Days: int(now.Sub(m.DueAt) / (24 * time.Hour))})
	}
	return out, err
}

// reviews lists the 评议 running now and those closed in [from, to).
func reviews(tx *storage.Tx, communityID int64, from, to time.Time) ([]ReviewLine, error) {
	list, err := tx.Projects(communityID, storage.ProjectReviewing, storage.ProjectDone)
	if err != nil {
		return nil, err
	}
	var out []ReviewLine
	for _, p := range list {
		closedNow := p.State == storage.ProjectDone && !p.ReviewClosedAt.Before(from) && p.ReviewClosedAt.Before(to)
		if p.State != storage.ProjectReviewing && !closedNow {
			continue
		}
		r, err := tx.ProjectRatings(p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, ReviewLine{Ref: projects.Ref(p.ID), Title: p.Title, Open: p.State == storage.ProjectReviewing,
			Count: r.Rated(), Rate: rate(r), PerHousehold: p.PerHousehold})
	}
	return out, nil
}

// building lists a community's projects under way.
func building(tx *storage.Tx, communityID int64) ([]ProjectLine, error) {
	list, err := tx.Projects(communityID, storage.ProjectBuilding)
	var out []ProjectLine
	for _, p := range list {
		line := ProjectLine{Ref: projects.Ref(p.ID), Title: p.Title, Progress: p.Progress}
		for _, m := range p.Milestones {
			if !m.Done() {
				line.Next = m.Title
				break
			}
		}
		out = append(out, line)
	}
	return out, err
}
