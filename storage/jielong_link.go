package storage

import (
	"database/sql"
	"fmt"
)

// States of a linked 接龙 line (jielong_lines.signup_state).
const (
	LineSignedUp  = "in"        // imported: the line made a sign-up
	LineAlready   = "already"   // the person had signed up themselves; the line leaves it alone
	LineUnknown   = "unknown"   // nobody of that name: reported to the organiser once
	LineCancelled = "cancelled" // withdrawn after import: the sign-up was cancelled
)

// LineLink is what one 接龙 line became in its linked activity.
type LineLink struct {
	PersonID int64
	State    string
}

// LinkJielong links a 接龙 to an activity; later posts sync into its sign-ups.
func (tx *Tx) LinkJielong(jielongID, activityID int64) error {
	_, err := tx.exec(`UPDATE jielong SET activity_id = ? WHERE id = ?`, activityID, jielongID)
	return err
}

// JielongActivity returns the id of the activity a 接龙 is linked to, 0 when none.
func (tx *Tx) JielongActivity(jielongID int64) (int64, error) {
	var id sql.NullInt64
	err := tx.queryRow(`SELECT activity_id FROM jielong WHERE id = ?`, jielongID).Scan(&id)
	return id.Int64, err
}

// JielongLineLinks returns what each line of a 接龙 became, by line id.
func (tx *Tx) JielongLineLinks(jielongID int64) (map[int64]LineLink, error) {
	rows, err := tx.query(`SELECT id, COALESCE(signup_person_id, 0), signup_state FROM jielong_lines WHERE jielong_id = ?`, jielongID)
	if err != nil {
		return nil, fmt.Errorf("jielong line links: %w", err)
	}
	defer rows.Close()
	out := map[int64]LineLink{}
	for rows.Next() {
		var id int64
		var l LineLink
		if err := rows.Scan(&id, &l.PersonID, &l.State); err != nil {
			return nil, err
		}
		out[id] = l
	}
	return out, rows.Err()
}

// SetJielongLineLink records what a line became.
func (tx *Tx) SetJielongLineLink(lineID int64, l LineLink) error {
	_, err := tx.exec(`UPDATE jielong_lines SET signup_person_id = ?, signup_state = ? WHERE id = ?`, nullID(l.PersonID), l.State, lineID)
	return err
}

// FindActivityByID returns an activity by row id.
func (tx *Tx) FindActivityByID(id int64) (Activity, error) {
	list, err := tx.activities(`SELECT `+activityColumns+` WHERE id = ?`, id)
	if err != nil {
		return Activity{}, err
	}
	if len(list) == 0 {
		return Activity{}, ErrNotFound
	}
	return list[0], nil
}

// PeopleNamed lists the ids of a community's people whose display name is name.
func (tx *Tx) PeopleNamed(communityID int64, name string) ([]int64, error) {
	return tx.int64s(`SELECT id FROM people WHERE community_id = ? AND name = ? ORDER BY id`, communityID, name)
}
