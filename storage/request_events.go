package storage

import (
	"database/sql"
	"fmt"
	"time"
)

// RequestEvent is one entry of a request's audit trail: who did what, when, why.
type RequestEvent struct {
	ID        int64
	RequestID int64
	ActorID   int64 // 0: the system (the scheduler)
	Action    string
	FromState string
	ToState   string
	Note      string
	// DepartmentID is the department acted for (退单, 延期); 0: none.
	DepartmentID int64
	CreatedAt    time.Time
}

// AddRequestEvent appends to a request's audit trail, stamped with the
// transaction's time. Events are never changed or deleted.
func (tx *Tx) AddRequestEvent(e RequestEvent) error {
	_, err := tx.exec(`INSERT INTO request_events (request_id, actor_id, action, from_state, to_state, note, department_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.RequestID, nullID(e.ActorID), e.Action, e.FromState, e.ToState, e.Note,
		nullID(e.DepartmentID), tx.nowArg())
	if err != nil {
		return fmt.Errorf("add request event: %w", err)
	}
	return nil
}

// RequestEvents lists a request's audit trail, oldest first.
func (tx *Tx) RequestEvents(requestID int64) ([]RequestEvent, error) {
	rows, err := tx.query(`SELECT id, request_id, actor_id, action, from_state, to_state, note, COALESCE(department_id, 0), created_at
		FROM request_events WHERE request_id = ? ORDER BY id`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RequestEvent
	for rows.Next() {
		var e RequestEvent
		var actor sql.NullInt64
		var at int64
		if err := rows.Scan(&e.ID, &e.RequestID, &actor, &e.Action, &e.FromState, &e.ToState, &e.Note, &e.DepartmentID, &at); err != nil {
			return nil, err
		}
		e.ActorID, e.CreatedAt = actor.Int64, fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
