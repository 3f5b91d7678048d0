package requests

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Urgency (紧急) beyond the emergency path: staff flag a ticket with #加急 and
// lift the flag with #取消加急. An urgent ticket runs on
// Workflow.UrgentLimits, its holder department and the staff groups are told
// at once, and again as soon as a stage's limit passes (the urgent job).

// Urgent flags an open ticket as urgent: #加急 R12 [原因].
func (h *Handlers) Urgent(c *bot.Context) error { return h.setUrgent(c, ActUrgent, true) }

// NotUrgent lifts the flag: #取消加急 R12 [原因].
func (h *Handlers) NotUrgent(c *bot.Context) error { return h.setUrgent(c, ActNotUrgent, false) }

func (h *Handlers) setUrgent(c *bot.Context, action string, urgent bool) error {
	s, err := h.begin(c, action)
	if err != nil {
		return err
	}
	if s.r.Urgent == urgent {
		return bot.Refuse(prompts.WorkflowUrgentAlready, map[string]any{"ID": Ref(s.r.Kind, s.r.ID), "Urgent": urgent})
	}
	s.r.Urgent = urgent
	// The current stage runs on the new limits from now; flagging never moves a deadline later.
	due := h.due(c, s.r, s.r.State)
	if !urgent || s.r.StageDueAt.IsZero() || (!due.IsZero() && due.Before(s.r.StageDueAt)) {
		s.r.StageDueAt = due
	}
	if urgent && s.r.Escalated < levelStaff {
		s.r.Escalated = levelStaff // staff are told now: the overdue job need not escalate to them again
	}
	v, err := s.commit(action, s.rest)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.WorkflowUrgentSet, v); err != nil {
		return err
	}
	groups, err := urgentGroups(s.dir, s.r)
	return s.notifyGroups(groups, err, bot.Post{Template: prompts.WorkflowUrgentAlert, Data: v})
}

// urgentGroups are the groups told about an urgent ticket: its holder
// department's, then the staff groups, each once.
func urgentGroups(dir *directory, r storage.Request) ([]storage.Group, error) {
	groups, err := dir.holderGroups(r)
	if err != nil {
		return nil, err
	}
	staff, err := dir.tx.Groups(dir.communityID, storage.GroupStaff)
	if err != nil {
		return nil, err
	}
	for _, g := range staff {
		if !slices.ContainsFunc(groups, func(x storage.Group) bool { return x.ID == g.ID }) {
			groups = append(groups, g)
		}
	}
	return groups, nil
}

// RemindUrgent tells the holder department and the staff groups, once per
// deadline, about every urgent ticket whose stage limit has passed. It runs
// often (every few minutes): urgent limits are counted in minutes and hours.
func (j *Jobs) RemindUrgent(ctx context.Context, now time.Time) error {
	return j.eachCommunity(ctx, now, "remind urgent", j.remindUrgent)
}

func (j *Jobs) remindUrgent(tx *storage.Tx, cm storage.Community, now time.Time) error {
	list, err := tx.FindRequests(storage.RequestFilter{CommunityID: cm.ID, DueBefore: now, States: storage.OpenStates(storage.KindRepair),
		Kinds: []string{storage.KindRepair, storage.KindComplaint}})
	if err != nil || len(list) == 0 {
		return err
	}
	dir, err := newDirectory(tx, cm, j.Classifier)
	if err != nil {
		return err
	}
	for _, r := range list {
		if !r.Urgent {
			continue
		}
		v, err := dir.view(r)
		if err != nil {
			return err
		}
		v.Overdue = true
		groups, err := urgentGroups(dir, r)
		if err != nil {
			return err
		}
		for _, g := range groups {
			key := fmt.Sprintf("urgent-overdue:%s:%d:%s", v.ID, r.StageDueAt.Unix(), g.Key)
			err := j.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.WorkflowUrgentOverdue, Data: v, DedupeKey: key})
			if err != nil && !errors.Is(err, storage.ErrDuplicate) {
				return err
			}
		}
	}
	return nil
}
