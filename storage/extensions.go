package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// States of an extension request (延期申请).
const (
	ExtensionPending  = "pending"
	ExtensionApproved = "approved"
	ExtensionRefused  = "refused"
)

// Extension is a department's request for more time on a ticket; staff decide.
type Extension struct {
	ID, RequestID, DepartmentID, AskedBy int64
	Length, Reason                       string // Length as parsed: 3天, 2工作日
	State                                string
	DecidedBy                            int64
	DecisionNote                         string
	CreatedAt, DecidedAt                 time.Time
}

// CreateExtension stores a pending extension request; a request has at most
// one pending (the caller checks PendingExtension first).
func (tx *Tx) CreateExtension(e Extension) (int64, error) {
	res, err := tx.exec(`INSERT INTO request_extensions (request_id, department_id, asked_by, length, reason, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.RequestID, nullID(e.DepartmentID), e.AskedBy, e.Length, e.Reason, ExtensionPending, unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("create extension: %w", err)
	}
	return res.LastInsertId()
}

// PendingExtension returns a request's undecided extension, or ErrNotFound.
func (tx *Tx) PendingExtension(requestID int64) (Extension, error) {
	var e Extension
	var created int64
	err := tx.queryRow(`SELECT id, request_id, COALESCE(department_id, 0), asked_by, length, reason, state, created_at
		FROM request_extensions WHERE request_id = ? AND state = ?`, requestID, ExtensionPending).
		Scan(&e.ID, &e.RequestID, &e.DepartmentID, &e.AskedBy, &e.Length, &e.Reason, &e.State, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	if err != nil {
		return e, fmt.Errorf("pending extension: %w", err)
	}
	e.CreatedAt = fromUnix(created)
	return e, nil
}

// DecideExtension approves or refuses a pending extension.
func (tx *Tx) DecideExtension(id int64, state string, decidedBy int64, note string) error {
	if state != ExtensionApproved && state != ExtensionRefused {
		return fmt.Errorf("decide extension: unknown state %q", state)
	}
	res, err := tx.exec(`UPDATE request_extensions SET state = ?, decided_by = ?, decision_note = ?, decided_at = ?
		WHERE id = ? AND state = ?`, state, decidedBy, note, unix(tx.Now), id, ExtensionPending)
	if err != nil {
		return fmt.Errorf("decide extension: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrNotFound
	}
	return nil
}

// CountEventsByDepartment counts a community's events of one action taken for
// each department in [from, to): hand-backs (退单) per department, for instance.
func (tx *Tx) CountEventsByDepartment(communityID int64, action string, from, to time.Time) (map[int64]int, error) {
	rows, err := tx.query(`SELECT e.department_id, COUNT(*) FROM request_events e JOIN requests r ON r.id = e.request_id
		WHERE r.community_id = ? AND e.action = ? AND e.department_id IS NOT NULL AND e.created_at >= ? AND e.created_at < ?
		GROUP BY e.department_id`, communityID, action, unix(from), unix(to))
	if err != nil {
		return nil, fmt.Errorf("count events: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var dep int64
		var n int
		if err := rows.Scan(&dep, &n); err != nil {
			return nil, err
		}
		out[dep] = n
	}
	return out, rows.Err()
}

// ActionRemindRating is the event recorded when the reporter of a resolved
// ticket is reminded to rate it; tickets still unrated after it are on the
// staff's 回访 list (CallbackList).
const ActionRemindRating = "remind_rating"

// CallbackList lists a community's tickets still waiting for a rating after
// their reporter was reminded, oldest first: staff phone the resident (回访).
func (tx *Tx) CallbackList(communityID int64, limit int) ([]Request, error) {
	rows, err := tx.query(`SELECT `+requestColumns+` WHERE community_id = ? AND state = ? AND EXISTS (
		SELECT 1 FROM request_events e WHERE e.request_id = requests.id AND e.action = ?) ORDER BY resolved_at, id LIMIT ?`,
		communityID, StateResolved, ActionRemindRating, limit)
	if err != nil {
		return nil, fmt.Errorf("callback list: %w", err)
	}
	return scanRequests(rows)
}

// FindEvents lists a community's events of one action in [from, to), oldest first.
func (tx *Tx) FindEvents(communityID int64, action string, from, to time.Time) ([]RequestEvent, error) {
	rows, err := tx.query(`SELECT e.id, e.request_id, COALESCE(e.actor_id, 0), e.action, e.from_state, e.to_state, e.note,
		COALESCE(e.department_id, 0), e.created_at
		FROM request_events e JOIN requests r ON r.id = e.request_id
		WHERE r.community_id = ? AND e.action = ? AND e.created_at >= ? AND e.created_at < ? ORDER BY e.id`,
		communityID, action, unix(from), unix(to))
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var out []RequestEvent
	for rows.Next() {
		var e RequestEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.RequestID, &e.ActorID, &e.Action, &e.FromState, &e.ToState, &e.Note, &e.DepartmentID, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
