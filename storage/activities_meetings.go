package storage

import (
	"slices"
	"time"
)

// MeetingsInGroupAt lists the meetings announced in a group that are under way
// at t: from their start until `window` after it.
//
// Every #建议 asks (is it raised at a meeting?), so a write transaction reads
// the group's meetings not over at t — under way or still to come — once, and
// the row cache keeps them: for a later t the ones under way are among them,
// as time only moves meetings out of that set. A write to activities or
// their groups empties the cache (see rowCache).
func (tx *Tx) MeetingsInGroupAt(groupID int64, t time.Time, window time.Duration) ([]Activity, error) {
	key := rowKey{a: groupID, b: int64(window)}
	if v, ok := tx.cachedRow(secMeetings, key); ok {
		if m := v.(groupMeetings); unix(t) >= m.at {
			return m.underWay(t, window), nil
		}
	}
	query := `SELECT ` + activityColumns + ` WHERE state = 'open' AND kind <> '' AND starts_at > ?
		AND id IN (SELECT activity_id FROM activity_groups WHERE group_id = ?) ORDER BY starts_at DESC`
	list, err := tx.activities(query, unix(t.Add(-window)), groupID)
	if err != nil {
		return nil, err
	}
	m := groupMeetings{at: unix(t), list: list} // never handed out: underWay copies
	if readsOnly(query, secMeetings) {
		tx.cacheRow(secMeetings, key, m)
	}
	return m.underWay(t, window), nil
}

// groupMeetings are a group's open meetings that started after at-window, newest first.
type groupMeetings struct {
	at   int64 // when they were read (unix seconds)
	list []Activity
}

// underWay returns copies of the meetings under way at t: started by t, less
// than window ago.
func (m groupMeetings) underWay(t time.Time, window time.Duration) []Activity {
	var out []Activity
	now, since := unix(t), unix(t.Add(-window))
	for _, a := range m.list {
		if s := unix(a.StartsAt); s <= now && s > since {
			a.GroupIDs = slices.Clone(a.GroupIDs)
			out = append(out, a)
		}
	}
	return out
}
