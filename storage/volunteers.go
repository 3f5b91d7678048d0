package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Volunteer member statuses.
const (
	VolStatusPending = "pending" // asked to join, waiting for a leader
	VolStatusMember  = "member"
	VolStatusLeader  = "leader" // approves joins
)

// Team is a volunteer team or sub-team.
type Team struct {
	ID, CommunityID, ParentID int64
	Key, Name                 string
}

// TeamSpec is a team to create or update by key.
type TeamSpec struct {
	CommunityID int64
	Key, Name   string
	ParentID    int64
}

// SyncTeam creates a team or renames it and sets its parent; it returns its id.
func (tx *Tx) SyncTeam(s TeamSpec) (int64, error) {
	var id int64
	err := tx.queryRow(`INSERT INTO vol_teams (community_id, key, name, parent_id, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (community_id, key) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id RETURNING id`,
		s.CommunityID, s.Key, s.Name, nullID(s.ParentID), unix(tx.Now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("sync team: %w", err)
	}
	return id, nil
}

// Teams lists a community's teams, parents before their sub-teams' names sort.
func (tx *Tx) Teams(communityID int64) ([]Team, error) {
	rows, err := tx.query(`SELECT id, community_id, COALESCE(parent_id, 0), key, name FROM vol_teams WHERE community_id = ? ORDER BY id`, communityID)
	if err != nil {
		return nil, fmt.Errorf("teams: %w", err)
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var t Team
		if err := rows.Scan(&t.ID, &t.CommunityID, &t.ParentID, &t.Key, &t.Name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// VolMember is a person's membership of a team.
type VolMember struct {
	TeamID, PersonID int64
	Status           string
	Skills, Days     string
	JoinedAt         time.Time
	Name             string // the person's
}

// SetVolMember records a membership (a request to join, an approval, a
// leader from the config); skills and days are kept when given empty.
func (tx *Tx) SetVolMember(m VolMember) error {
	_, err := tx.exec(`INSERT INTO vol_members (team_id, person_id, status, skills, days, joined_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (team_id, person_id) DO UPDATE SET status = excluded.status,
		skills = CASE WHEN excluded.skills = '' THEN skills ELSE excluded.skills END,
		days = CASE WHEN excluded.days = '' THEN days ELSE excluded.days END`,
		m.TeamID, m.PersonID, m.Status, m.Skills, m.Days, unix(tx.Now))
	if err != nil {
		return fmt.Errorf("set volunteer: %w", err)
	}
	return nil
}

// DeleteVolMember removes a membership (a refused request).
func (tx *Tx) DeleteVolMember(teamID, personID int64) error {
	_, err := tx.exec(`DELETE FROM vol_members WHERE team_id = ? AND person_id = ?`, teamID, personID)
	return err
}

// TeamMembers lists a team's memberships in join order, by name.
func (tx *Tx) TeamMembers(teamID int64) ([]VolMember, error) {
	return tx.volMembers(`WHERE m.team_id = ? ORDER BY m.joined_at, m.person_id`, teamID)
}

// PersonTeams lists a person's memberships.
func (tx *Tx) PersonTeams(personID int64) ([]VolMember, error) {
	return tx.volMembers(`WHERE m.person_id = ? ORDER BY m.team_id`, personID)
}

func (tx *Tx) volMembers(where string, args ...any) ([]VolMember, error) {
	rows, err := tx.query(`SELECT m.team_id, m.person_id, m.status, m.skills, m.days, m.joined_at, p.name
		FROM vol_members m JOIN people p ON p.id = m.person_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("volunteers: %w", err)
	}
	defer rows.Close()
	var out []VolMember
	for rows.Next() {
		var m VolMember
		var joined int64
		if err := rows.Scan(&m.TeamID, &m.PersonID, &m.Status, &m.Skills, &m.Days, &joined, &m.Name); err != nil {
			return nil, err
		}
		m.JoinedAt = fromUnix(joined)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Roster is a team's duty schedule.
type Roster struct {
	ID, CommunityID, TeamID int64
	Key, Name               string
	Days                    string // weekdays "1,2,3,4,5,6,7" (Monday = 1)
	StartMin, EndMin        int    // minutes after midnight in the community's zone
	PerShift                int    // 0: every member; n: n at a time in rotation
	Epoch                   string // yyyy-mm-dd the rotation counts from
}

// SyncRoster creates or updates a roster by key and returns its id.
func (tx *Tx) SyncRoster(r Roster) (int64, error) {
	var id int64
	err := tx.queryRow(`INSERT INTO vol_rosters (community_id, team_id, key, name, days, start_min, end_min, per_shift, epoch)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (community_id, key) DO UPDATE SET team_id = excluded.team_id,
		name = excluded.name, days = excluded.days, start_min = excluded.start_min, end_min = excluded.end_min,
		per_shift = excluded.per_shift, epoch = excluded.epoch RETURNING id`,
		r.CommunityID, r.TeamID, r.Key, r.Name, r.Days, r.StartMin, r.EndMin, r.PerShift, r.Epoch).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("sync roster: %w", err)
	}
	return id, nil
}

// Rosters lists a community's rosters (0: every community's).
func (tx *Tx) Rosters(communityID int64) ([]Roster, error) {
	rows, err := tx.query(`SELECT id, community_id, team_id, key, name, days, start_min, end_min, per_shift, epoch FROM vol_rosters
		WHERE ? = 0 OR community_id = ? ORDER BY id`, communityID, communityID)
	if err != nil {
		return nil, fmt.Errorf("rosters: %w", err)
	}
	defer rows.Close()
	var out []Roster
	for rows.Next() {
		var r Roster
		if err := rows.Scan(&r.ID, &r.CommunityID, &r.TeamID, &r.Key, &r.Name, &r.Days, &r.StartMin, &r.EndMin, &r.PerShift, &r.Epoch); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Shift is one person's duty on one day and what they recorded of it.
type Shift struct {
	ID, RosterID, PersonID int64
	Day                    string
	CheckIn, CheckOut      time.Time
	Minutes                int
	Place                  string // where they signed in, when they said
}

// FindShift finds a person's shift of a roster on a day; ErrNotFound when
// they have not signed in.
func (tx *Tx) FindShift(rosterID, personID int64, day string) (Shift, error) {
	var s Shift
	var in, out sql.NullInt64
	err := tx.queryRow(`SELECT id, roster_id, person_id, day, checkin_at, checkout_at, minutes, place FROM vol_shifts
		WHERE roster_id = ? AND person_id = ? AND day = ?`, rosterID, personID, day).
		Scan(&s.ID, &s.RosterID, &s.PersonID, &s.Day, &in, &out, &s.Minutes, &s.Place)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	s.CheckIn, s.CheckOut = fromNull(in), fromNull(out)
	return s, err
}

// DutyCheckIn records a sign-in at the transaction's time; it reports false when
// the person had signed in for that duty already (nothing changes).
func (tx *Tx) DutyCheckIn(rosterID, personID int64, day, place string) (bool, error) {
	res, err := tx.exec(`INSERT INTO vol_shifts (roster_id, person_id, day, checkin_at, place) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (roster_id, person_id, day) DO NOTHING`, rosterID, personID, day, unix(tx.Now), place)
	if err != nil {
		return false, fmt.Errorf("check in: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CheckOut records a sign-out and the minutes served; it reports false when
// the shift was signed out already.
func (tx *Tx) CheckOut(shiftID int64, minutes int) (bool, error) {
	res, err := tx.exec(`UPDATE vol_shifts SET checkout_at = ?, minutes = ? WHERE id = ? AND checkout_at IS NULL`,
		unix(tx.Now), minutes, shiftID)
	if err != nil {
		return false, fmt.Errorf("check out: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ServedShift is a signed-in shift with its roster, team and person.
type ServedShift struct {
	Shift
	Name, Roster, Team string
	TeamID             int64
	EndMin             int
}

// ServedShifts lists a community's signed-in shifts on days in [from, to)
// ("yyyy-mm-dd"), by day, team and name.
func (tx *Tx) ServedShifts(communityID int64, from, to string) ([]ServedShift, error) {
	rows, err := tx.query(`SELECT s.id, s.roster_id, s.person_id, s.day, s.checkin_at, s.checkout_at, s.minutes, s.place,
		p.name, r.name, t.name, t.id, r.end_min
		FROM vol_shifts s JOIN vol_rosters r ON r.id = s.roster_id JOIN vol_teams t ON t.id = r.team_id JOIN people p ON p.id = s.person_id
		WHERE r.community_id = ? AND s.day >= ? AND s.day < ? AND s.checkin_at IS NOT NULL
		ORDER BY s.day, t.id, p.name, s.id`, communityID, from, to)
	if err != nil {
		return nil, fmt.Errorf("served shifts: %w", err)
	}
	defer rows.Close()
	var out []ServedShift
	for rows.Next() {
		var s ServedShift
		var in, outAt sql.NullInt64
		if err := rows.Scan(&s.ID, &s.RosterID, &s.PersonID, &s.Day, &in, &outAt, &s.Minutes, &s.Place, &s.Name, &s.Roster, &s.Team, &s.TeamID, &s.EndMin); err != nil {
			return nil, err
		}
		s.CheckIn, s.CheckOut = fromNull(in), fromNull(outAt)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Swap is one person giving their duty on a day to another.
type Swap struct {
	ID, RosterID, FromID, ToID int64
	Day, Status                string
}

// Swap statuses.
const (
	SwapAsked   = "asked"
	SwapAgreed  = "agreed"
	SwapRefused = "refused"
)

// CreateSwap asks for a swap.
func (tx *Tx) CreateSwap(s Swap) (int64, error) {
	res, err := tx.exec(`INSERT INTO vol_swaps (roster_id, day, from_id, to_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		s.RosterID, s.Day, s.FromID, s.ToID, SwapAsked, unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("create swap: %w", err)
	}
	return res.LastInsertId()
}

// AskedSwap is the newest swap asked of a person and not answered yet.
func (tx *Tx) AskedSwap(toID int64) (Swap, error) {
	var s Swap
	err := tx.queryRow(`SELECT id, roster_id, from_id, to_id, day, status FROM vol_swaps WHERE to_id = ? AND status = ?
		ORDER BY id DESC LIMIT 1`, toID, SwapAsked).Scan(&s.ID, &s.RosterID, &s.FromID, &s.ToID, &s.Day, &s.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	return s, err
}

// AnswerSwap records the answer to an asked swap.
func (tx *Tx) AnswerSwap(id int64, status string) error {
	_, err := tx.exec(`UPDATE vol_swaps SET status = ? WHERE id = ? AND status = ?`, status, id, SwapAsked)
	return err
}

// AgreedSwaps lists a roster's agreed swaps on a day, in the order agreed.
func (tx *Tx) AgreedSwaps(rosterID int64, day string) ([]Swap, error) {
	rows, err := tx.query(`SELECT id, roster_id, from_id, to_id, day, status FROM vol_swaps WHERE roster_id = ? AND day = ? AND status = ?
		ORDER BY id`, rosterID, day, SwapAgreed)
	if err != nil {
		return nil, fmt.Errorf("swaps: %w", err)
	}
	defer rows.Close()
	var out []Swap
	for rows.Next() {
		var s Swap
		if err := rows.Scan(&s.ID, &s.RosterID, &s.FromID, &s.ToID, &s.Day, &s.Status); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
