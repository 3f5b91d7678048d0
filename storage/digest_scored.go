package storage

import "time"

// DigestEvaluations lists a community's scored evaluations open now or closed
// in [from, to): the open ones first, each group by id.
func (tx *Tx) DigestEvaluations(communityID int64, from, to time.Time) ([]Poll, error) {
	return tx.polls(`SELECT `+pollColumns+` WHERE community_id = ? AND kind = 'scored'
		AND (state = 'open' OR (state = 'closed' AND closed_at >= ? AND closed_at < ?))
		ORDER BY state = 'closed', id`, communityID, unix(from), unix(to))
}
