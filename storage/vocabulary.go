package storage

import (
	"slices"
	"strings"
)

// The request workflow's vocabulary, defined once: kinds, states, which states
// are open, ratings and the satisfaction rate. Handlers, digests and the SQL
// here all read it from this file; the names people see are in prompts
// (requests.kind_name, requests.state_name, requests.rating_name), and the
// partial indexes of 0002_digest.sql are checked against LiveStates by a test.
//
// The workflow: a resident reports (居民点单), the community dispatches
// (社区派单), a department accepts and resolves (部门接单), the resident rates
// (群众评单). Suggestions and needs are answered instead of dispatched.

// Request kinds.
const (
	KindRepair     = "repair"
	KindComplaint  = "complaint"
	KindSuggestion = "suggestion"
	KindNeed       = "need"
)

// Kinds lists every kind in the order screens show them.
func Kinds() []string {
	return []string{KindRepair, KindComplaint, KindSuggestion, KindNeed}
}

// IsTicket reports whether a kind runs the dispatch workflow (repairs, complaints).
func IsTicket(kind string) bool { return kind == KindRepair || kind == KindComplaint }

// Request states.
const (
	StateSubmitted  = "submitted"  // reported: a ticket waits for dispatch, a suggestion for an answer
	StateDispatched = "dispatched" // sent to a department, waiting for it to accept
	StateAccepted   = "accepted"   // a department is on it
	StateResolved   = "resolved"   // done, waiting for the reporter's rating
	StateClosed     = "closed"     // rated satisfied or basically satisfied
	StateReopened   = "reopened"   // rated unsatisfied: back to the community
	StateRejected   = "rejected"
	StateCancelled  = "cancelled"
	StateWithdrawn  = "withdrawn"
	StateDuplicate  = "duplicate"
	StateAdopted    = "adopted"
	StateDone       = "done"
	StateDeferred   = "deferred"
	StateDeclined   = "declined"
)

// StateUnanswered is not stored: it is how screens name a suggestion or need
// in StateSubmitted, which waits for an answer rather than a dispatch.
const StateUnanswered = "unanswered"

// States lists every stored state, tickets' first, in the order screens show them.
func States() []string {
	return []string{StateSubmitted, StateDispatched, StateAccepted, StateResolved, StateClosed, StateReopened,
		StateRejected, StateCancelled, StateWithdrawn, StateDuplicate, StateAdopted, StateDone, StateDeferred, StateDeclined}
}

// The open states, by kind: a request in one of them still needs work.
var (
	ticketOpenStates  = []string{StateSubmitted, StateDispatched, StateAccepted, StateReopened}
	requestOpenStates = []string{StateSubmitted, StateAdopted, StateDeferred} // suggestions and needs
)

// OpenStates lists the states in which a request of kind still needs work.
func OpenStates(kind string) []string {
	if IsTicket(kind) {
		return slices.Clone(ticketOpenStates)
	}
	return slices.Clone(requestOpenStates)
}

// AllOpenStates lists the states in which a request of any kind still needs work.
func AllOpenStates() []string {
	out := slices.Clone(ticketOpenStates)
	for _, s := range requestOpenStates {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// IsOpen reports whether a request of kind in state still needs work.
func IsOpen(kind, state string) bool {
	if IsTicket(kind) {
		return slices.Contains(ticketOpenStates, state)
	}
	return slices.Contains(requestOpenStates, state)
}

// IsFinal reports whether nothing more happens to a request in state.
func IsFinal(kind, state string) bool {
	return !IsOpen(kind, state) && state != StateResolved
}

// LiveStates lists every state in which a request may still change: the open
// ones of both kinds and resolved (waiting for a rating).
func LiveStates() []string {
	return []string{StateSubmitted, StateDispatched, StateAccepted, StateReopened, StateResolved, StateAdopted, StateDeferred}
}

// SQL lists of the vocabulary, spliced into queries (see liveStates).
var (
	ticketKinds  = sqlList([]string{KindRepair, KindComplaint})
	requestKinds = sqlList([]string{KindSuggestion, KindNeed})
)

// liveStates is LiveStates as an SQL list. It is spliced into queries as text,
// not bound, so that SQLite can prove they match the partial indexes
// requests_live_* (0002_digest.sql), whose list must read exactly the same.
var liveStates = sqlList(LiveStates())

// sqlList quotes constant words (never user text) as an SQL list: 'a', 'b'.
func sqlList(words []string) string {
	return "'" + strings.Join(words, "', '") + "'"
}

// DisplayState is the state screens name for a request of kind in state:
// StateUnanswered for a suggestion or need not yet answered, else state.
func DisplayState(kind, state string) string {
	if state == StateSubmitted && !IsTicket(kind) {
		return StateUnanswered
	}
	return state
}

// DisplayStates lists every state DisplayState returns, in the order screens show them.
func DisplayStates() []string {
	return slices.Insert(States(), 1, StateUnanswered)
}

// Ratings a reporter gives.
const (
	RatingSatisfied   = "satisfied"
	RatingBasic       = "basic"
	RatingUnsatisfied = "unsatisfied"
)

// Ratings counts ratings. The satisfaction rate is Good() / Rated().
type Ratings struct {
	Satisfied, Basic, Unsatisfied int
}

// Add counts one rating; an unknown one is ignored.
func (r *Ratings) Add(rating string) {
	switch rating {
	case RatingSatisfied:
		r.Satisfied++
	case RatingBasic:
		r.Basic++
	case RatingUnsatisfied:
		r.Unsatisfied++
	}
}

// Rated is the number of ratings.
func (r Ratings) Rated() int { return r.Satisfied + r.Basic + r.Unsatisfied }

// Good is the number of ratings that count as satisfied: satisfied and
// basically satisfied.
func (r Ratings) Good() int { return r.Satisfied + r.Basic }
