package storage

import (
	"fmt"
	"time"
)

// LedgerFacts are what a ledger row shows beside the request itself: when it
// was last dispatched and accepted (a reopened ticket is dispatched again)
// and how many pictures it has.
type LedgerFacts struct {
	Dispatched, Accepted time.Time
	Photos               int
}

// LedgerFacts reads the facts of the given requests in two queries, however
// many there are (an export reads a page of requests at a time).
func (tx *Tx) LedgerFacts(ids []int64) (map[int64]LedgerFacts, error) {
	out := make(map[int64]LedgerFacts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.query(`SELECT request_id, action, MAX(created_at) FROM request_events
		WHERE request_id IN (`+qmarks(len(ids))+`) AND action IN ('dispatch', 'accept')
		GROUP BY request_id, action`, anys(ids)...)
	if err != nil {
		return nil, fmt.Errorf("ledger events: %w", err)
	}
	for rows.Next() {
		var id, at int64
		var action string
		if err := rows.Scan(&id, &action, &at); err != nil {
			rows.Close()
			return nil, err
		}
		f := out[id]
		if action == "dispatch" {
			f.Dispatched = fromUnix(at)
		} else {
			f.Accepted = fromUnix(at)
		}
		out[id] = f
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(`SELECT request_id, COUNT(*) FROM request_blobs
		WHERE request_id IN (`+qmarks(len(ids))+`) GROUP BY request_id`, anys(ids)...)
	if err != nil {
		return nil, fmt.Errorf("ledger photos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		f := out[id]
		f.Photos = n
		out[id] = f
	}
	return out, rows.Err()
}
