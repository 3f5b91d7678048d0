package storage

import (
	"database/sql"
	"fmt"
	"time"
)

// The reads behind the 三率 (handlers/requests computeRates): a bounded number
// of statements per period, each starting from the window's events through
// request_events_time (CROSS JOIN keeps that order without statistics; a
// request's later events by request_events_request), never
// one query per ticket.

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

// CountDue groups the tickets due in [from, to) (解决率's denominator): those
// with a resolve event in the window, and the repairs and complaints created
// before to still open past their deadline at end. A ticket resolved in the
// window counts for its department; an open one for the department holding
// it (dispatched or accepted), else for none.
func (tx *Tx) CountDue(communityID int64, resolve string, from, to, end time.Time) ([]RateGroup, error) {
	held := sqlList([]string{StateDispatched, StateAccepted})
	args := []any{unix(from), unix(to), resolve, StateResolved, StateClosed, communityID, communityID, unix(end)}
	args = append(append(args, strArgs(ticketOpenStates)...), unix(to))
	// The window's resolved tickets come from request_events_action alone
	// (0019 added request_id), each then read once by its id (the community
	// is checked there); the open ones are grouped from requests_live_due
	// alone (0017 made it covering).
	rows, err := tx.query(`WITH resolved(id) AS (
			SELECT DISTINCT e.request_id FROM request_events e
			WHERE e.created_at >= ? AND e.created_at < ? AND e.action = ?)
		SELECT COALESCE(r.department_id, 0), COALESCE(r.building_id, 0), r.urgent, COUNT(*), SUM(r.state IN (?, ?))
		FROM resolved CROSS JOIN requests r ON r.id = resolved.id
		WHERE r.community_id = ?
		GROUP BY 1, 2, 3
		UNION ALL
		SELECT CASE WHEN state IN (`+held+`) THEN COALESCE(department_id, 0) ELSE 0 END, COALESCE(building_id, 0), urgent, COUNT(*), 0
		FROM requests WHERE community_id = ? AND state IN (`+liveStates+`) AND stage_due_at < ?
			AND kind IN (`+ticketKinds+`) AND state IN (`+qmarks(len(ticketOpenStates))+`) AND created_at < ?
			AND id NOT IN resolved
		GROUP BY 1, 2, 3`, args...)
	if err != nil {
		return nil, fmt.Errorf("count due: %w", err)
	}
	return scanRateGroups(rows, func(g *RateGroup) []any { return []any{&g.N, &g.Solved} })
}

// CountRated groups the tickets rated in [from, to) (an event of one of the
// actions: the reporter's rating or a call-back) by the department that
// handled them (for a merged follower, the ticket it was merged into), with
// their current ratings.
func (tx *Tx) CountRated(communityID int64, from, to time.Time, actions ...string) ([]RateGroup, error) {
	args := append([]any{unix(from), unix(to)}, strArgs(actions)...)
	args = append(args, RatingSatisfied, RatingBasic, RatingUnsatisfied, communityID)
	// As in CountDue: the window's tickets from the index, each read once.
	rows, err := tx.query(`WITH rated(id) AS (
			SELECT DISTINCT e.request_id FROM request_events e
			WHERE e.created_at >= ? AND e.created_at < ? AND e.action IN (`+qmarks(len(actions))+`))
		SELECT COALESCE(CASE WHEN r.duplicate_of IS NULL THEN r.department_id ELSE o.department_id END, 0),
			COALESCE(r.building_id, 0), r.urgent, COUNT(*),
			SUM(r.rating = ?), SUM(r.rating = ?), SUM(r.rating = ?), SUM(r.rating_note <> '')
		FROM rated CROSS JOIN requests r ON r.id = rated.id LEFT JOIN requests o ON o.id = r.duplicate_of
		WHERE r.community_id = ?
		GROUP BY 1, 2, 3`, args...)
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
