package requests

import (
	"errors"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// The service workflow offices are judged by (docs/workflow.md): a
// department hands back a misrouted ticket (退单), staff record a phone
// call-back (回访) and escalate at once (督办). Extensions are in extension.go.

// Return hands a dispatched ticket back to the dispatcher: #退单 R12 属地不符.
// The reason is required; the hand-back counts against the department.
func (h *Handlers) Return(c *bot.Context) error {
	s, err := h.begin(c, ActReturn)
	if err != nil {
		return err
	}
	if s.rest == "" {
		return bot.Refuse(prompts.RequestsNeedNote, map[string]string{"Action": ActReturn, "ID": Ref(s.r.Kind, s.r.ID)})
	}
	before := s.before()
	s.dep = before.DepartmentID
	if err := dropPendingExtension(c.Tx, s.r.ID, c.Person.ID); err != nil {
		return err
	}
	s.r.DepartmentID, s.r.AssigneeID, s.r.Escalated = 0, 0, 0
	s.r.StageDueAt = h.due(c, s.r, storage.StateSubmitted)
	v, err := s.commit(ActReturn, s.rest)
	if err != nil {
		return err
	}
	v.Department = s.dir.department(before.DepartmentID).Name
	if err := c.Reply(prompts.WorkflowReturned, v); err != nil {
		return err
	}
	staff, err := c.Tx.Groups(c.Community.ID, storage.GroupStaff)
	return s.notifyGroups(staff, err, bot.Post{Template: prompts.WorkflowStaffReturned, Data: v})
}

// dropPendingExtension refuses an undecided extension of a ticket that left
// its department: there is nothing left to extend.
func dropPendingExtension(tx *storage.Tx, requestID, actorID int64) error {
	e, err := tx.PendingExtension(requestID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.DecideExtension(e.ID, storage.ExtensionRefused, actorID, ActReturn)
}

// Callback records the resident's rating taken by staff on a phone call-back:
// #回访 R12 满意|基本满意|不满意 [电话回访记录]. It counts as the resident's
// rating and is shown as recorded by staff on their behalf.
func (h *Handlers) Callback(c *bot.Context) error {
	if done, err := h.callbackFollower(c); done || err != nil {
		return err
	}
	s, err := h.begin(c, ActCallback)
	if err != nil {
		return err
	}
	rating, record := parseRating(s.rest)
	if rating == "" {
		return bot.Refuse(prompts.WorkflowCallbackUsage, map[string]string{"ID": Ref(s.r.Kind, s.r.ID)})
	}
	s.dir.know(c.Person)
	v, err := h.rate(s, rating, record, c.Person.ID)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.WorkflowCalledBack, v); err != nil {
		return err
	}
	if err := s.notifyReporter(bot.Post{Template: prompts.WorkflowReporterCalledBack, Data: v}); err != nil {
		return err
	}
	return s.announceRating(v, rating, prompts.WorkflowHolderCalledBack)
}

// Supervise escalates an open ticket now, whatever its time limit: #督办 R12 [要求].
// Whoever holds it is told, and the admins privately.
func (h *Handlers) Supervise(c *bot.Context) error {
	s, err := h.begin(c, ActSupervise)
	if err != nil {
		return err
	}
	if s.r.Escalated < levelStaff {
		s.r.Escalated = levelStaff // the overdue job need not escalate to staff again
	}
	v, err := s.commit(ActSupervise, s.rest)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.WorkflowSupervised, v); err != nil {
		return err
	}
	groups, err := s.dir.holderGroups(s.r)
	if err := s.notifyGroups(groups, err, bot.Post{Template: prompts.WorkflowHolderSupervised, Data: v}); err != nil {
		return err
	}
	admins, err := c.Tx.PeopleWithRole(c.Community.ID, storage.RoleAdmin, "")
	if err != nil {
		return err
	}
	for _, p := range admins {
		if p.ID == c.Person.ID {
			continue
		}
		if err := c.Notify(p, bot.Post{Template: prompts.WorkflowAdminSupervised, Data: v}); err != nil {
			return err
		}
	}
	return nil
}

// laterOf is the later of two times, zero counting as earliest.
func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
