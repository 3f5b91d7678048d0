package requests

import (
	"errors"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/workdays"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// due is when a stage entered now becomes overdue (zero: no limit). Working
// days are counted in the community's time zone.
func (h *Handlers) due(c *bot.Context, r storage.Request, state string) time.Time {
	var l workdays.Limit
	if storage.IsTicket(r.Kind) {
		l = h.Config.limit(r, state)
	} else if state == storage.StateSubmitted {
		l = workdays.Hours(h.Config.AnswerWithin)
	}
	return l.After(c.Now().In(location(c.Community.Timezone)), h.Config.calendar())
}

// step is one command acting on one request: what it found and decided.
type step struct {
	c      *bot.Context
	dir    *directory
	r      storage.Request
	from   string
	action string
	rest   string // the text after the ID
	dep    int64  // the department acted for, recorded with the event (退单, 延期)
}

// begin parses "ID rest", loads the request and checks that the sender may
// take action on it now; a refusal says why and what is possible.
func (h *Handlers) begin(c *bot.Context, action string) (*step, error) {
	arg, rest, _ := strings.Cut(c.RawArgs(), " ")
	if arg == "" {
		return nil, bot.Refuse(prompts.RequestsCommandUsage, map[string]string{"Action": action})
	}
	r, err := loadRequest(c.Tx, c.Community.ID, arg)
	if errors.Is(err, errBadRef) {
		return nil, bot.Refuse(prompts.RequestsCommandUsage, map[string]string{"Action": action})
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, bot.Refuse(prompts.RequestsNotFound, map[string]string{"ID": arg})
	}
	if err != nil {
		return nil, err
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return nil, err
	}
	s := &step{c: c, dir: dir, r: r, from: r.State, action: action, rest: strings.TrimSpace(rest)}
	role := dir.role(c.Person, r)
	to, why := Decide(r.Kind, r.State, action, role)
	if why != "" {
		data := map[string]any{"ID": Ref(r.Kind, r.ID), "Kind": r.Kind, "State": storage.DisplayState(r.Kind, r.State), "Action": action,
			"Allowed": Allowed(r.Kind, r.State, role)}
		return nil, bot.Refuse(prompts.RequestsRefuse+"."+why, data)
	}
	s.r.State = to
	return s, nil
}

// commit saves the request, records the event and returns the view for the messages.
func (s *step) commit(eventAction, note string) (view, error) {
	if err := s.c.Tx.SaveRequest(s.r); err != nil {
		return view{}, err
	}
	if err := s.c.Tx.AddRequestEvent(storage.RequestEvent{RequestID: s.r.ID, ActorID: s.c.Person.ID, Action: eventAction,
		FromState: s.from, ToState: s.r.State, Note: note, DepartmentID: s.dep}); err != nil {
		return view{}, err
	}
	v, err := s.dir.view(s.r)
	v.Note, v.Actor, v.Action = note, s.c.Person.Name, s.action
	return v, err
}

// notifyGroups posts into groups other than the sender's.
func (s *step) notifyGroups(groups []storage.Group, err error, p bot.Post) error {
	if err != nil {
		return err
	}
	return postAll(s.c, groups, p)
}

// Dispatch hands a ticket to a department: #派单 R12 物业.
func (h *Handlers) Dispatch(c *bot.Context) error {
	s, err := h.begin(c, ActDispatch)
	if err != nil {
		return err
	}
	dep, ok := s.dir.findDepartment(strings.TrimSpace(s.rest))
	if !ok {
		return bot.Refuse(prompts.RequestsUnknownDepartment, map[string]any{"Name": s.rest, "Names": s.dir.departmentNames()})
	}
	before := s.before()
	s.dep = dep.ID // the dispatch counts for the department's 响应率
	s.r.DepartmentID, s.r.AssigneeID, s.r.Escalated = dep.ID, 0, 0
	s.r.StageDueAt = h.due(c, s.r, storage.StateDispatched)
	v, err := s.commit("dispatch", dep.Name)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.RequestsDispatched, v); err != nil {
		return err
	}
	groups, err := s.dir.departmentGroups(dep.ID)
	if err := s.notifyGroups(groups, err, bot.Post{Template: prompts.RequestsDepartmentNew, Data: v}); err != nil {
		return err
	}
	if !c.Person.IsStaff() { // a grid worker dispatched it: staff keep the overview
		staff, err := c.Tx.Groups(c.Community.ID, storage.GroupStaff)
		if err := s.notifyGroups(staff, err, bot.Post{Template: prompts.RequestsHolderEvent, Data: v}); err != nil {
			return err
		}
	}
	if heldByDepartment(before) && before.DepartmentID != dep.ID { // moved: the first department lets go
		groups, err := s.dir.departmentGroups(before.DepartmentID)
		if err := s.notifyGroups(groups, err, bot.Post{Template: prompts.RequestsHolderEvent, Data: v}); err != nil {
			return err
		}
	}
	return s.notifyReporter(bot.Post{Template: prompts.RequestsReporterDispatched, Data: v})
}

// Accept takes a dispatched ticket on for the sender's department: #接单 R12.
func (h *Handlers) Accept(c *bot.Context) error {
	s, err := h.begin(c, ActAccept)
	if err != nil {
		return err
	}
	s.r.AssigneeID, s.r.Escalated = c.Person.ID, 0
	s.r.StageDueAt = h.due(c, s.r, storage.StateAccepted)
	v, err := s.commit("accept", s.rest)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.RequestsAccepted, v); err != nil {
		return err
	}
	return s.notifyReporter(bot.Post{Template: prompts.RequestsReporterAccepted, Data: v})
}

// Resolve finishes a ticket with a note and asks the reporter to rate it: #办结 R12 已更换灯泡.
func (h *Handlers) Resolve(c *bot.Context) error {
	s, err := h.begin(c, ActResolve)
	if err != nil {
		return err
	}
	if s.rest == "" {
		return bot.Refuse(prompts.RequestsNeedNote, map[string]string{"Action": ActResolve, "ID": Ref(s.r.Kind, s.r.ID)})
	}
	if err := h.resolvePhotoMissing(c, s); err != nil {
		return err
	}
	s.r.Answer, s.r.ResolvedAt, s.r.StageDueAt, s.r.Escalated = s.rest, c.Now(), time.Time{}, 0
	if s.r.AssigneeID == 0 {
		s.r.AssigneeID = c.Person.ID
	}
	v, err := s.commit("resolve", s.rest)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.RequestsResolved, v); err != nil {
		return err
	}
	var buttons []bot.Button
	for _, rating := range []string{storage.RatingSatisfied, storage.RatingBasic, storage.RatingUnsatisfied} {
		label, err := c.Outbox.Render(c.Lang, prompts.RequestsRatingName, rating)
		if err != nil {
			return err
		}
		buttons = append(buttons, bot.Button{Text: label, Data: "rate " + v.ID + " " + ratingWords[rating]})
	}
	if err := s.notifyReporter(bot.Post{Template: prompts.RequestsReporterResolved, Data: v, Buttons: [][]bot.Button{buttons}}); err != nil {
		return err
	}
	if err := h.shareStepPhotos(s, storage.StageResolve); err != nil {
		return err
	}
	if heldByDepartment(s.before()) && !s.dir.role(c.Person, s.r).Holder { // staff resolved it for the department
		groups, err := s.dir.departmentGroups(s.r.DepartmentID)
		return s.notifyGroups(groups, err, bot.Post{Template: prompts.RequestsHolderEvent, Data: v})
	}
	return nil
}

// Reject closes a ticket that is not the community's to fix: #退回 R12 原因.
func (h *Handlers) Reject(c *bot.Context) error { return h.close(c, ActReject) }

// Cancel closes a ticket that no longer needs work: #取消 R12 原因.
func (h *Handlers) Cancel(c *bot.Context) error { return h.close(c, ActCancel) }

// Withdraw lets the reporter take back a request before it is dispatched: #撤回 R12 [原因].
func (h *Handlers) Withdraw(c *bot.Context) error { return h.close(c, ActWithdraw) }

// close ends a request without a fix: reject, cancel, withdraw.
func (h *Handlers) close(c *bot.Context, action string) error {
	s, err := h.begin(c, action)
	if err != nil {
		return err
	}
	if s.rest == "" && action != ActWithdraw {
		return bot.Refuse(prompts.RequestsNeedNote, map[string]string{"Action": action, "ID": Ref(s.r.Kind, s.r.ID)})
	}
	before := s.before()
	s.r.ClosedAt, s.r.StageDueAt = c.Now(), time.Time{}
	if s.rest != "" {
		s.r.Answer = s.rest
	}
	v, err := s.commit(action, s.rest)
	if err != nil {
		return err
	}
	return s.announceClosed(v, before, action == ActWithdraw)
}

// before is the request as it was before this step.
func (s *step) before() storage.Request {
	r := s.r
	r.State = s.from
	return r
}

// announceClosed tells the sender, the reporter and (if a department held it,
// or always) whoever held the request that it is closed without a fix.
func (s *step) announceClosed(v view, before storage.Request, always bool) error {
	if err := s.c.Reply(prompts.RequestsClosed, v); err != nil {
		return err
	}
	if err := s.notifyReporter(bot.Post{Template: prompts.RequestsReporterClosed, Data: v}); err != nil {
		return err
	}
	if !always && !heldByDepartment(before) {
		return nil
	}
	groups, err := s.dir.holderGroups(before)
	return s.notifyGroups(groups, err, bot.Post{Template: prompts.RequestsHolderEvent, Data: v})
}

// Duplicate closes a request as the same matter as another: #重复 R15 R12 [说明].
func (h *Handlers) Duplicate(c *bot.Context) error {
	s, err := h.begin(c, ActDuplicate)
	if err != nil {
		return err
	}
	arg, note, _ := strings.Cut(s.rest, " ")
	orig, err := loadRequest(c.Tx, c.Community.ID, arg)
	if errors.Is(err, errBadRef) || arg == "" {
		return bot.Refuse(prompts.RequestsCommandUsage, map[string]string{"Action": ActDuplicate})
	}
	if errors.Is(err, storage.ErrNotFound) {
		return bot.Refuse(prompts.RequestsNotFound, map[string]string{"ID": arg})
	}
	if err != nil {
		return err
	}
	if orig.DuplicateOf != 0 { // link to the matter itself, not to another duplicate
		if orig, err = c.Tx.FindRequest(c.Community.ID, orig.DuplicateOf); err != nil {
			return err
		}
	}
	if orig.ID == s.r.ID {
		return bot.Refuse(prompts.RequestsDuplicateSelf, map[string]string{"ID": Ref(s.r.Kind, s.r.ID)})
	}
	before := s.before()
	s.r.DuplicateOf, s.r.ClosedAt, s.r.StageDueAt = orig.ID, c.Now(), time.Time{}
	s.r.Answer = strings.TrimSpace(note)
	v, err := s.commit("duplicate", strings.TrimSpace(Ref(orig.Kind, orig.ID)+" "+note))
	if err != nil {
		return err
	}
	v.Note = strings.TrimSpace(note)
	return s.announceClosed(v, before, false)
}

// Add appends information or a follow-up to a request, open or not: #补充 R12 内容.
// Whoever holds it is told; on a closed request, staff are.
func (h *Handlers) Add(c *bot.Context) error {
	s, err := h.begin(c, ActAdd)
	if err != nil {
		return err
	}
	if s.rest == "" && len(c.Msg.Attachments) == 0 {
		return bot.Refuse(prompts.RequestsNeedNote, map[string]string{"Action": ActAdd, "ID": Ref(s.r.Kind, s.r.ID)})
	}
	v, err := s.commit("add", s.rest)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.RequestsAdded, v); err != nil {
		return err
	}
	if c.Person.ID != s.r.PersonID {
		if err := s.notifyReporter(bot.Post{Template: prompts.RequestsReporterAdded, Data: v}); err != nil {
			return err
		}
	}
	groups, err := s.dir.holderGroups(s.r)
	if err := s.notifyGroups(groups, err, bot.Post{Template: prompts.RequestsHolderEvent, Data: v}); err != nil {
		return err
	}
	return h.shareStepPhotos(s, storage.StageSupplement)
}

// Adopt answers a suggestion or need: 采纳 (adopted).
func (h *Handlers) Adopt(c *bot.Context) error { return h.answer(c, ActAdopt) }

// Done answers a suggestion or need: 已办 (done).
func (h *Handlers) Done(c *bot.Context) error { return h.answer(c, ActDone) }

// Defer answers a suggestion or need: 暂缓 (deferred).
func (h *Handlers) Defer(c *bot.Context) error { return h.answer(c, ActDefer) }

// Decline answers a suggestion or need: 不采纳 (declined).
func (h *Handlers) Decline(c *bot.Context) error { return h.answer(c, ActDecline) }

func (h *Handlers) answer(c *bot.Context, action string) error {
	s, err := h.begin(c, action)
	if err != nil {
		return err
	}
	if s.rest == "" && action == ActDecline {
		return bot.Refuse(prompts.RequestsNeedNote, map[string]string{"Action": action, "ID": Ref(s.r.Kind, s.r.ID)})
	}
	if s.rest != "" {
		s.r.Answer = s.rest
	}
	s.r.StageDueAt = time.Time{}
	if storage.IsFinal(s.r.Kind, s.r.State) {
		s.r.ClosedAt = c.Now()
	}
	v, err := s.commit("answer", s.rest)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.RequestsAnswered, v); err != nil {
		return err
	}
	return s.notifyReporter(bot.Post{Template: prompts.RequestsReporterAnswered, Data: v})
}
