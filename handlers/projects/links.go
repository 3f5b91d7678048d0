package projects

import (
	"errors"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// target is something a project links to: an adopted suggestion or need, or
// a closed poll.
type target struct {
	request *storage.Request
	poll    *storage.Poll
}

// resolveLinks reads typed IDs (S3, N2, P4) into targets; what cannot be
// linked becomes a problem of spec.
func resolveLinks(c *bot.Context, refs []string, spec *Spec) ([]target, error) {
	var out []target
	for _, ref := range refs {
		t, code, err := resolveLink(c, ref)
		if err != nil {
			return nil, err
		}
		if code != "" {
			spec.problem(code, ref)
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// resolveLink finds one target, or names the problem.
func resolveLink(c *bot.Context, ref string) (target, string, error) {
	if id, ok := typedRef(ref, polls.RefPrefix); ok {
		p, err := c.Tx.FindPoll(c.Community.ID, id)
		if errors.Is(err, storage.ErrNotFound) {
			return target{}, "link_not_found", nil
		}
		if err != nil {
			return target{}, "", err
		}
		if p.Open() {
			return target{}, "link_poll_open", nil
		}
		return target{poll: &p}, "", nil
	}
	for _, kind := range storage.Kinds() {
		prefix := requests.Ref(kind, 0)[:1]
		if !strings.HasPrefix(strings.ToUpper(ref), prefix) {
			continue
		}
		id, ok := typedRef(ref, prefix)
		if !ok {
			break
		}
		r, err := c.Tx.FindRequest(c.Community.ID, id)
		if errors.Is(err, storage.ErrNotFound) || err == nil && r.Kind != kind {
			return target{}, "link_not_found", nil
		}
		if err != nil {
			return target{}, "", err
		}
		if (r.Kind != storage.KindSuggestion && r.Kind != storage.KindNeed) ||
			(r.State != storage.StateAdopted && r.State != storage.StateDone) {
			return target{}, "link_not_adopted", nil
		}
		return target{request: &r}, "", nil
	}
	return target{}, "link_bad_ref", nil
}

// applyLinks links a project to its targets: it reports to their groups,
// and the people behind them follow it — a request's reporter and the
// reporters merged into it, a poll's voters (who voted, never what: ballot
// secrecy holds, an anonymous poll's choices are never read). It returns
// how many people started following.
func applyLinks(c *bot.Context, projectID int64, targets []target) (int, error) {
	added := 0
	follow := func(personID int64, reason string) error {
		ok, err := c.Tx.FollowProject(projectID, personID, reason)
		if ok {
			added++
		}
		return err
	}
	for _, t := range targets {
		switch {
		case t.request != nil:
			r := t.request
			if err := c.Tx.LinkProject(projectID, storage.LinkRequest, r.ID); err != nil {
				return 0, err
			}
			if err := addGroup(c, projectID, r.GroupID); err != nil {
				return 0, err
			}
			if err := follow(r.PersonID, storage.FollowReporter); err != nil {
				return 0, err
			}
			merged, err := c.Tx.Followers(c.Community.ID, r.ID)
			if err != nil {
				return 0, err
			}
			for _, m := range merged {
				if err := follow(m.PersonID, storage.FollowSupporter); err != nil {
					return 0, err
				}
			}
		case t.poll != nil:
			if err := c.Tx.LinkProject(projectID, storage.LinkPoll, t.poll.ID); err != nil {
				return 0, err
			}
			if err := c.Tx.AddProjectGroups(projectID, t.poll.GroupIDs); err != nil {
				return 0, err
			}
			voters, err := c.Tx.PollVoterIDs(t.poll.ID)
			if err != nil {
				return 0, err
			}
			for _, id := range voters {
				if err := follow(id, storage.FollowVoter); err != nil {
					return 0, err
				}
			}
		}
	}
	return added, nil
}

// addGroup adds a residential group a linked request came from.
func addGroup(c *bot.Context, projectID, groupID int64) error {
	if groupID == 0 {
		return nil
	}
	g, err := c.Tx.FindGroup(groupID)
	if err != nil || !residential(g) {
		return err
	}
	return c.Tx.AddProjectGroups(projectID, []int64{g.ID})
}

// link answers #项目 J3 关联 S1 P2 (staff).
func (h *Handlers) link(c *bot.Context, p storage.Project, refsText string) error {
	if !c.Person.IsStaff() {
		return bot.Refuse(prompts.ProjectForbidden, nil)
	}
	refs := strings.FieldsFunc(refsText, func(r rune) bool { return r == ' ' || r == ',' || r == ';' })
	if len(refs) == 0 {
		return bot.Refuse(prompts.ProjectUsage, nil)
	}
	var spec Spec
	targets, err := resolveLinks(c, refs, &spec)
	if err != nil {
		return err
	}
	if len(spec.Problems) > 0 {
		return bot.Refuse(prompts.ProjectLinkProblems, map[string]any{"Ref": Ref(p.ID), "Problems": spec.Problems})
	}
	return linkAndReply(c, p.ID, targets, prompts.ProjectLinked)
}

// linkAndReply links a project to targets and answers with the project and
// how many started following.
func linkAndReply(c *bot.Context, id int64, targets []target, template string) error {
	added, err := applyLinks(c, id, targets)
	if err != nil {
		return err
	}
	_, v, err := reload(c, id)
	if err != nil {
		return err
	}
	return c.Reply(template, map[string]any{"P": v, "Followers": added})
}
