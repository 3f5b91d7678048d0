package storage

import (
	"database/sql"
	"errors"
)

// RoomClaim is a household registration waiting for a captain's or staff's
// confirmation.
type RoomClaim struct {
	PersonID int64
	Room     string
	Building string // building key ("" when the community numbers none)
}

// PeopleInRoom lists a community's people registered at room, except one.
func (tx *Tx) PeopleInRoom(communityID int64, room string, except int64) ([]Person, error) {
	return tx.findPeople(`SELECT id FROM people WHERE community_id = ? AND room = ? AND id <> ? ORDER BY id`,
		communityID, room, except)
}

// SetRoomClaim records (or replaces) a person's pending claim.
func (tx *Tx) SetRoomClaim(c RoomClaim) error {
	_, err := tx.exec(`INSERT INTO room_claims (person_id, room, building, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (person_id) DO UPDATE SET room = excluded.room, building = excluded.building, created_at = excluded.created_at`,
		c.PersonID, c.Room, c.Building, unix(tx.Now))
	return err
}

// FindRoomClaim returns a person's pending claim, or ErrNotFound.
func (tx *Tx) FindRoomClaim(personID int64) (RoomClaim, error) {
	c := RoomClaim{PersonID: personID}
	err := tx.queryRow(`SELECT room, building FROM room_claims WHERE person_id = ?`, personID).Scan(&c.Room, &c.Building)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// GrantRoomClaim registers the claimed room and forgets the claim.
func (tx *Tx) GrantRoomClaim(c RoomClaim) error {
	if err := tx.SetPersonRoom(c.PersonID, c.Room); err != nil {
		return err
	}
	_, err := tx.exec(`DELETE FROM room_claims WHERE person_id = ?`, c.PersonID)
	return err
}

// DeleteRoomClaim forgets a person's pending claim (none is not an error).
func (tx *Tx) DeleteRoomClaim(personID int64) error {
	_, err := tx.exec(`DELETE FROM room_claims WHERE person_id = ?`, personID)
	return err
}
