package requests

import (
	"errors"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/workdays"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// extensionView is what the extension templates show.
type extensionView struct {
	view
	Length, Reason string
}

// Extend asks staff for more time on a ticket the sender's department holds:
// #延期 R12 3天 等配件. One request at a time; staff approve or refuse it.
func (h *Handlers) Extend(c *bot.Context) error {
	s, err := h.begin(c, ActExtend)
	if err != nil {
		return err
	}
	id := Ref(s.r.Kind, s.r.ID)
	lengthText, reason, _ := strings.Cut(s.rest, " ")
	reason = strings.TrimSpace(reason)
	length, perr := workdays.Parse(lengthText)
	if lengthText == "" || perr != nil || length.Duration < 0 || length.IsZero() || reason == "" {
		return bot.Refuse(prompts.WorkflowExtendUsage, map[string]string{"ID": id})
	}
	if s.r.StageDueAt.IsZero() {
		return bot.Refuse(prompts.WorkflowExtendNoLimit, map[string]string{"ID": id})
	}
	now, cal, max := c.Now(), h.Config.calendar(), h.Config.Workflow.MaxExtension
	if length.After(now, cal).After(max.After(now, cal)) {
		return bot.Refuse(prompts.WorkflowExtendTooLong, map[string]string{"ID": id, "Max": max.String()})
	}
	if _, err := c.Tx.PendingExtension(s.r.ID); err == nil {
		return bot.Refuse(prompts.WorkflowExtendPending, map[string]string{"ID": id})
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	s.dep = s.r.DepartmentID
	if _, err := c.Tx.CreateExtension(storage.Extension{RequestID: s.r.ID, DepartmentID: s.r.DepartmentID, AskedBy: c.Person.ID,
		Length: length.String(), Reason: reason}); err != nil {
		return err
	}
	v, err := s.commit(ActExtend, length.String()+" "+reason)
	if err != nil {
		return err
	}
	ev := extensionView{view: v, Length: length.String(), Reason: reason}
	if err := c.Reply(prompts.WorkflowExtendAsked, ev); err != nil {
		return err
	}
	staff, err := c.Tx.Groups(c.Community.ID, storage.GroupStaff)
	return s.notifyGroups(staff, err, bot.Post{Template: prompts.WorkflowStaffExtension, Data: ev})
}

// ApproveExtension grants a pending extension: #批准延期 R12. The new
// deadline runs from the current one (or from now, if that has passed).
func (h *Handlers) ApproveExtension(c *bot.Context) error {
	return h.decideExtension(c, ActApprove)
}

// RefuseExtension turns a pending extension down: #驳回延期 R12 原因.
func (h *Handlers) RefuseExtension(c *bot.Context) error {
	return h.decideExtension(c, ActRefuse)
}

func (h *Handlers) decideExtension(c *bot.Context, action string) error {
	s, err := h.begin(c, action)
	if err != nil {
		return err
	}
	id := Ref(s.r.Kind, s.r.ID)
	e, err := c.Tx.PendingExtension(s.r.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return bot.Refuse(prompts.WorkflowNoExtension, map[string]string{"ID": id})
	}
	if err != nil {
		return err
	}
	if action == ActRefuse && s.rest == "" {
		return bot.Refuse(prompts.RequestsNeedNote, map[string]string{"Action": action, "ID": id})
	}
	length, err := workdays.Parse(e.Length)
	if err != nil {
		return err // stored by Extend from a parsed limit: cannot happen
	}
	state, note, template := storage.ExtensionRefused, s.rest, prompts.WorkflowHolderExtensionRefused
	if action == ActApprove {
		state, note, template = storage.ExtensionApproved, e.Length, prompts.WorkflowHolderExtensionApproved
		from := laterOf(s.r.StageDueAt, c.Now()).In(location(c.Community.Timezone))
		s.r.StageDueAt, s.r.Escalated = length.After(from, h.Config.calendar()), 0
	}
	if err := c.Tx.DecideExtension(e.ID, state, c.Person.ID, s.rest); err != nil {
		return err
	}
	s.dep = e.DepartmentID
	v, err := s.commit(action, note)
	if err != nil {
		return err
	}
	ev := extensionView{view: v, Length: e.Length, Reason: s.rest}
	if err := c.Reply(prompts.WorkflowExtensionDecided, ev); err != nil {
		return err
	}
	groups, err := s.dir.holderGroups(s.r)
	return s.notifyGroups(groups, err, bot.Post{Template: template, Data: ev})
}
