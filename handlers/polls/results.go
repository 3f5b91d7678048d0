package polls

import (
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Results answers 结果/results [ID]: counts, percentages, rank and turnout.
func (h *Handlers) Results(c *bot.Context) error {
	p, err := pollArg(c, false, true)
	if err != nil {
		return err
	}
	data, err := resultData(c.Tx, p, location(c.Community.Timezone))
	if err != nil {
		return err
	}
	if liveResultsHidden(p) {
		return c.Reply(prompts.PollResultsHidden, data)
	}
	blob, err := resultChart(c.Tx, c.Outbox, c.Lang, p, data)
	if err != nil {
		return err
	}
	return c.ReplyPost(bot.Post{Template: byKind(p, prompts.PollResults, prompts.ScoredResults), Data: data, BlobID: blob})
}

// resultData tallies a poll for the result templates.
func resultData(tx *storage.Tx, p storage.Poll, loc *time.Location) (map[string]any, error) {
	if p.Kind == storage.PollScored {
		return scoredResultData(tx, p, loc)
	}
	counts, ballots, err := tx.TallyPoll(p.ID, len(p.Options))
	if err != nil {
		return nil, err
	}
	r := Rank(p.Options, counts, ballots, p.MaxChoices)
	data := pollData(p, loc)
	data["Standings"], data["Winners"], data["TieAtCut"] = r.Standings, r.Winners(), r.TieAtCut
	data["Ballots"] = r.Ballots
	return data, addTurnout(tx, p, data)
}

// ClosePoll answers 结束投票/closepoll ID: the creator or staff close a poll early;
// the result goes to every group of the poll.
func (h *Handlers) ClosePoll(c *bot.Context) error {
	p, err := pollArg(c, true, false)
	if err != nil {
		return err
	}
	if p.CreatorID != c.Person.ID && !c.Person.IsStaff() {
		return bot.Refuse(prompts.PollCloseForbidden, map[string]string{"Ref": Ref(p.ID)})
	}
	n, err := closePoll(c.Tx, c.Outbox, p, location(c.Community.Timezone))
	if err != nil {
		return err
	}
	return c.Reply(byKind(p, prompts.PollClosedNow, prompts.ScoredClosedNow), map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Groups": n})
}

// Turnout answers 投票率/turnout [ID] for captains, grid workers and staff: per
// group of theirs, how many voted and who has not yet — never what anyone chose.
func (h *Handlers) Turnout(c *bot.Context) error {
	p, err := pollArg(c, false, true)
	if err != nil {
		return err
	}
	rows, err := c.Tx.PollTurnoutByGroup(p.ID, p.PerHousehold, h.Config.NonVoterList)
	if err != nil {
		return err
	}
	var mine []storage.GroupTurnout
	for _, t := range rows {
		g, err := c.Tx.FindGroup(t.GroupID)
		if err != nil {
			return err
		}
		if roles.Leads(c.Person, g) {
			mine = append(mine, t)
		}
	}
	if len(mine) == 0 {
		return bot.Refuse(prompts.PollTurnoutDenied, map[string]string{"Ref": Ref(p.ID)})
	}
	voters, eligible, configured, err := c.Tx.PollTurnout(p.ID, p.PerHousehold)
	if err != nil {
		return err
	}
	data := pollData(p, location(c.Community.Timezone))
	data["Groups"], data["Voters"], data["Eligible"], data["Configured"] = mine, voters, eligible, configured
	return c.Reply(prompts.PollTurnout, data)
}

// location is a community's time zone.
func location(name string) *time.Location { return bot.Location(name) }
