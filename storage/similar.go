package storage

import (
	"encoding/json"
	"fmt"
	"strings"
)

// SimilarParams select open tickets that may be the same matter as a new report.
type SimilarParams struct {
	CommunityID int64
	BuildingID  int64    // required: only reports at the same place are compared
	Trigrams    []string // three-character pieces of the new text (user text: bound, never spliced)
	Limit       int
}

// SimilarOpenTickets returns open repairs and complaints at the building
// whose text shares trigrams with the new report, newest first (FTS5
// trigram index, and the tail not yet in it: a report made a moment ago,
// earlier in this transaction too, is a candidate). The caller decides how
// similar is similar enough.
func (tx *Tx) SimilarOpenTickets(p SimilarParams) ([]Request, error) {
	if p.BuildingID == 0 || len(p.Trigrams) == 0 {
		return nil, nil
	}
	var terms []string
	for _, t := range p.Trigrams {
		terms = append(terms, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
	}
	match := strings.Join(terms, " OR ")
	limit := p.Limit
	if limit <= 0 {
		limit = 5
	}
	// The best trigram matches of the whole community, and the requests not
	// yet indexed (a batch at most) at the building that contain one of the
	// trigrams (the building first: it is cheaper than the trigrams); then the
	// place and state filters, unary + so that the plan looks only those ids
	// up (an index on them would read every open ticket of the community).
	q := `SELECT ` + requestColumns + ` WHERE id IN (
			SELECT rowid FROM (SELECT rowid FROM requests_fts WHERE requests_fts MATCH ? ORDER BY rank LIMIT 200)
			UNION ALL ` + trigramTail + ` AND +building_id = ? AND EXISTS (SELECT 1 FROM json_each(?) WHERE instr(lower(requests.text), lower(value)) > 0))
		AND +community_id = ? AND +building_id = ? AND +kind IN (` + ticketKinds + `) AND +state IN (` + sqlList(ticketOpenStates) + `)
		ORDER BY id DESC LIMIT ?`
	pieces, err := json.Marshal(p.Trigrams)
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(q, match, p.BuildingID, string(pieces), p.CommunityID, p.BuildingID, limit)
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
