package storage

import (
	"fmt"
)

// SimilarParams select open tickets that may be the same matter as a new report.
type SimilarParams struct {
	CommunityID int64
	BuildingID  int64    // required: only reports at the same place are compared
	Trigrams    []string // three-character pieces of the new text (user text: bound, never spliced)
	Limit       int
}

// SimilarOpenTickets returns open repairs and complaints at the building
// whose text contains one of the trigrams (compared folded: Fold), newest
// first; a report made a moment ago, earlier in this transaction too, is a
// candidate. The caller decides how similar is similar enough.
//
// It reads the open tickets at the building through their partial index
// (requests_open_tickets), not the trigram index: ranking the index's matches
// (FTS5's ORDER BY rank) read every report that shared a trigram, ever, and
// grew with the history; the open tickets at one place are a few.
func (tx *Tx) SimilarOpenTickets(p SimilarParams) ([]Request, error) {
	if p.BuildingID == 0 || len(p.Trigrams) == 0 {
		return nil, nil
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 5
	}
	// The kind and state lists are literals, as in the index's WHERE: the
	// planner uses a partial index only for a query that names its condition.
	q := `SELECT ` + requestColumns + ` WHERE community_id = ? AND building_id = ? AND kind IN (` + ticketKinds + `)
		AND state IN (` + sqlList(ticketOpenStates) + `) AND ` + sharesFunction + `(text, ?) ORDER BY id DESC LIMIT ?`
	rows, err := tx.query(q, p.CommunityID, p.BuildingID, foldedPieces(p.Trigrams), limit)
	if err != nil {
		return nil, fmt.Errorf("similar tickets: %w", err)
	}
	return scanRequests(rows)
}

// Followers lists the requests merged into id (duplicate_of = id), oldest first.
func (tx *Tx) Followers(communityID, id int64) ([]Request, error) {
	rows, err := tx.query(`SELECT `+requestColumns+` WHERE community_id = ? AND duplicate_of = ? ORDER BY id`, communityID, id)
	if err != nil {
		return nil, fmt.Errorf("followers: %w", err)
	}
	return scanRequests(rows)
}
