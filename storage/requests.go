package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Request is a suggestion, need, repair or complaint from a resident, with its
// place in the workflow. Zero IDs and times mean "not set".
type Request struct {
	ID, CommunityID int64
	Kind, Category  string
	Text, Location  string
	BuildingID      int64
	GroupID         int64
	PersonID        int64
	State           string
	DepartmentID    int64
	AssigneeID      int64
	DuplicateOf     int64
	Answer          string
	Rating          string
	RatingNote      string
	RatedAt         time.Time
	RatedBy         int64 // 0: the reporter; else staff recording a call-back (回访) on their behalf
	ResolvedAt      time.Time
	ClosedAt        time.Time
	StageDueAt      time.Time
	Escalated       int
	Urgent          bool // an emergency: danger to life or property now
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// CreateRequest stores a new request and returns its id.
func (tx *Tx) CreateRequest(r Request) (int64, error) {
	if r.Kind == "" || r.State == "" {
		return 0, errors.New("create request: kind and state are required")
	}
	res, err := tx.exec(`INSERT INTO requests (community_id, kind, category, text, location, building_id, group_id, person_id, state,
		stage_due_at, urgent, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.CommunityID, r.Kind, r.Category, r.Text, r.Location, nullID(r.BuildingID), nullID(r.GroupID), r.PersonID, r.State,
		nullTime(r.StageDueAt), r.Urgent, tx.nowArg(), tx.nowArg())
	if err != nil {
		return 0, fmt.Errorf("create request: %w", err)
	}
	id, err := res.LastInsertId()
	if err == nil {
		tx.newRequests = append(tx.newRequests, id)
	}
	return id, err
}

const requestColumns = `id, community_id, kind, category, text, location, COALESCE(building_id, 0), COALESCE(group_id, 0),
	person_id, state, COALESCE(department_id, 0), COALESCE(assignee_id, 0), COALESCE(duplicate_of, 0), answer, rating,
	rating_note, rated_at, resolved_at, closed_at, stage_due_at, escalated, urgent, created_at, updated_at, COALESCE(rated_by, 0) FROM requests`

// scanRequests reads every row of a query of requestColumns and closes them.
func scanRequests(rows *sql.Rows) ([]Request, error) {
	defer rows.Close()
	var out []Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRequest(s interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var rated, resolved, closed, due sql.NullInt64
	var created, updated int64
	err := s.Scan(&r.ID, &r.CommunityID, &r.Kind, &r.Category, &r.Text, &r.Location, &r.BuildingID, &r.GroupID,
		&r.PersonID, &r.State, &r.DepartmentID, &r.AssigneeID, &r.DuplicateOf, &r.Answer, &r.Rating,
		&r.RatingNote, &rated, &resolved, &closed, &due, &r.Escalated, &r.Urgent, &created, &updated, &r.RatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, err
	}
	r.RatedAt, r.ResolvedAt, r.ClosedAt, r.StageDueAt = fromNull(rated), fromNull(resolved), fromNull(closed), fromNull(due)
	r.CreatedAt, r.UpdatedAt = fromUnix(created), fromUnix(updated)
	return r, nil
}

// FindRequest returns a community's request by id; another community's id is not found.
func (tx *Tx) FindRequest(communityID, id int64) (Request, error) {
	return scanRequest(tx.queryRow(`SELECT `+requestColumns+` WHERE community_id = ? AND id = ?`, communityID, id))
}

// SaveRequest writes a request's workflow columns (state, holder, answer,
// rating, times, escalation, urgency); what was reported (kind, text, reporter) never changes.
func (tx *Tx) SaveRequest(r Request) error {
	_, err := tx.exec(`UPDATE requests SET state = ?, department_id = ?, assignee_id = ?, duplicate_of = ?, answer = ?,
		rating = ?, rating_note = ?, rated_at = ?, resolved_at = ?, closed_at = ?, stage_due_at = ?, escalated = ?, updated_at = ?,
		rated_by = ?, urgent = ? WHERE community_id = ? AND id = ?`,
		r.State, nullID(r.DepartmentID), nullID(r.AssigneeID), nullID(r.DuplicateOf), r.Answer,
		r.Rating, r.RatingNote, nullTime(r.RatedAt), nullTime(r.ResolvedAt), nullTime(r.ClosedAt), nullTime(r.StageDueAt),
		r.Escalated, unix(tx.Now), nullID(r.RatedBy), r.Urgent, r.CommunityID, r.ID)
	if err != nil {
		return fmt.Errorf("save request %d: %w", r.ID, err)
	}
	return nil
}

// RequestFilter selects requests. Zero fields do not filter.
type RequestFilter struct {
	CommunityID  int64
	PersonID     int64
	DepartmentID int64
	Kinds        []string
	States       []string
	BuildingIDs  []int64
	From, To     time.Time // created_at in [From, To)
	DueBefore    time.Time // stage_due_at < DueBefore
	// Paged reads in (created_at, id) order, which the index requests_created
	// serves without sorting, from after (AfterAt, AfterID) when AfterID is
	// set: an export reads a long period page by page.
	Paged   bool
	AfterAt time.Time
	AfterID int64
	Limit   int
	Newest  bool // newest first (default oldest first)
}

// FindRequests lists requests matching f. CommunityID 0 means every community.
func (tx *Tx) FindRequests(f RequestFilter) ([]Request, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.CommunityID != 0 {
		add("community_id = ?", f.CommunityID)
	}
	if f.PersonID != 0 {
		add("person_id = ?", f.PersonID)
	}
	if f.DepartmentID != 0 {
		add("department_id = ?", f.DepartmentID)
	}
	in := func(col string, n int) string {
		return col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
	}
	if len(f.Kinds) > 0 {
		add(in("kind", len(f.Kinds)), anys(f.Kinds)...)
	}
	if len(f.States) > 0 {
		add(in("state", len(f.States)), anys(f.States)...)
	}
	if len(f.BuildingIDs) > 0 {
		add(in("building_id", len(f.BuildingIDs)), anys(f.BuildingIDs)...)
	}
	if !f.From.IsZero() {
		add("created_at >= ?", unix(f.From))
	}
	if !f.To.IsZero() {
		add("created_at < ?", unix(f.To))
	}
	if !f.DueBefore.IsZero() {
		add("stage_due_at IS NOT NULL AND stage_due_at < ?", unix(f.DueBefore))
	}
	if f.Paged && f.AfterID != 0 {
		add("(created_at, id) > (?, ?)", unix(f.AfterAt), f.AfterID)
	}
	q := `SELECT ` + requestColumns
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Paged {
		q += " ORDER BY created_at, id"
	} else if f.Newest {
		q += " ORDER BY id DESC"
	} else {
		q += " ORDER BY id"
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("find requests: %w", err)
	}
	return scanRequests(rows)
}

// CountRequests counts a community's requests of a kind ("" for all kinds).
func (tx *Tx) CountRequests(communityID int64, kind string) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM requests WHERE community_id = ? AND (? = '' OR kind = ?)`, communityID, kind, kind).Scan(&n)
	return n, err
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// nullTime is t as a statement argument (unix seconds), NULL for the zero
// time; see nullID.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return unix(t)
}

func fromNull(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromUnix(v.Int64)
}
