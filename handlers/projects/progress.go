package projects

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/attach"
	"github.com/qiao-community/qiao/handlers/when"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

var (
	// "60%", "60 %", "百分之60" is not read: staff type digits.
	percentRE = regexp.MustCompile(`^(\d{1,3})\s*%\s*`)
	// "里程碑2 完成", "节点 2 已完成", "milestone 2 done".
	milestoneRE = regexp.MustCompile(`(?i)^(?:里程碑|节点|milestone)\s*(\d{1,2})\s*(?:已完成|完成|达成|done)\s*`)
)

// Progress answers #进展 J3 60% 主体完工 and #进展 J3 里程碑2 完成: staff or
// the owner department post an update (with the message's photo) to the
// project's groups and privately to each follower, in one transaction.
func (h *Handlers) Progress(c *bot.Context) error {
	p, rest, err := loadArg(c, prompts.ProjectProgressUsage)
	if err != nil {
		return err
	}
	if !mayReport(c, p) {
		return bot.Refuse(prompts.ProjectProgressForbidden, map[string]string{"Ref": Ref(p.ID)})
	}
	if p.State != storage.ProjectBuilding {
		return bot.Refuse(prompts.ProjectNotBuilding, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	progress, milestone := p.Progress, 0
	if m := percentRE.FindStringSubmatch(rest); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n > 100 {
			return bot.Refuse(prompts.ProjectProgressUsage, nil)
		}
		progress, rest = n, rest[len(m[0]):]
	}
	if m := milestoneRE.FindStringSubmatch(rest); m != nil {
		milestone, _ = strconv.Atoi(m[1])
		rest = rest[len(m[0]):]
		done, err := c.Tx.CompleteMilestone(p.ID, milestone)
		if err != nil {
			return err
		}
		if !done {
			return bot.Refuse(prompts.ProjectNoMilestone, map[string]any{"Ref": Ref(p.ID), "N": milestone, "Count": len(p.Milestones)})
		}
	}
	text := strings.TrimSpace(rest)
	if text == "" && milestone == 0 && progress == p.Progress && len(c.Msg.Attachments) == 0 {
		return bot.Refuse(prompts.ProjectProgressUsage, nil)
	}
	blobs, err := attach.Store(c, h.Photos)
	if err != nil {
		return err
	}
	var blob int64
	if len(blobs) > 0 {
		blob = blobs[0]
	}
	if _, err := c.Tx.AddProjectUpdate(storage.ProjectUpdate{ProjectID: p.ID, AuthorID: c.Person.ID, Progress: progress,
		Milestone: milestone, Text: text, BlobID: blob}); err != nil {
		return err
	}
	p, v, err := reload(c, p.ID)
	if err != nil {
		return err
	}
	data := map[string]any{"P": v, "Text": text, "Milestone": milestoneTitle(p, milestone), "By": c.Person.Name}
	groups, followers, err := announce(c, p, bot.Post{Template: prompts.ProjectUpdate, Data: data, BlobID: blob},
		bot.Post{Template: prompts.ProjectUpdateFollower, Data: data, BlobID: blob})
	if err != nil {
		return err
	}
	for _, extra := range blobs[min(1, len(blobs)):] { // further photos follow the update into the groups
		if err := toGroups(c, p, bot.Post{Template: prompts.ProjectPhoto, Data: data, BlobID: extra}); err != nil {
			return err
		}
	}
	return c.Reply(prompts.ProjectUpdated, map[string]any{"P": v, "Groups": groups, "Followers": followers})
}

func milestoneTitle(p storage.Project, idx int) string {
	for _, m := range p.Milestones {
		if m.Index == idx {
			return m.Title
		}
	}
	return ""
}

// mayReport: staff, or a member of the project's owner department.
func mayReport(c *bot.Context, p storage.Project) bool {
	if c.Person.IsStaff() {
		return true
	}
	if p.DepartmentID == 0 {
		return false
	}
	depts, err := c.Tx.Departments(c.Community.ID)
	if err != nil {
		return false
	}
	for _, d := range depts {
		if d.ID == p.DepartmentID {
			return c.Person.Has(storage.RoleDepartment, d.Key)
		}
	}
	return false
}

// announce posts into every group of the project and privately to every
// follower but the sender; it returns how many of each.
func announce(c *bot.Context, p storage.Project, group, private bot.Post) (int, int, error) {
	if err := toGroups(c, p, group); err != nil {
		return 0, 0, err
	}
	followers, err := c.Tx.ProjectFollowers(p.ID)
	if err != nil {
		return 0, 0, err
	}
	n := 0
	for _, f := range followers {
		if f.ID == c.Person.ID {
			continue
		}
		if err := c.Notify(f, private); err != nil {
			return 0, 0, err
		}
		n++
	}
	return len(p.GroupIDs), n, nil
}

func toGroups(c *bot.Context, p storage.Project, post bot.Post) error {
	for _, id := range p.GroupIDs {
		g, err := c.Tx.FindGroup(id)
		if err != nil {
			return err
		}
		if err := c.Post(g, post); err != nil {
			return err
		}
	}
	return nil
}

// Follow answers #关注 J3: anyone may follow a project.
func (h *Handlers) Follow(c *bot.Context) error {
	p, _, err := loadArg(c, prompts.ProjectFollowUsage)
	if err != nil {
		return err
	}
	added, err := c.Tx.FollowProject(p.ID, c.Person.ID, storage.FollowSelf)
	if err != nil {
		return err
	}
	return c.Reply(prompts.ProjectFollowed, map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Already": !added})
}

// Unfollow answers #取消关注 J3.
func (h *Handlers) Unfollow(c *bot.Context) error {
	p, _, err := loadArg(c, prompts.ProjectFollowUsage)
	if err != nil {
		return err
	}
	left, err := c.Tx.UnfollowProject(p.ID, c.Person.ID)
	if err != nil {
		return err
	}
	return c.Reply(prompts.ProjectUnfollowed, map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Was": left})
}

// Complete answers #完工 J3 [评议截止时间] (staff): construction ends and the
// residents' 评议 opens until the deadline (default ReviewPeriod).
func (h *Handlers) Complete(c *bot.Context) error {
	p, rest, err := loadArg(c, prompts.ProjectCompleteUsage)
	if err != nil {
		return err
	}
	if p.State != storage.ProjectBuilding {
		return bot.Refuse(prompts.ProjectNotBuilding, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	loc := bot.Location(c.Community.Timezone)
	due := c.Now().Add(h.reviewPeriod())
	if rest != "" {
		r, ok := when.Parse(rest, c.Now(), loc)
		if !ok || !r.At.After(c.Now()) {
			return bot.Refuse(prompts.ProjectCompleteUsage, nil)
		}
		due = r.At
	}
	if _, err := c.Tx.CompleteProject(p.ID, due); err != nil {
		return err
	}
	p, v, err := reload(c, p.ID)
	if err != nil {
		return err
	}
	groups, followers, err := announce(c, p, bot.Post{Template: prompts.ProjectCompleted, Data: v},
		bot.Post{Template: prompts.ProjectCompletedFollower, Data: v})
	if err != nil {
		return err
	}
	return c.Reply(prompts.ProjectCompleteDone, map[string]any{"P": v, "Groups": groups, "Followers": followers})
}
