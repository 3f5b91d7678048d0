package requests

import (
	"slices"

	"github.com/qiao-community/qiao/storage"
)

// Request states (see CONTRACTS.md).
const (
	StateSubmitted  = "submitted"
	StateDispatched = "dispatched"
	StateAccepted   = "accepted"
	StateResolved   = "resolved"
	StateClosed     = "closed"
	StateReopened   = "reopened"
	StateRejected   = "rejected"
	StateCancelled  = "cancelled"
	StateWithdrawn  = "withdrawn"
	StateDuplicate  = "duplicate"
	StateAdopted    = "adopted"
	StateDone       = "done"
	StateDeferred   = "deferred"
	StateDeclined   = "declined"
)

// States lists every state, tickets' first.
var States = []string{StateSubmitted, StateDispatched, StateAccepted, StateResolved, StateClosed, StateReopened,
	StateRejected, StateCancelled, StateWithdrawn, StateDuplicate, StateAdopted, StateDone, StateDeferred, StateDeclined}

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
)

// Actions lists every action.
var Actions = []string{ActDispatch, ActAccept, ActResolve, ActRate, ActReject, ActCancel, ActWithdraw, ActDuplicate,
	ActAdd, ActAdopt, ActDone, ActDefer, ActDecline}

// Ratings a reporter gives.
const (
	RatingSatisfied   = "satisfied"
	RatingBasic       = "basic"
	RatingUnsatisfied = "unsatisfied"
)

// Role is how the person acting relates to a request.
type Role struct {
	Reporter   bool // reported it
	Staff      bool // community staff or admin
	GridWorker bool // grid worker of the request's grid
	Holder     bool // member of the department it is dispatched to
}

// IsTicket reports whether a kind runs the dispatch workflow (repairs, complaints).
func IsTicket(kind string) bool { return kind == storage.KindRepair || kind == storage.KindComplaint }

// IsOpen reports whether a request of kind in state still needs work.
func IsOpen(kind, state string) bool {
	if IsTicket(kind) {
		return slices.Contains(openTicket, state)
	}
	return slices.Contains(openTriage, state)
}

// IsFinal reports whether nothing more happens to a request in state.
func IsFinal(kind, state string) bool {
	return !IsOpen(kind, state) && state != StateResolved
}

var (
	openTicket = []string{StateSubmitted, StateDispatched, StateAccepted, StateReopened}
	openTriage = []string{StateSubmitted, StateAdopted, StateDeferred}
	anyState   = States
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
	{true, ActDispatch, []string{StateSubmitted, StateReopened, StateDispatched}, dispatcher, StateDispatched},
	{true, ActAccept, []string{StateDispatched}, holder, StateAccepted},
	{true, ActResolve, []string{StateDispatched, StateAccepted}, staffOrHolder, StateResolved},
	{true, ActResolve, []string{StateSubmitted, StateReopened}, staff, StateResolved},
	{true, ActRate, []string{StateResolved}, reporter, ""},
	{true, ActReject, openTicket, staff, StateRejected},
	{true, ActCancel, openTicket, staff, StateCancelled},
	{true, ActWithdraw, []string{StateSubmitted, StateReopened}, reporter, StateWithdrawn},
	{true, ActDuplicate, openTicket, staff, StateDuplicate},
	{true, ActAdd, anyState, anyoneInvolved, ""},
	{false, ActAdopt, []string{StateSubmitted, StateDeferred}, staff, StateAdopted},
	{false, ActDone, openTriage, staff, StateDone},
	{false, ActDefer, []string{StateSubmitted, StateAdopted}, staff, StateDeferred},
	{false, ActDecline, openTriage, staff, StateDeclined},
	{false, ActWithdraw, []string{StateSubmitted}, reporter, StateWithdrawn},
	{false, ActDuplicate, openTriage, staff, StateDuplicate},
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
	ticket := IsTicket(kind)
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
