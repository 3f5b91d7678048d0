package volunteers

import (
	"slices"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// weekdayWords map the day words people write to weekday numbers.
var weekdayWords = map[string]string{"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "日": "7", "天": "7"}

// availableDays reads "周一三五" or "工作日" into "1,3,5"; ok is false for other words.
func availableDays(word string) (string, bool) {
	if d, err := ParseDays(word); err == nil && !strings.ContainsAny(word, "0123456789") {
		return d, true
	}
	rest, ok := strings.CutPrefix(word, "周")
	if !ok {
		rest, ok = strings.CutPrefix(word, "星期")
	}
	if !ok || rest == "" {
		return "", false
	}
	var days []string
	for _, r := range rest {
		n, ok := weekdayWords[string(r)]
		if !ok {
			return "", false
		}
		days = append(days, n)
	}
	d, err := ParseDays(strings.Join(days, ","))
	return d, err == nil
}

// Join serves "#加入 银龄先锋 文明宣导队 [技能…] [周一三五]": a request to
// join, which the team's leaders approve with #批准.
func (h *Handlers) Join(c *bot.Context) error {
	words := strings.Fields(c.Args)
	team, ok, err := findTeam(c.Tx, c.Community.ID, words)
	if err != nil {
		return err
	}
	if !ok {
		return bot.Refuse(prompts.VolJoinUsage, nil)
	}
	var skills []string
	days := ""
	for _, w := range words {
		if w == team.Name || w == team.Key || strings.HasPrefix(team.Name, w) {
			continue
		}
		if t, ok, _ := findTeam(c.Tx, c.Community.ID, []string{w}); ok && t.ID != team.ID {
			continue // the parent team's name
		}
		if d, ok := availableDays(w); ok {
			days = d
			continue
		}
		skills = append(skills, strings.TrimPrefix(w, "技能"))
	}
	mine, err := c.Tx.PersonTeams(c.Person.ID)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(mine, func(m storage.VolMember) bool { return m.TeamID == team.ID }); i >= 0 {
		if mine[i].Status == storage.VolStatusPending {
			return bot.Refuse(prompts.VolJoinPending, map[string]any{"Team": team.Name})
		}
		return bot.Refuse(prompts.VolJoinAlready, map[string]any{"Team": team.Name})
	}
	if err := c.Tx.SetVolMember(storage.VolMember{TeamID: team.ID, PersonID: c.Person.ID, Status: storage.VolStatusPending,
		Skills: strings.Join(skills, " "), Days: days}); err != nil {
		return err
	}
	leaders, err := leadersOf(c.Tx, team)
	if err != nil {
		return err
	}
	for _, l := range leaders {
		if err := c.Notify(l, bot.Post{Template: prompts.VolJoinAsk, Data: map[string]any{"Team": team.Name, "Name": c.Person.Name,
			"Skills": strings.Join(skills, " ")}}); err != nil {
			return err
		}
	}
	return c.Reply(prompts.VolJoinAsked, map[string]any{"Team": team.Name, "Leaders": len(leaders)})
}

// Approve serves "#批准 [队名] 姓名": a leader of the team (or above it), or
// staff, lets someone who asked to join in.
func (h *Handlers) Approve(c *bot.Context) error {
	words := strings.Fields(c.Args)
	if len(words) == 0 {
		return bot.Refuse(prompts.VolApproveUsage, nil)
	}
	name := words[len(words)-1]
	teams, err := c.Tx.Teams(c.Community.ID)
	if err != nil {
		return err
	}
	named, byName, err := findTeam(c.Tx, c.Community.ID, words[:len(words)-1])
	if err != nil {
		return err
	}
	for _, t := range teams {
		if byName && t.ID != named.ID {
			continue
		}
		members, err := c.Tx.TeamMembers(t.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(members, func(m storage.VolMember) bool { return m.Status == storage.VolStatusPending && m.Name == name })
		if i < 0 {
			continue
		}
		ok, err := leads(c.Tx, c.Person.ID, t)
		if err != nil {
			return err
		}
		if !ok && !c.Person.IsStaff() {
			return bot.Refuse(prompts.VolApproveForbidden, map[string]any{"Team": t.Name})
		}
		m := members[i]
		m.Status = storage.VolStatusMember
		if err := c.Tx.SetVolMember(m); err != nil {
			return err
		}
		p, err := c.Tx.FindPerson(m.PersonID)
		if err != nil {
			return err
		}
		if err := c.Notify(p, bot.Post{Template: prompts.VolWelcome, Data: map[string]any{"Team": t.Name}}); err != nil {
			return err
		}
		return c.Reply(prompts.VolApproved, map[string]any{"Team": t.Name, "Name": name})
	}
	return bot.Refuse(prompts.VolApproveNone, map[string]any{"Name": name})
}
