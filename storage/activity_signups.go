package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Sign-up statuses.
const (
	SignupIn      = "in"      // holds seats
	SignupWaiting = "waiting" // on the waitlist
	SignupWalkIn  = "walkin"  // checked in without signing up
)

// ErrAlreadySignedUp is returned by SignUp for someone already on the list (or
// the waitlist); the existing sign-up is returned with it.
var ErrAlreadySignedUp = errors.New("storage: already signed up")

// Signup is one person's sign-up for an activity.
type Signup struct {
	ActivityID, PersonID int64
	Name, Room           string
	Party                int // 人数
	Contact              string
	Status               string
	Seq                  int
	SignedAt             time.Time
	CheckedInAt          time.Time // zero: not checked in
	Position             int       // on the waitlist: 1 is next (filled by SignUp and Signups)
}

// SignupCounts is an activity's sign-ups in numbers.
type SignupCounts struct {
	Seats, Signups         int // people holding seats, and their sign-ups
	Waiting, WaitingPeople int // sign-ups on the waitlist, and the people in them
	CheckedIn              int // people checked in (a sign-up counts its party)
}

// SignUp puts a person down for an activity with a party of n people: a seat
// when the party fits in the seats left, else the end of the waitlist. (Seats
// left over are always fewer than any waiting party needs; see CancelSignup.)
// Someone already down gets ErrAlreadySignedUp with their sign-up. It is the
// one way in: commands and imported lists (接龙) both call it.
func (tx *Tx) SignUp(a Activity, personID int64, party int, contact string) (Signup, error) {
	if party < 1 {
		return Signup{}, errors.New("sign up: a party has at least one person")
	}
	if s, err := tx.FindSignup(a.ID, personID); err == nil && s.Status != SignupWalkIn {
		return s, ErrAlreadySignedUp
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return Signup{}, err
	}
	counts, err := tx.CountSignups(a.ID)
	if err != nil {
		return Signup{}, err
	}
	status := SignupIn
	if a.Capacity > 0 && counts.Seats+party > a.Capacity {
		status = SignupWaiting
	}
	_, err = tx.exec(`INSERT INTO activity_signups (activity_id, person_id, party, contact, status, seq, signed_at)
		VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM activity_signups WHERE activity_id = ?), ?)
		ON CONFLICT (activity_id, person_id) DO UPDATE SET party = excluded.party, contact = excluded.contact,
		status = excluded.status, seq = excluded.seq, signed_at = excluded.signed_at`,
		a.ID, personID, party, contact, status, a.ID, unix(tx.Now))
	if err != nil {
		return Signup{}, fmt.Errorf("sign up: %w", err)
	}
	return tx.FindSignup(a.ID, personID)
}

// CancelSignup takes a person off an activity and, when seats came free,
// promotes the waitlist in order: each party that fits in the seats left (a
// party too big keeps its place at the head for the next seats). It returns the
// removed sign-up and those promoted; the caller tells them in the same
// transaction.
func (tx *Tx) CancelSignup(a Activity, personID int64) (Signup, []Signup, error) {
	s, err := tx.FindSignup(a.ID, personID)
	if err != nil {
		return Signup{}, nil, err
	}
	if _, err := tx.exec(`DELETE FROM activity_signups WHERE activity_id = ? AND person_id = ?`, a.ID, personID); err != nil {
		return Signup{}, nil, err
	}
	if s.Status != SignupIn {
		return s, nil, nil
	}
	promoted, err := tx.promote(a)
	return s, promoted, err
}

func (tx *Tx) promote(a Activity) ([]Signup, error) {
	counts, err := tx.CountSignups(a.ID)
	if err != nil {
		return nil, err
	}
	waiting, err := tx.signups(`s.activity_id = ? AND s.status = 'waiting' ORDER BY s.seq`, a.ID)
	if err != nil {
		return nil, err
	}
	var promoted []Signup
	for _, w := range waiting {
		if a.Capacity > 0 && counts.Seats+w.Party > a.Capacity {
			continue
		}
		if _, err := tx.exec(`UPDATE activity_signups SET status = 'in' WHERE activity_id = ? AND person_id = ?`, a.ID, w.PersonID); err != nil {
			return nil, err
		}
		counts.Seats += w.Party
		w.Status, w.Position = SignupIn, 0
		promoted = append(promoted, w)
	}
	return promoted, nil
}

// FindSignup returns one person's sign-up (or walk-in) for an activity.
func (tx *Tx) FindSignup(activityID, personID int64) (Signup, error) {
	list, err := tx.signups(`s.activity_id = ? AND s.person_id = ?`, activityID, personID)
	if err != nil {
		return Signup{}, err
	}
	if len(list) == 0 {
		return Signup{}, ErrNotFound
	}
	s := list[0]
	if s.Status == SignupWaiting {
		err = tx.queryRow(`SELECT COUNT(*) FROM activity_signups WHERE activity_id = ? AND status = 'waiting' AND seq <= ?`,
			activityID, s.Seq).Scan(&s.Position)
	}
	return s, err
}

// Signups lists an activity's sign-ups: seats first, then the waitlist in
// order (with positions), then walk-ins.
func (tx *Tx) Signups(activityID int64) ([]Signup, error) {
	list, err := tx.signups(`s.activity_id = ? ORDER BY CASE s.status WHEN 'in' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, s.seq`, activityID)
	pos := 0
	for i := range list {
		if list[i].Status == SignupWaiting {
			pos++
			list[i].Position = pos
		}
	}
	return list, err
}

// CountSignups counts an activity's seats, waitlist and check-ins.
func (tx *Tx) CountSignups(activityID int64) (SignupCounts, error) {
	var c SignupCounts
	err := tx.queryRow(`SELECT
		COALESCE(SUM(CASE WHEN status = 'in' THEN party END), 0), COALESCE(SUM(status = 'in'), 0),
		COALESCE(SUM(status = 'waiting'), 0), COALESCE(SUM(CASE WHEN status = 'waiting' THEN party END), 0),
		COALESCE(SUM(CASE WHEN checked_in_at IS NOT NULL THEN party END), 0)
		FROM activity_signups WHERE activity_id = ?`, activityID).Scan(&c.Seats, &c.Signups, &c.Waiting, &c.WaitingPeople, &c.CheckedIn)
	return c, err
}

// CheckIn records a person's arrival; someone not on the list is recorded as
// a walk-in. It returns the sign-up and whether they had checked in before.
func (tx *Tx) CheckIn(a Activity, personID int64) (Signup, bool, error) {
	s, err := tx.FindSignup(a.ID, personID)
	switch {
	case errors.Is(err, ErrNotFound):
		_, err = tx.exec(`INSERT INTO activity_signups (activity_id, person_id, party, status, seq, signed_at, checked_in_at)
			VALUES (?, ?, 1, 'walkin', (SELECT COALESCE(MAX(seq), 0) + 1 FROM activity_signups WHERE activity_id = ?), ?, ?)`,
			a.ID, personID, a.ID, unix(tx.Now), unix(tx.Now))
	case err != nil:
		return Signup{}, false, err
	case !s.CheckedInAt.IsZero():
		return s, true, nil
	default:
		_, err = tx.exec(`UPDATE activity_signups SET checked_in_at = ? WHERE activity_id = ? AND person_id = ?`, unix(tx.Now), a.ID, personID)
	}
	if err != nil {
		return Signup{}, false, fmt.Errorf("check in: %w", err)
	}
	s, err = tx.FindSignup(a.ID, personID)
	return s, false, err
}

func (tx *Tx) signups(where string, args ...any) ([]Signup, error) {
	rows, err := tx.query(`SELECT s.activity_id, s.person_id, p.name, p.room, s.party, s.contact, s.status, s.seq, s.signed_at, s.checked_in_at
		FROM activity_signups s JOIN people p ON p.id = s.person_id WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Signup
	for rows.Next() {
		var s Signup
		var signed int64
		var checked sql.NullInt64
		if err := rows.Scan(&s.ActivityID, &s.PersonID, &s.Name, &s.Room, &s.Party, &s.Contact, &s.Status, &s.Seq, &signed, &checked); err != nil {
			return nil, err
		}
		s.SignedAt, s.CheckedInAt = fromUnix(signed), fromNull(checked)
		out = append(out, s)
	}
	return out, rows.Err()
}
