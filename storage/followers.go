package storage

import (
	"fmt"
	"time"
)

// The residents whose reports were merged into a ticket (followers,
// duplicate_of) are asked to rate it like its reporter and, reminded and
// silent, are phoned by staff (回访) like its reporter.

// followersOfDone selects unrated followers of resolved or closed tickets;
// the caller adds its own conditions. Followers are few: they are found by
// their state, their originals by primary key.
const followersOfDone = `SELECT f.id FROM requests f JOIN requests o ON o.id = f.duplicate_of
	WHERE f.community_id = ? AND f.state = '` + StateDuplicate + `' AND f.rated_at IS NULL
	AND o.state IN ('` + StateResolved + `', '` + StateClosed + `')`

// FollowersToRemind lists the unrated, not yet reminded followers of a
// community's tickets resolved since resolvedSince, oldest first.
func (tx *Tx) FollowersToRemind(communityID int64, resolvedSince time.Time) ([]Request, error) {
	rows, err := tx.query(`SELECT `+requestColumns+` WHERE id IN (`+followersOfDone+` AND o.resolved_at >= ?
		AND NOT EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = f.id AND e.action = ?)) ORDER BY id`,
		communityID, unix(resolvedSince), ActionRemindRating)
	if err != nil {
		return nil, fmt.Errorf("followers to remind: %w", err)
	}
	return scanRequests(rows)
}

// FollowerCallbacks lists up to limit followers reminded to rate and still
// silent: the followers' part of the 回访 list, oldest first.
func (tx *Tx) FollowerCallbacks(communityID int64, limit int) ([]Request, error) {
	rows, err := tx.query(`SELECT `+requestColumns+` WHERE id IN (`+followersOfDone+`
		AND EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = f.id AND e.action = ?)) ORDER BY id LIMIT ?`,
		communityID, ActionRemindRating, limit)
	if err != nil {
		return nil, fmt.Errorf("follower callbacks: %w", err)
	}
	return scanRequests(rows)
}
