package storage

import (
	"context"
	"fmt"
)

// DefaultTrigramBatch is how many new requests wait before they are added to
// the trigram index together (Options.TrigramBatch).
//
// FTS5 writes each flush of pending terms as a new segment and merges
// segments as they pile up, reading the older ones back; indexing at every
// commit made a segment per group commit (2.5 messages), and the merges, read
// through the writer's small page cache, slowed a million-message soak to a
// tenth of its first rate. The requests not yet indexed — at most a batch,
// the newest — are searched directly (trigramTail).
const DefaultTrigramBatch = 256

// trigramWatermark is the newest request in the trigram index. Requests are
// indexed in id order, whole tails at a time, so every request up to it is
// indexed and every one after it is not (the tail). Ids only grow: requests
// are never deleted.
const trigramWatermark = `(SELECT COALESCE(MAX(id), 0) FROM requests_fts_docsize)`

// trigramTail selects the ids of the requests not yet in the trigram index,
// for a search to add a condition on their text (requests.text) with AND.
const trigramTail = `SELECT id FROM requests WHERE id > ` + trigramWatermark

// indexTrigramTail adds every request after the watermark to the trigram
// index, in one statement: FTS5 writes them as one segment.
func (tx *Tx) indexTrigramTail() error {
	_, err := tx.exec(`INSERT INTO requests_fts(rowid, text) SELECT id, text FROM requests WHERE id > ` + trigramWatermark)
	if err != nil {
		return fmt.Errorf("index new requests: %w", err)
	}
	return nil
}

// indexTrigramsIfDue indexes the tail at the end of tx once a batch of new
// requests is waiting, counting this transaction's, and reports whether it did.
// The writer calls it last, after every other statement: FTS5 flushes its
// pending terms at every statement savepoint, so a statement after it would
// write a second segment.
func (db *DB) indexTrigramsIfDue(tx *Tx) (bool, error) {
	if db.trigramPending+len(tx.newRequests) < db.trigramBatch {
		return false, nil
	}
	return true, tx.indexTrigramTail()
}

// noteIndexed counts a committed transaction's new requests into the backlog,
// or empties it if the transaction indexed the tail. Writer only (under the gate).
func (db *DB) noteIndexed(tx *Tx, indexed bool) {
	if indexed {
		db.trigramPending = 0
		return
	}
	db.trigramPending += len(tx.newRequests)
}

// indexTrigramsAtOpen indexes what the last process left in the tail (it
// stopped, or crashed, between two batches), so the backlog starts empty.
// Tests of migrations open schemas without the index.
func (db *DB) indexTrigramsAtOpen(ctx context.Context) error {
	return db.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'requests_fts'`).Scan(&n); err != nil || n == 0 {
			return err
		}
		return tx.indexTrigramTail()
	})
}
