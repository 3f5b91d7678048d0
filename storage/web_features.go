package storage

import "time"

// RecentActivities lists a community's activities (cancelled ones too) that
// start after since, latest first, at most limit: what the web page shows.
func (tx *Tx) RecentActivities(communityID int64, since time.Time, limit int) ([]Activity, error) {
	return tx.activities(`SELECT `+activityColumns+` WHERE community_id = ? AND starts_at > ?
		ORDER BY starts_at DESC, number DESC LIMIT ?`, communityID, unix(since), limit)
}
