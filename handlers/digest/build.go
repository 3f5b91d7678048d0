package digest

import (
	"github.com/qiao-community/qiao/handlers/polls"

	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/volunteers"
	"github.com/qiao-community/qiao/storage"
)

// The order kinds and ticket states are shown in: the open ones, then waiting for a rating.
var (
	kindOrder  = storage.Kinds()
	stateOrder = append(storage.OpenStates(storage.KindRepair), storage.StateResolved)
)

// Daily is what the daily digest template renders.
type Daily struct {
	Community string
	Since     time.Time // in the community's zone
	Now       time.Time
	Quiet     bool // nothing new, nothing overdue, no polls: one line says so
	Activity

	Tickets      []StateLine // repairs and complaints not final, by state
	TicketsTotal int
	Overdue      []OverdueLine
	OverdueTotal int
	OverdueMore  int // overdue beyond those listed

	Polls  []PollLine // running
	Closed []PollLine // closed since the previous digest

	Evaluations []EvaluationLine // scored evaluations running, or closed since the previous digest

	Callbacks []CallbackLine // resolved, reminded, still unrated: staff phone the resident (回访)

	Milestones []MilestoneLine // project milestones past their date
	Reviews    []ReviewLine    // project 评议 running, or closed since the previous digest
	Rates      []RateLine      // 三率 yesterday and this month: community, urgent, departments

	MonthRated     int    // requests whose latest rating was given this month
	MonthGiven     int    // ratings given this month, re-ratings included
	MonthRate      string // final satisfaction, "93.3%"
	MonthFirstRate string // first-time satisfaction
	Comments       []CommentLine
	CommentsMore   int

	// The period before, as long as this one, for the comparison line.
	PrevNew, PrevResolved int

	// Duty is the volunteers' duties signed in since the previous digest.
	Duty volunteers.DigestLine
}

// Activity is what happened in a period: requests received, tickets resolved,
// suggestions and needs answered.
type Activity struct {
	New      []KindLine // by kind, in kindOrder
	NewTotal int
	Resolved int // repairs and complaints resolved
	Answered int // suggestions and needs answered
}

// activity reads a community's activity in [from, to).
func (d *Digests) activity(tx *storage.Tx, communityID int64, from, to time.Time) (Activity, error) {
	var a Activity
	var err error
	if a.New, a.NewTotal, err = d.newRequests(tx, communityID, from, to); err != nil {
		return a, err
	}
	events, err := tx.CountEvents(communityID, from, to, "answer")
	if err != nil {
		return a, err
	}
	a.Answered = events["answer"]
	a.Resolved, err = tx.CountResolvedStillDone(communityID, from, to)
	return a, err
}

// KindLine is the new requests of one kind, by category.
type KindLine struct {
	Kind       string
	N          int
	Categories []CategoryCount
}

// CategoryCount is a category's name and count ("" name: uncategorised).
type CategoryCount struct {
	Name string
	N    int
}

// StateLine is how many tickets are in a state.
type StateLine struct {
	State string
	N     int
}

// OverdueLine is one overdue request and who holds it.
type OverdueLine struct {
	Ref, Category, Text, State string
	Department, Assignee       string // "" while staff hold it
	Days, Hours                int    // how long overdue: whole days, or hours under a day
	Reporters                  int    // residents who reported it (merged reports included)
	Urgent                     bool   // 紧急: listed first
}

// PollLine is a running or closed poll.
type PollLine struct {
	Ref, Title       string
	Voters, Eligible int
	Configured       bool // Eligible is a configured electorate, not members seen
	Deadline         time.Time
	HasDeadline      bool
	ClosingSoon      bool
	Winners          []polls.Standing // closed polls: the elected options (ties at the cut included)
}

// CommentLine is an improvement comment given with a rating.
type CommentLine struct {
	Ref, Rating, Note string
}

// daily reads the digest of [since, now) for a community.
func (d *Digests) daily(tx *storage.Tx, cm storage.Community, since, now time.Time) (Daily, error) {
	loc := location(cm)
	out := Daily{Community: cm.Name, Since: since.In(loc), Now: now.In(loc)}
	var err error
	if out.Activity, err = d.activity(tx, cm.ID, since, now); err != nil {
		return out, err
	}
	states, err := tx.CountTicketsByState(cm.ID)
	if err != nil {
		return out, err
	}
	for _, s := range stateOrder {
		if n := states[s]; n > 0 {
			out.Tickets = append(out.Tickets, StateLine{State: s, N: n})
			out.TicketsTotal += n
		}
	}
	overdue, total, err := tx.OverdueRequests(cm.ID, now, d.Config.MaxListed)
	if err != nil {
		return out, err
	}
	out.OverdueTotal, out.OverdueMore = total, total-len(overdue)
	for _, o := range overdue {
		late := now.Sub(o.DueAt)
		state := storage.DisplayState(o.Kind, o.State)
		if o.State == storage.StateReopened {
			// Sent back to the community by 不满意: staff hold it, not the former department.
			o.Department, o.Assignee = "", ""
		}
		out.Overdue = append(out.Overdue, OverdueLine{Ref: ref(o.Kind, o.ID), Category: d.category(o.Category), Text: o.Text,
			State: state, Department: o.Department, Assignee: o.Assignee, Reporters: o.Reporters, Urgent: o.Urgent,
			Days: int(late / (24 * time.Hour)), Hours: max(int(late/time.Hour), 1)})
	}

	open, err := tx.OpenPollSummaries(cm.ID)
	if err != nil {
		return out, err
	}
	for _, p := range open {
		line := pollLine(p, loc)
		line.ClosingSoon = line.HasDeadline && p.Deadline.Sub(now) <= d.Config.ClosingSoon
		out.Polls = append(out.Polls, line)
	}
	closed, err := tx.ClosedPollSummaries(cm.ID, since, now)
	if err != nil {
		return out, err
	}
	for _, p := range closed {
		out.Closed = append(out.Closed, pollLine(p, loc))
	}
	if out.Evaluations, err = evaluations(tx, cm.ID, since, now, loc); err != nil {
		return out, err
	}
	out.Polls = withoutEvaluations(out.Polls, out.Evaluations)

	nowLocal := now.In(loc)
	monthStart := time.Date(nowLocal.Year(), nowLocal.Month(), 1, 0, 0, 0, 0, loc)
	// The month's satisfaction from the per-request summaries; the comments
	// from the window's ratings.
	month, err := tx.SatisfactionIn(cm.ID, monthStart, now)
	if err != nil {
		return out, err
	}
	out.MonthRated, out.MonthGiven = month.Final.Rated(), month.Given
	out.MonthRate, out.MonthFirstRate = rate(month.Final), rate(month.First)
	events, err := tx.RatingEventsIn(cm.ID, since, now)
	if err != nil {
		return out, err
	}
	var commented int
	out.Comments, commented = comments(events, since, now, d.Config.MaxListed)
	out.CommentsMore = commented - len(out.Comments)

	if out.Callbacks, err = d.callbacks(tx, cm.ID, loc); err != nil {
		return out, err
	}

	if out.Milestones, err = overdueMilestones(tx, cm.ID, now, loc); err != nil {
		return out, err
	}
	if out.Reviews, err = reviews(tx, cm.ID, since, now); err != nil {
		return out, err
	}
	var rated bool
	if out.Rates, rated, err = d.rateLines(tx, cm, now); err != nil {
		return out, err
	}

	prev, err := d.activity(tx, cm.ID, since.Add(-now.Sub(since)), since)
	if err != nil {
		return out, err
	}
	out.PrevNew, out.PrevResolved = prev.NewTotal, prev.Resolved
	if out.Duty, err = volunteers.Digest(tx, cm.ID, since, now, loc); err != nil {
		return out, err
	}

	out.Quiet = out.NewTotal == 0 && out.Resolved == 0 && out.Answered == 0 && out.OverdueTotal == 0 &&
		len(out.Polls) == 0 && len(out.Closed) == 0 && commented == 0 && len(out.Callbacks) == 0 &&
		len(out.Milestones) == 0 && len(out.Reviews) == 0 && !rated && len(out.Evaluations) == 0
	return out, nil
}

// Weekly is what the weekly resident summary renders: counts only, no names.
type Weekly struct {
	Community string
	From, To  time.Time // the week, in the community's zone
	Quiet     bool
	Activity
	Rated     int
	Given     int
	Rate      string        // final satisfaction
	FirstRate string        // first-time satisfaction
	Building  []ProjectLine // 在建项目
	Reviews   []ReviewLine  // project 评议 running, or closed this week

	Evaluations []EvaluationLine // scored evaluations closed this week, with their winners
}

// weekly reads seven calendar days: from midnight six days ago up to now, so
// the heading names seven dates (a Sunday run covers Monday to Sunday).
func (d *Digests) weekly(tx *storage.Tx, cm storage.Community, now time.Time) (Weekly, error) {
	loc := location(cm)
	local := now.In(loc)
	from := time.Date(local.Year(), local.Month(), local.Day()-6, 0, 0, 0, 0, loc)
	out := Weekly{Community: cm.Name, From: from.In(loc), To: now.In(loc)}
	var err error
	if out.Activity, err = d.activity(tx, cm.ID, from, now); err != nil {
		return out, err
	}
	r, err := tx.SatisfactionIn(cm.ID, from, now)
	if err != nil {
		return out, err
	}
	out.Rated, out.Given, out.Rate, out.FirstRate = r.Final.Rated(), r.Given, rate(r.Final), rate(r.First)
	if out.Building, err = building(tx, cm.ID); err != nil {
		return out, err
	}
	if out.Reviews, err = reviews(tx, cm.ID, from, now); err != nil {
		return out, err
	}
	evals, err := evaluations(tx, cm.ID, from, now, loc)
	if err != nil {
		return out, err
	}
	out.Evaluations = closedOnly(evals)
	out.Quiet = out.NewTotal == 0 && out.Resolved == 0 && out.Answered == 0 && out.Rated == 0 &&
		len(out.Building) == 0 && len(out.Reviews) == 0 && len(out.Evaluations) == 0
	return out, nil
}

// newRequests groups the requests created in [from, to) by kind, in kindOrder.
func (d *Digests) newRequests(tx *storage.Tx, communityID int64, from, to time.Time) ([]KindLine, int, error) {
	counts, err := tx.CountNewRequests(communityID, from, to)
	if err != nil {
		return nil, 0, err
	}
	var out []KindLine
	total := 0
	for _, kind := range kindOrder {
		line := KindLine{Kind: kind}
		for _, c := range counts {
			if c.Kind == kind {
				line.N += c.N
				line.Categories = append(line.Categories, CategoryCount{Name: d.category(c.Category), N: c.N})
			}
		}
		if line.N > 0 {
			out = append(out, line)
			total += line.N
		}
	}
	return out, total, nil
}

// category is a category's name; an unknown key shows as itself.
func (d *Digests) category(key string) string {
	if n, ok := d.Categories[key]; ok {
		return n
	}
	return key
}

func pollLine(p storage.PollSummary, loc *time.Location) PollLine {
	l := PollLine{Ref: bot.FormatRef("P", p.ID), Title: p.Title, Voters: p.Voters, Eligible: p.Eligible,
		Configured: p.Configured, HasDeadline: !p.Deadline.IsZero()}
	if l.HasDeadline {
		l.Deadline = p.Deadline.In(loc)
	}
	if p.Tally != nil {
		// The same ranking the poll's own result used: 多选 N elects N, ties included.
		l.Winners = polls.Rank(p.Options, p.Tally, 0, p.MaxChoices).Winners()
	}
	return l
}
