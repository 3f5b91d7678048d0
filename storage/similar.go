package storage

import (
	"fmt"
	"strconv"
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
// trigram index). The caller decides how similar is similar enough.
func (tx *Tx) SimilarOpenTickets(p SimilarParams) ([]Request, error) {
	if p.BuildingID == 0 || len(p.Trigrams) == 0 {
		return nil, nil
	}
	if err := tx.indexNewRequests(); err != nil { // a report earlier in this batch is a candidate too
		return nil, err
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
	// The best trigram matches of the whole community, then the place and state filters.
	q := `SELECT ` + requestColumns + ` WHERE id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH ? ORDER BY rank LIMIT 200)
		AND community_id = ? AND building_id = ? AND kind IN (` + ticketKinds + `) AND state IN (` + sqlList(ticketOpenStates) + `)
		ORDER BY id DESC LIMIT ?`
	rows, err := tx.query(q, match, p.CommunityID, p.BuildingID, limit)
	if err != nil {
		return nil, fmt.Errorf("similar tickets: %w", err)
	}
	return scanRequests(rows)
}

// indexNewRequests adds the requests created in this transaction to the
// trigram index. It runs at the end of the transaction: FTS5 writes its
// pending terms out as a new segment at every statement savepoint, so indexing
// each request as it was inserted made a segment per request, and merging them
// dominated the writer as the index grew. It may run more than once (a search
// earlier in the batch); a request already indexed is skipped, one rolled back
// with its savepoint is no longer there to select, and one whose index entry
// was rolled back with a later savepoint is indexed again.
func (tx *Tx) indexNewRequests() error {
	if len(tx.newRequests) == 0 {
		return nil
	}
	ids := make([]string, len(tx.newRequests))
	for i, id := range tx.newRequests {
		ids[i] = strconv.FormatInt(id, 10)
	}
	// One statement text for any number of ids (a JSON array), prepared once.
	// NOT EXISTS looks each id up; NOT IN (SELECT id …) would copy every indexed id first.
	_, err := tx.exec(`INSERT INTO requests_fts(rowid, text) SELECT r.id, r.text FROM requests r
		WHERE r.id IN (SELECT value FROM json_each(?))
			AND NOT EXISTS (SELECT 1 FROM requests_fts_docsize d WHERE d.id = r.id)`,
		"["+strings.Join(ids, ",")+"]")
	if err != nil {
		return fmt.Errorf("index new requests: %w", err)
	}
	return nil
}

// Followers lists the requests merged into id (duplicate_of = id), oldest first.
func (tx *Tx) Followers(communityID, id int64) ([]Request, error) {
	rows, err := tx.query(`SELECT `+requestColumns+` WHERE community_id = ? AND duplicate_of = ? ORDER BY id`, communityID, id)
	if err != nil {
		return nil, fmt.Errorf("followers: %w", err)
	}
	return scanRequests(rows)
}
