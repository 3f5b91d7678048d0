package requests

import (
	"slices"

	"github.com/qiao-community/qiao/storage"
)

// Actions people take on a request. The answers to suggestions and needs
// (adopt, done, defer, decline) are recorded as the event action "answer".
const (
	ActDispatch  = "dispatch"
	ActAccept    = "accept"
	ActResolve   = "resolve"
	ActRate      = "rate"
	ActReject    = "reject"
	ActCancel    = "cancel"
	ActWithdraw  = "withdraw"
	ActDuplicate = "duplicate"
	ActAdd       = "add"
	ActAdopt     = "adopt"
	ActDone      = "done"
	ActDefer     = "defer"
	ActDecline   = "decline"
	// The service workflow (service.go, extension.go; docs/workflow.md).
	ActReturn    = "return"            // 退单: the department hands a misrouted ticket back
	ActExtend    = "extend"            // 延期: the department asks for more time
	ActApprove   = "approve_extension" // 批准延期
	ActRefuse    = "refuse_extension"  // 驳回延期
	ActCallback  = "callback"          // 回访: staff record the resident's rating on their behalf
	ActSupervise = "supervise"         // 督办: staff escalate now
	ActUrgent    = "urgent"            // 加急: staff flag a ticket 紧急 (urgent.go)
	ActNotUrgent = "not_urgent"        // 取消加急
)

// Actions lists every action but ActNotUrgent, which applies only to an
// urgent ticket (a flag, not a state: the state tables cannot show it).
var Actions = []string{ActDispatch, ActAccept, ActResolve, ActRate, ActReject, ActCancel, ActWithdraw, ActDuplicate,
	ActAdd, ActAdopt, ActDone, ActDefer, ActDecline, ActReturn, ActExtend, ActApprove, ActRefuse, ActCallback, ActSupervise,
	ActUrgent}

// Role is how the person acting relates to a request.
type Role struct {
	Reporter   bool // reported it
	Staff      bool // community staff or admin
	GridWorker bool // grid worker of the request's grid
	Holder     bool // member of the department it is dispatched to
}

// The vocabulary's open states, as the rules below use them.
var (
	openTicket = storage.OpenStates(storage.KindRepair)
	openTriage = storage.OpenStates(storage.KindSuggestion)
	anyState   = storage.States()
)

// rule allows an action from some states to some people.
type rule struct {
	ticket bool // a ticket rule; otherwise a suggestion/need rule
	action string
	from   []string
	who    func(Role) bool
	to     string // "" keeps the state (add) or is decided by the handler (rate)
}

func staff(r Role) bool           { return r.Staff }
func reporter(r Role) bool        { return r.Reporter }
func holder(r Role) bool          { return r.Holder }
func dispatcher(r Role) bool      { return r.Staff || r.GridWorker }
func staffOrHolder(r Role) bool   { return r.Staff || r.Holder }
func anyoneInvolved(r Role) bool  { return r.Staff || r.Holder || r.Reporter }
func staffOrReporter(r Role) bool { return r.Staff || r.Reporter }

// rules is the whole workflow: whatever is not here is refused.
var rules = []rule{
	{true, ActDispatch, []string{storage.StateSubmitted, storage.StateReopened, storage.StateDispatched}, dispatcher, storage.StateDispatched},
	{true, ActAccept, []string{storage.StateDispatched}, holder, storage.StateAccepted},
	{true, ActResolve, []string{storage.StateDispatched, storage.StateAccepted}, staffOrHolder, storage.StateResolved},
	{true, ActResolve, []string{storage.StateSubmitted, storage.StateReopened}, staff, storage.StateResolved},
	{true, ActRate, []string{storage.StateResolved}, reporter, ""},
	{true, ActReject, openTicket, staff, storage.StateRejected},
	{true, ActCancel, openTicket, staff, storage.StateCancelled},
	{true, ActWithdraw, []string{storage.StateSubmitted, storage.StateReopened}, reporter, storage.StateWithdrawn},
	{true, ActDuplicate, openTicket, staff, storage.StateDuplicate},
	{true, ActAdd, anyState, anyoneInvolved, ""},
	{true, ActReturn, []string{storage.StateDispatched, storage.StateAccepted}, holder, storage.StateSubmitted},
	{true, ActExtend, []string{storage.StateDispatched, storage.StateAccepted}, holder, ""},
	{true, ActApprove, []string{storage.StateDispatched, storage.StateAccepted}, staff, ""},
	{true, ActRefuse, []string{storage.StateDispatched, storage.StateAccepted}, staff, ""},
	{true, ActCallback, []string{storage.StateResolved}, staff, ""},
	{true, ActSupervise, openTicket, staff, ""},
	{true, ActUrgent, openTicket, staff, ""},
	{true, ActNotUrgent, openTicket, staff, ""},
	{false, ActAdopt, []string{storage.StateSubmitted, storage.StateDeferred}, staff, storage.StateAdopted},
	{false, ActDone, openTriage, staff, storage.StateDone},
	{false, ActDefer, []string{storage.StateSubmitted, storage.StateAdopted}, staff, storage.StateDeferred},
	{false, ActDecline, openTriage, staff, storage.StateDeclined},
	{false, ActWithdraw, []string{storage.StateSubmitted}, reporter, storage.StateWithdrawn},
	{false, ActDuplicate, openTriage, staff, storage.StateDuplicate},
	{false, ActAdd, anyState, staffOrReporter, ""},
}

// Why a transition is refused.
const (
	WhyKind  = "kind"  // the action does not apply to this kind of request
	WhyRole  = "role"  // this person may never do it
	WhyState = "state" // not in the request's current state
)

// Decide says what action does to a request of kind in state when done by
// role: the new state, or why it is refused. For add the state is unchanged;
// for rate the handler picks closed or reopened.
func Decide(kind, state, action string, role Role) (to, why string) {
	ticket := storage.IsTicket(kind)
	kindOK, roleOK := false, false
	for _, r := range rules {
		if r.ticket != ticket || r.action != action {
			continue
		}
		kindOK = true
		if !r.who(role) {
			continue
		}
		roleOK = true
		if slices.Contains(r.from, state) {
			if r.to == "" {
				return state, ""
			}
			return r.to, ""
		}
	}
	switch {
	case !kindOK:
		return "", WhyKind
	case !roleOK:
		return "", WhyRole
	}
	return "", WhyState
}

// Allowed lists the actions role may take on a request of kind in state,
// other than add, in the order of Actions.
func Allowed(kind, state string, role Role) []string {
	var out []string
	for _, a := range Actions {
		if a == ActAdd {
			continue
		}
		if _, why := Decide(kind, state, a, role); why == "" {
			out = append(out, a)
		}
	}
	return out
}
