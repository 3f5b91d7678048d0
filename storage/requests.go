package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Request kinds.
const (
	KindSuggestion = "suggestion"
	KindNeed       = "need"
	KindRepair     = "repair"
	KindComplaint  = "complaint"
)

// Request is a suggestion, need, repair or complaint from a resident.
type Request struct {
	ID, CommunityID int64
	Kind, Category  string
	Text, Location  string
	BuildingID      int64
	GroupID         int64
	PersonID        int64
	State           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// CreateRequest stores a new request and returns its id.
func (tx *Tx) CreateRequest(r Request) (int64, error) {
	if r.Kind == "" || r.State == "" {
		return 0, errors.New("create request: kind and state are required")
	}
	res, err := tx.exec(`INSERT INTO requests (community_id, kind, category, text, location, building_id, group_id, person_id, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.CommunityID, r.Kind, r.Category, r.Text, r.Location, nullID(r.BuildingID), nullID(r.GroupID), r.PersonID, r.State,
		unix(tx.Now), unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("create request: %w", err)
	}
	return res.LastInsertId()
}

// FindRequest returns a community's request by id; another community's id is not found.
func (tx *Tx) FindRequest(communityID, id int64) (Request, error) {
	var r Request
	var created, updated int64
	err := tx.queryRow(`SELECT id, community_id, kind, category, text, location, COALESCE(building_id, 0), COALESCE(group_id, 0),
		person_id, state, created_at, updated_at FROM requests WHERE community_id = ? AND id = ?`, communityID, id).
		Scan(&r.ID, &r.CommunityID, &r.Kind, &r.Category, &r.Text, &r.Location, &r.BuildingID, &r.GroupID, &r.PersonID, &r.State, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	r.CreatedAt, r.UpdatedAt = fromUnix(created), fromUnix(updated)
	return r, err
}

// CountRequests counts a community's requests of a kind ("" for all kinds).
func (tx *Tx) CountRequests(communityID int64, kind string) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM requests WHERE community_id = ? AND (? = '' OR kind = ?)`, communityID, kind, kind).Scan(&n)
	return n, err
}
