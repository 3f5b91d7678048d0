package storage

import (
	"fmt"
	"time"
)

// CountResolvedStillDone counts a community's requests resolved in [from, to)
// that are not open again: a ticket its reporter rated 不满意 (reopened) or
// that went back to a department is not done, whatever its history says.
func (tx *Tx) CountResolvedStillDone(communityID int64, from, to time.Time) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(DISTINCT e.request_id) FROM request_events e
		JOIN requests r ON r.id = e.request_id
		WHERE e.created_at >= ? AND e.created_at < ? AND e.action = 'resolve' AND r.community_id = ?
			AND r.state NOT IN (`+qmarks(len(ticketOpenStates))+`)`,
		append([]any{unix(from), unix(to), communityID}, strArgs(ticketOpenStates)...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count resolved: %w", err)
	}
	return n, nil
}
