package projects

import (
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// view is what the project templates show: nothing about who follows it or
// who rated it, only how many.
type view struct {
	Ref, Title, State      string
	Progress               int
	Department             string
	Budget, Place          string
	HasDue                 bool
	Due                    time.Time
	Milestones             []milestoneView
	Next                   *milestoneView // the first milestone not reached
	Followers              int
	Links                  []string // S3, N2, P4
	Winners                []string // the winning options of linked polls
	Groups                 []string
	Updates                []updateView // the latest few
	Review                 reviewView
	PerHousehold           bool
	Completed, ReviewDueAt time.Time
}

type milestoneView struct {
	Index   int
	Title   string
	Due     time.Time
	HasDue  bool
	Done    bool
	Overdue bool
}

type updateView struct {
	When      time.Time
	Progress  int
	Milestone string // the milestone reached with it
	Text      string
}

// reviewView is a 评议's figures: one formula for the 满意率 (storage.Ratings:
// satisfied and basically satisfied over all ratings), as for requests.
type reviewView struct {
	Open, Closed                  bool
	Count                         int
	Satisfied, Basic, Unsatisfied int
	Rate                          string
	PerHousehold                  bool
}

// shownUpdates is how many of the latest updates #项目 J3 shows.
const shownUpdates = 3

// reload reads a project again after a change, with its view.
func reload(c *bot.Context, id int64) (storage.Project, view, error) {
	p, err := c.Tx.FindProject(c.Community.ID, id)
	if err != nil {
		return p, view{}, err
	}
	v, err := newView(c, p)
	return p, v, err
}

// newView reads what the templates show about a project.
func newView(c *bot.Context, p storage.Project) (view, error) {
	return buildView(c.Tx, p, bot.Location(c.Community.Timezone))
}

func buildView(tx *storage.Tx, p storage.Project, loc *time.Location) (view, error) {
	v := view{Ref: Ref(p.ID), Title: p.Title, State: p.State, Progress: p.Progress, Budget: p.Budget, Place: p.Place,
		HasDue: !p.DueAt.IsZero(), Due: p.DueAt.In(loc), PerHousehold: p.PerHousehold,
		Completed: p.CompletedAt.In(loc), ReviewDueAt: p.ReviewDueAt.In(loc)}
	if p.DepartmentID != 0 {
		depts, err := tx.Departments(p.CommunityID)
		if err != nil {
			return v, err
		}
		for _, d := range depts {
			if d.ID == p.DepartmentID {
				v.Department = d.Name
			}
		}
	}
	for _, m := range p.Milestones {
		mv := milestoneView{Index: m.Index, Title: m.Title, Due: m.DueAt.In(loc), HasDue: !m.DueAt.IsZero(), Done: m.Done(),
			Overdue: !m.Done() && !m.DueAt.IsZero() && m.DueAt.Before(tx.Now) && p.State == storage.ProjectBuilding}
		v.Milestones = append(v.Milestones, mv)
		if !mv.Done && v.Next == nil {
			next := mv
			v.Next = &next
		}
	}
	var err error
	if v.Followers, err = tx.CountProjectFollowers(p.ID); err != nil {
		return v, err
	}
	if err := addLinks(tx, p, &v); err != nil {
		return v, err
	}
	for _, id := range p.GroupIDs {
		g, err := tx.FindGroup(id)
		if err != nil {
			return v, err
		}
		v.Groups = append(v.Groups, g.Name)
	}
	updates, err := tx.ProjectUpdates(p.ID)
	if err != nil {
		return v, err
	}
	if len(updates) > shownUpdates {
		updates = updates[len(updates)-shownUpdates:]
	}
	for _, u := range updates {
		v.Updates = append(v.Updates, updateView{When: u.CreatedAt.In(loc), Progress: u.Progress,
			Milestone: milestoneTitle(p, u.Milestone), Text: u.Text})
	}
	v.Review, err = review(tx, p)
	return v, err
}

// addLinks names what a project came from, and the winners of its polls.
func addLinks(tx *storage.Tx, p storage.Project, v *view) error {
	reqs, err := tx.ProjectLinks(p.ID, storage.LinkRequest)
	if err != nil {
		return err
	}
	for _, id := range reqs {
		r, err := tx.FindRequest(p.CommunityID, id)
		if err != nil {
			return err
		}
		v.Links = append(v.Links, requests.Ref(r.Kind, r.ID))
	}
	pollIDs, err := tx.ProjectLinks(p.ID, storage.LinkPoll)
	if err != nil {
		return err
	}
	for _, id := range pollIDs {
		poll, err := tx.FindPoll(p.CommunityID, id)
		if err != nil {
			return err
		}
		v.Links = append(v.Links, polls.Ref(poll.ID))
		counts, ballots, err := tx.TallyPoll(poll.ID, len(poll.Options))
		if err != nil {
			return err
		}
		for _, w := range polls.Rank(poll.Options, counts, ballots, poll.MaxChoices).Winners() {
			v.Winners = append(v.Winners, w.Text)
		}
	}
	return nil
}

// review reads a project's 评议 figures.
func review(tx *storage.Tx, p storage.Project) (reviewView, error) {
	r, err := tx.ProjectRatings(p.ID)
	return reviewView{Open: p.State == storage.ProjectReviewing, Closed: p.State == storage.ProjectDone, Count: r.Rated(),
		Satisfied: r.Satisfied, Basic: r.Basic, Unsatisfied: r.Unsatisfied, Rate: prompts.Percent(r.Good(), r.Rated()),
		PerHousehold: p.PerHousehold}, err
}

// show answers #项目 J3.
func (h *Handlers) show(c *bot.Context, p storage.Project) error {
	v, err := newView(c, p)
	if err != nil {
		return err
	}
	return c.Reply(prompts.ProjectShow, v)
}

// listLimit is the longest list #项目 shows; the rest is counted.
const listLimit = 20

// list answers #项目: projects under way and being rated, then the latest done.
func (h *Handlers) list(c *bot.Context) error {
	all, err := c.Tx.Projects(c.Community.ID)
	if err != nil {
		return err
	}
	// Under way and being rated first, newest done after them.
	var ordered []storage.Project
	for _, p := range all {
		if p.State != storage.ProjectDone {
			ordered = append(ordered, p)
		}
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].State == storage.ProjectDone {
			ordered = append(ordered, all[i])
		}
	}
	more := max(len(ordered)-listLimit, 0)
	ordered = ordered[:len(ordered)-more]
	var views []view
	for _, p := range ordered {
		v, err := newView(c, p)
		if err != nil {
			return err
		}
		views = append(views, v)
	}
	return c.Reply(prompts.ProjectList, map[string]any{"Projects": views, "More": more, "Staff": c.Person.IsStaff()})
}
