package volunteers

import (
	"slices"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Handlers serves the volunteer commands.
type Handlers struct {
	Config Config
}

// teamView is a team as the templates show it.
type teamView struct {
	Name, Parent     string
	Leaders, Members []string
	Pending          int
}

// Teams serves "#志愿队": the community's teams; "#志愿队 名称" one team's
// people; "#志愿队 新建 名称 [上级队]" (staff) a new team.
func (h *Handlers) Teams(c *bot.Context) error {
	words := strings.Fields(c.Args)
	if len(words) > 0 && (words[0] == "新建" || strings.EqualFold(words[0], "new")) {
		return h.create(c, words[1:])
	}
	teams, err := c.Tx.Teams(c.Community.ID)
	if err != nil {
		return err
	}
	var views []teamView
	names := map[int64]string{}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	for _, t := range teams {
		// "#志愿队 银龄先锋" shows the team and its sub-teams.
		if len(words) > 0 && !slices.Contains(words, t.Name) && !slices.Contains(words, names[t.ParentID]) {
			continue
		}
		v, err := describe(c.Tx, t, teams)
		if err != nil {
			return err
		}
		views = append(views, v)
	}
	if len(views) == 0 {
		return c.Reply(prompts.VolNoTeams, map[string]any{"Name": strings.Join(words, " ")})
	}
	return c.Reply(prompts.VolTeams, map[string]any{"Teams": views, "Detail": len(words) > 0})
}

func describe(tx *storage.Tx, t storage.Team, teams []storage.Team) (teamView, error) {
	v := teamView{Name: t.Name}
	if i := slices.IndexFunc(teams, func(p storage.Team) bool { return p.ID == t.ParentID }); i >= 0 {
		v.Parent = teams[i].Name
	}
	members, err := tx.TeamMembers(t.ID)
	for _, m := range members {
		switch m.Status {
		case storage.VolStatusLeader:
			v.Leaders = append(v.Leaders, m.Name)
		case storage.VolStatusMember:
			v.Members = append(v.Members, m.Name)
		default:
			v.Pending++
		}
	}
	return v, err
}

// create makes a team by command: staff only; the creator leads it.
func (h *Handlers) create(c *bot.Context, words []string) error {
	if !c.Person.IsStaff() {
		return bot.Refuse(prompts.VolStaffOnly, nil)
	}
	if len(words) == 0 || len(words) > 2 {
		return bot.Refuse(prompts.VolTeamsUsage, nil)
	}
	var parentID int64
	if len(words) == 2 {
		parent, ok, err := findTeam(c.Tx, c.Community.ID, words[1:])
		if err != nil {
			return err
		}
		if !ok {
			return bot.Refuse(prompts.VolNoTeams, map[string]any{"Name": words[1]})
		}
		parentID = parent.ID
	}
	id, err := c.Tx.SyncTeam(storage.TeamSpec{CommunityID: c.Community.ID, Key: words[0], Name: words[0], ParentID: parentID})
	if err != nil {
		return err
	}
	if err := c.Tx.SetVolMember(storage.VolMember{TeamID: id, PersonID: c.Person.ID, Status: storage.VolStatusLeader}); err != nil {
		return err
	}
	return c.Reply(prompts.VolTeamCreated, map[string]any{"Name": words[0]})
}

// findTeam is the most specific team the words name: "银龄先锋 文明宣导队" is
// the sub-team. Words may be a team's name or a prefix of it.
func findTeam(tx *storage.Tx, communityID int64, words []string) (storage.Team, bool, error) {
	teams, err := tx.Teams(communityID)
	if err != nil {
		return storage.Team{}, false, err
	}
	for i := len(words) - 1; i >= 0; i-- {
		for _, t := range teams {
			if t.Name == words[i] || t.Key == words[i] {
				return t, true, nil
			}
		}
		for _, t := range teams {
			if len([]rune(words[i])) >= 2 && strings.HasPrefix(t.Name, words[i]) {
				return t, true, nil
			}
		}
	}
	return storage.Team{}, false, nil
}

// leads reports whether a person leads a team or a team above it.
func leads(tx *storage.Tx, personID int64, t storage.Team) (bool, error) {
	teams, err := tx.Teams(t.CommunityID)
	if err != nil {
		return false, err
	}
	mine, err := tx.PersonTeams(personID)
	if err != nil {
		return false, err
	}
	for id := t.ID; id != 0; {
		if slices.ContainsFunc(mine, func(m storage.VolMember) bool { return m.TeamID == id && m.Status == storage.VolStatusLeader }) {
			return true, nil
		}
		i := slices.IndexFunc(teams, func(x storage.Team) bool { return x.ID == id })
		if i < 0 {
			break
		}
		id = teams[i].ParentID
	}
	return false, nil
}

// leadersOf are the people who approve joins to a team: its leaders and
// those of the teams above it.
func leadersOf(tx *storage.Tx, t storage.Team) ([]storage.Person, error) {
	teams, err := tx.Teams(t.CommunityID)
	if err != nil {
		return nil, err
	}
	var out []storage.Person
	for id := t.ID; id != 0; {
		members, err := tx.TeamMembers(id)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if m.Status == storage.VolStatusLeader && !slices.ContainsFunc(out, func(p storage.Person) bool { return p.ID == m.PersonID }) {
				p, err := tx.FindPerson(m.PersonID)
				if err != nil {
					return nil, err
				}
				out = append(out, p)
			}
		}
		i := slices.IndexFunc(teams, func(x storage.Team) bool { return x.ID == id })
		if i < 0 {
			break
		}
		id = teams[i].ParentID
	}
	return out, nil
}
