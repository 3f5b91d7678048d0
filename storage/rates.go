package storage

import (
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// The reads behind the 三率 (handlers/requests computeRates): a bounded number
// of statements per period, never one query per ticket. Dispatches and
// hand-backs start from the window's events through request_events_time
// (CROSS JOIN keeps that order without statistics; a request's later events
// by request_events_request); resolved and rated tickets from a range of
// rate_entries (migration 0023).

// WindowEvent is an event of the window with what the 三率 need of its
// request and, for a dispatch, the first event that decided it.
type WindowEvent struct {
	ID, RequestID, DepartmentID int64
	At                          time.Time
	Kind, Category              string
	Urgent                      bool
	BuildingID                  int64
	// The first later event of the request whose action is one of the
	// deciding actions asked for; "" while none has happened.
	NextAction string
	NextAt     time.Time
}

// WindowEvents lists a community's events of one action in [from, to), oldest
// first, each with its request's kind, category, urgency and building and the
// first later event of that request with one of the deciding actions.
func (tx *Tx) WindowEvents(communityID int64, action string, from, to time.Time, deciding ...string) ([]WindowEvent, error) {
	next, args := `NULL, NULL`, []any{}
	if len(deciding) > 0 {
		next = `(SELECT x.action FROM request_events x INDEXED BY request_events_request WHERE x.request_id = e.request_id AND x.id > e.id
				AND x.action IN (` + qmarks(len(deciding)) + `) ORDER BY x.id LIMIT 1),
			(SELECT x.created_at FROM request_events x INDEXED BY request_events_request WHERE x.request_id = e.request_id AND x.id > e.id
				AND x.action IN (` + qmarks(len(deciding)) + `) ORDER BY x.id LIMIT 1)`
		args = append(append(args, strArgs(deciding)...), strArgs(deciding)...)
	}
	rows, err := tx.query(`SELECT e.id, e.request_id, COALESCE(e.department_id, 0), e.created_at,
			r.kind, r.category, r.urgent, COALESCE(r.building_id, 0), `+next+`
		FROM request_events e CROSS JOIN requests r ON r.id = e.request_id
		WHERE e.created_at >= ? AND e.created_at < ? AND e.action = ? AND r.community_id = ?
		ORDER BY e.id`, append(args, unix(from), unix(to), action, communityID)...)
	if err != nil {
		return nil, fmt.Errorf("window events: %w", err)
	}
	defer rows.Close()
	var out []WindowEvent
	for rows.Next() {
		var e WindowEvent
		var at int64
		var nextAction sql.NullString
		var nextAt sql.NullInt64
		if err := rows.Scan(&e.ID, &e.RequestID, &e.DepartmentID, &at, &e.Kind, &e.Category, &e.Urgent, &e.BuildingID,
			&nextAction, &nextAt); err != nil {
			return nil, err
		}
		e.At, e.NextAction, e.NextAt = fromUnix(at), nextAction.String, fromNull(nextAt)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RateGroup is how many distinct tickets of one department, building and
// urgency a measure counted. Tickets are counted once: groups never share one.
type RateGroup struct {
	DepartmentID, BuildingID int64
	Urgent                   bool
	N                        int
	Solved                   int // of N, resolved or closed now (解决率)
	Ratings                      // their ratings (满意率)
	Comments                 int // of N, rated with an improvement comment
}

// Period is a window [From, To) of the 三率, and End, when its open tickets
// are judged overdue (To, or the transaction's time if that is earlier).
type Period struct{ From, To, End time.Time }

// CountDue groups, for each period, the tickets due in it (解决率's
// denominator): those with a resolve event in the window, and the repairs and
// complaints created before To still open past their deadline at End. A
// ticket resolved in the window counts for its department; an open one for
// the department holding it (dispatched or accepted), else for none.
//
// One statement for all the periods. The window's resolved tickets are a
// range of rate_entries (migration 0023): each ticket's first resolve entry
// in the window, with its department, building, urgency and state now. The
// open tickets are grouped once (requests_live_due alone, covering since
// 0017) with one count per period; the few of them also resolved in the
// window (reopened since) are counted again with a minus sign, and the groups
// are summed here, so each ticket is counted once.
func (tx *Tx) CountDue(communityID int64, periods ...Period) ([][]RateGroup, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	held := sqlList([]string{StateDispatched, StateAccepted})
	open := `r.state IN (` + liveStates + `) AND r.kind IN (` + ticketKinds + `) AND r.state IN (` + sqlList(ticketOpenStates) + `)`
	var parts, counts []string
	var partArgs, countArgs []any
	last := periods[0].End
	for i, p := range periods {
		from, to := unix(p.From), unix(p.To)
		parts = append(parts, fmt.Sprintf(`SELECT %d, department_id, building_id, urgent, COUNT(*), SUM(solved)
		FROM rate_entries WHERE community_id = ? AND measure = 'resolve' AND at >= ? AND at < ? AND (prev_at IS NULL OR prev_at < ?)
		GROUP BY 2, 3, 4`, i), fmt.Sprintf(`SELECT %d, CASE WHEN r.state IN (`+held+`) THEN COALESCE(r.department_id, 0) ELSE 0 END,
			COALESCE(r.building_id, 0), r.urgent, -COUNT(*), 0
		FROM rate_entries x CROSS JOIN requests r ON r.id = x.request_id
		WHERE x.community_id = ? AND x.measure = 'resolve' AND x.at >= ? AND x.at < ? AND (x.prev_at IS NULL OR x.prev_at < ?)
			AND NOT x.solved AND `+open+` AND r.stage_due_at < ? AND r.created_at < ?
		GROUP BY 2, 3, 4`, i))
		partArgs = append(partArgs, communityID, from, to, from, communityID, from, to, from, unix(p.End), to)
		counts = append(counts, fmt.Sprintf(`SUM(stage_due_at < ? AND created_at < ?) AS due%d`, i))
		countArgs = append(countArgs, unix(p.End), to)
		if p.End.After(last) {
			last = p.End
		}
	}
	// The open tickets past the latest End, grouped once with a count per period.
	overdue := `WITH overdue_units AS MATERIALIZED (
			SELECT CASE WHEN state IN (` + held + `) THEN COALESCE(department_id, 0) ELSE 0 END AS department, COALESCE(building_id, 0) AS building,
				urgent, ` + strings.Join(counts, ", ") + `
			FROM requests r WHERE community_id = ? AND ` + open + ` AND stage_due_at < ?
			GROUP BY 1, 2, 3)`
	args := append(countArgs, communityID, unix(last))
	for i := range periods {
		parts = append(parts, fmt.Sprintf(`SELECT %d, department, building, urgent, due%d, 0 FROM overdue_units WHERE due%d > 0`, i, i, i))
	}
	rows, err := tx.query(overdue+`
		`+strings.Join(parts, "\n\t\tUNION ALL\n\t\t"), append(args, partArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("count due: %w", err)
	}
	defer rows.Close()
	type key struct {
		period               int
		department, building int64
		urgent               bool
	}
	sums := map[key]*RateGroup{}
	var order []key
	for rows.Next() {
		var i int
		var g RateGroup
		if err := rows.Scan(&i, &g.DepartmentID, &g.BuildingID, &g.Urgent, &g.N, &g.Solved); err != nil {
			return nil, err
		}
		k := key{i, g.DepartmentID, g.BuildingID, g.Urgent}
		if s := sums[k]; s != nil {
			s.N, s.Solved = s.N+g.N, s.Solved+g.Solved
			continue
		}
		sums[k] = &g
		order = append(order, k)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([][]RateGroup, len(periods))
	for _, k := range order {
		if g := sums[k]; g.N != 0 {
			out[k.period] = append(out[k.period], *g)
		}
	}
	return out, nil
}

// CountRated groups the tickets rated in [from, to) (a rate or callback
// entry: the reporter's rating or a call-back) by the department that handled
// them (for a merged follower, the ticket it was merged into), with their
// current ratings: each ticket's first rating entry of the window in
// rate_entries (migration 0023), one covering range.
func (tx *Tx) CountRated(communityID int64, from, to time.Time) ([]RateGroup, error) {
	rows, err := tx.query(`SELECT department_id, building_id, urgent, COUNT(*),
			SUM(rating = ?), SUM(rating = ?), SUM(rating = ?), SUM(commented)
		FROM rate_entries WHERE community_id = ? AND measure = 'rate' AND at >= ? AND at < ? AND (prev_at IS NULL OR prev_at < ?)
		GROUP BY 1, 2, 3`, RatingSatisfied, RatingBasic, RatingUnsatisfied, communityID, unix(from), unix(to), unix(from))
	if err != nil {
		return nil, fmt.Errorf("count rated: %w", err)
	}
	return scanRateGroups(rows, func(g *RateGroup) []any {
		return []any{&g.N, &g.Satisfied, &g.Basic, &g.Unsatisfied, &g.Comments}
	})
}

// scanRateGroups reads rows of (department, building, urgent, figures…) and closes them.
func scanRateGroups(rows *sql.Rows, figures func(*RateGroup) []any) ([]RateGroup, error) {
	defer rows.Close()
	var out []RateGroup
	for rows.Next() {
		var g RateGroup
		if err := rows.Scan(append([]any{&g.DepartmentID, &g.BuildingID, &g.Urgent}, figures(&g)...)...); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
