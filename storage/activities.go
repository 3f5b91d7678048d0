package storage

import (
	"errors"
	"fmt"
	"time"
)

// Activity states.
const (
	ActivityOpen      = "open"
	ActivityCancelled = "cancelled"
)

// Activity is an event people sign up for (义诊, 体检, 文体), or a meeting
// (Kind 板凳会, 夜谈会, 协商议事会) with an agenda.
type Activity struct {
	ID, CommunityID, CreatorID int64
	Number                     int64 // A-number within the community
	GroupID                    int64 // where it was created (0: a private chat)
	Kind                       string
	Title, Place, Agenda       string
	StartsAt, Deadline         time.Time
	Capacity                   int // people; 0: no limit
	AskContact                 bool
	CheckinCode                string
	State                      string
	Minutes                    string
	CreatedAt                  time.Time
	GroupIDs                   []int64 // where it was announced, in id order
}

// IsMeeting reports whether the activity is a meeting (it has a kind).
func (a Activity) IsMeeting() bool { return a.Kind != "" }

// CreateActivity stores an activity with its groups, giving it the next
// number of its community; it returns the activity as stored.
func (tx *Tx) CreateActivity(a Activity) (Activity, error) {
	if a.Title == "" || len(a.GroupIDs) == 0 || a.StartsAt.IsZero() || a.CheckinCode == "" {
		return a, errors.New("create activity: title, start, check-in code and a group are required")
	}
	if a.Deadline.IsZero() {
		a.Deadline = a.StartsAt
	}
	// The single writer makes MAX+1 safe; UNIQUE catches a bug anyway.
	if err := tx.queryRow(`SELECT COALESCE(MAX(number), 0) + 1 FROM activities WHERE community_id = ?`, a.CommunityID).Scan(&a.Number); err != nil {
		return a, err
	}
	res, err := tx.exec(`INSERT INTO activities (community_id, number, creator_id, group_id, kind, title, place, agenda,
		starts_at, deadline, capacity, ask_contact, checkin_code, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
		a.CommunityID, a.Number, a.CreatorID, nullID(a.GroupID), a.Kind, a.Title, a.Place, a.Agenda,
		unix(a.StartsAt), unix(a.Deadline), a.Capacity, a.AskContact, a.CheckinCode, unix(tx.Now))
	if err != nil {
		return a, fmt.Errorf("create activity: %w", err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return a, err
	}
	for _, g := range a.GroupIDs {
		if _, err := tx.exec(`INSERT OR IGNORE INTO activity_groups (activity_id, group_id) VALUES (?, ?)`, a.ID, g); err != nil {
			return a, fmt.Errorf("create activity group: %w", err)
		}
	}
	a.State, a.CreatedAt = ActivityOpen, tx.Now
	return a, nil
}

const activityColumns = `id, community_id, number, creator_id, COALESCE(group_id, 0), kind, title, place, agenda,
	starts_at, deadline, capacity, ask_contact, checkin_code, state, minutes, created_at FROM activities`

// FindActivity returns a community's activity by its number (A2 is 2).
func (tx *Tx) FindActivity(communityID, number int64) (Activity, error) {
	list, err := tx.activities(`SELECT `+activityColumns+` WHERE community_id = ? AND number = ?`, communityID, number)
	if err != nil {
		return Activity{}, err
	}
	if len(list) == 0 {
		return Activity{}, ErrNotFound
	}
	return list[0], nil
}

// UpcomingActivities lists a community's open activities that start after
// since, soonest first.
func (tx *Tx) UpcomingActivities(communityID int64, since time.Time) ([]Activity, error) {
	return tx.activities(`SELECT `+activityColumns+` WHERE community_id = ? AND state = 'open' AND starts_at > ?
		ORDER BY starts_at, number`, communityID, unix(since))
}

// ActivitiesStartingBetween lists every community's open activities starting
// in (from, to]: what the reminder job looks at.
func (tx *Tx) ActivitiesStartingBetween(from, to time.Time) ([]Activity, error) {
	return tx.activities(`SELECT `+activityColumns+` WHERE state = 'open' AND starts_at > ? AND starts_at <= ?
		ORDER BY starts_at, id`, unix(from), unix(to))
}

// SetActivityMinutes records a meeting's minutes.
func (tx *Tx) SetActivityMinutes(id int64, minutes string) error {
	_, err := tx.exec(`UPDATE activities SET minutes = ? WHERE id = ?`, minutes, id)
	return err
}

func (tx *Tx) activities(query string, args ...any) ([]Activity, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	var out []Activity
	for rows.Next() {
		var a Activity
		var starts, deadline, created int64
		if err := rows.Scan(&a.ID, &a.CommunityID, &a.Number, &a.CreatorID, &a.GroupID, &a.Kind, &a.Title, &a.Place,
			&a.Agenda, &starts, &deadline, &a.Capacity, &a.AskContact, &a.CheckinCode, &a.State, &a.Minutes, &created); err != nil {
			rows.Close()
			return nil, err
		}
		a.StartsAt, a.Deadline, a.CreatedAt = fromUnix(starts), fromUnix(deadline), fromUnix(created)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].GroupIDs, err = tx.int64s(`SELECT group_id FROM activity_groups WHERE activity_id = ? ORDER BY group_id`, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LinkSuggestion records that a request was raised at a meeting.
func (tx *Tx) LinkSuggestion(requestID, activityID int64) error {
	_, err := tx.exec(`INSERT OR REPLACE INTO activity_suggestions (request_id, activity_id) VALUES (?, ?)`, requestID, activityID)
	return err
}

// MeetingSuggestions lists the ids of the requests raised at a meeting, oldest first.
func (tx *Tx) MeetingSuggestions(activityID int64) ([]int64, error) {
	return tx.int64s(`SELECT request_id FROM activity_suggestions WHERE activity_id = ? ORDER BY request_id`, activityID)
}

// MeetingCount is how many suggestions one meeting produced.
type MeetingCount struct {
	Number      int64
	Kind, Title string
	Suggestions int
}

// MeetingSuggestionCounts counts the suggestions of a community's meetings
// that started in [from, to), busiest first.
func (tx *Tx) MeetingSuggestionCounts(communityID int64, from, to time.Time) ([]MeetingCount, error) {
	rows, err := tx.query(`SELECT a.number, a.kind, a.title, COUNT(s.request_id) FROM activities a
		JOIN activity_suggestions s ON s.activity_id = a.id
		WHERE a.community_id = ? AND a.starts_at >= ? AND a.starts_at < ?
		GROUP BY a.id ORDER BY COUNT(s.request_id) DESC, a.number`, communityID, unix(from), unix(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MeetingCount
	for rows.Next() {
		var m MeetingCount
		if err := rows.Scan(&m.Number, &m.Kind, &m.Title, &m.Suggestions); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// IsMemberOfAny reports whether a person has been seen in any of the groups.
func (tx *Tx) IsMemberOfAny(personID int64, groupIDs []int64) (bool, error) {
	for _, g := range groupIDs {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM members WHERE group_id = ? AND person_id = ?`, g, personID).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}
