package storage

import (
	"fmt"
	"time"
)

// Kinds of visit.
const (
	VisitHousehold = "visit"  // 走访 a household
	VisitPatrol    = "patrol" // 巡查 a place
)

// Visit is a grid worker's household visit or patrol.
type Visit struct {
	ID, CommunityID int64
	Kind            string
	PersonID        int64
	BuildingID      int64
	Place, Note     string
	RequestID       int64 // the ticket it became; 0: none
	CreatedAt       time.Time
}

// CreateVisit records a visit, stamped with the transaction's time.
func (tx *Tx) CreateVisit(v Visit) (int64, error) {
	res, err := tx.exec(`INSERT INTO visits (community_id, kind, person_id, building_id, place, note, request_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, v.CommunityID, v.Kind, v.PersonID, nullID(v.BuildingID), v.Place, v.Note,
		nullID(v.RequestID), unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("create visit: %w", err)
	}
	return res.LastInsertId()
}

// VisitCount is how many visits and patrols one person made, and how many
// distinct households they visited.
type VisitCount struct {
	PersonID           int64
	Name               string
	Visits, Households int
	Patrols, Tickets   int
}

// CountVisits counts a community's visits in [from, to) per person, by name.
func (tx *Tx) CountVisits(communityID int64, from, to time.Time) ([]VisitCount, error) {
	rows, err := tx.query(`SELECT v.person_id, p.name,
		SUM(v.kind = ?), COUNT(DISTINCT CASE WHEN v.kind = ? THEN v.place END), SUM(v.kind = ?), COUNT(v.request_id)
		FROM visits v JOIN people p ON p.id = v.person_id
		WHERE v.community_id = ? AND v.created_at >= ? AND v.created_at < ?
		GROUP BY v.person_id ORDER BY p.name`, VisitHousehold, VisitHousehold, VisitPatrol, communityID, unix(from), unix(to))
	if err != nil {
		return nil, fmt.Errorf("count visits: %w", err)
	}
	defer rows.Close()
	var out []VisitCount
	for rows.Next() {
		var c VisitCount
		if err := rows.Scan(&c.PersonID, &c.Name, &c.Visits, &c.Households, &c.Patrols, &c.Tickets); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// UnvisitedRooms lists the distinct rooms registered by a community's people
// (登记) that have had no household visit since since, in order.
func (tx *Tx) UnvisitedRooms(communityID int64, since time.Time) ([]string, error) {
	rows, err := tx.query(`SELECT DISTINCT room FROM people WHERE community_id = ? AND room != ''
		AND room NOT IN (SELECT place FROM visits WHERE community_id = ? AND kind = ? AND created_at >= ?) ORDER BY room`,
		communityID, communityID, VisitHousehold, unix(since))
	if err != nil {
		return nil, fmt.Errorf("unvisited rooms: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var room string
		if err := rows.Scan(&room); err != nil {
			return nil, err
		}
		out = append(out, room)
	}
	return out, rows.Err()
}

// AttachToVisit keeps a stored photo with a visit or patrol.
func (tx *Tx) AttachToVisit(visitID, blobID int64) error {
	if _, err := tx.exec(`INSERT OR IGNORE INTO visit_blobs (visit_id, blob_id) VALUES (?, ?)`, visitID, blobID); err != nil {
		return fmt.Errorf("attach to visit: %w", err)
	}
	return nil
}

// VisitBlobs lists the photos kept with a visit, oldest first.
func (tx *Tx) VisitBlobs(visitID int64) ([]int64, error) {
	rows, err := tx.query(`SELECT blob_id FROM visit_blobs WHERE visit_id = ? ORDER BY blob_id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("visit blobs: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
