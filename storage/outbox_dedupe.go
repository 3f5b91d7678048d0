package storage

import "fmt"

// Enqueued reports whether a message with this dedupe key is in the outbox: a
// job rerun checks it before drawing a picture it would not send.
func (tx *Tx) Enqueued(dedupeKey string) (bool, error) {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM outbox WHERE dedupe_key = ?`, dedupeKey).Scan(&n); err != nil {
		return false, fmt.Errorf("enqueued: %w", err)
	}
	return n > 0, nil
}
