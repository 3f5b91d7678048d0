package storage

import (
	"context"
	"fmt"
	"runtime"
)

// DefaultTrigramBatch is how many new requests wait before they are added to
// the trigram index together (Options.TrigramBatch).
//
// FTS5 writes each flush of pending terms as a new segment and merges
// segments as they pile up, reading the older ones back; indexing at every
// commit made a segment per group commit (2.5 messages), and the merges, read
// through the writer's small page cache, slowed a million-message soak to a
// tenth of its first rate. The requests not yet indexed — normally less than
// a batch, the newest — are searched directly (trigramTail).
const DefaultTrigramBatch = 256

// TrigramTailSearched is how many of the newest requests a search reads
// directly when they are not yet indexed. Normally the tail is shorter than a
// batch; after a database was written around Qiao (an import, requests
// inserted by SQL, the upgrade that refolded the index) it can be the whole
// history, indexed in the background a batch at a time, and until then older
// unindexed requests are not found by the staff search. Batches are at most
// this large.
const TrigramTailSearched = 4096

// trigramWatermark is the newest request in the trigram index. Requests are
// indexed in id order, a batch of the oldest unindexed at a time, so every
// request up to it is indexed and every one after it is not (the tail). Ids
// only grow: requests are never deleted.
const trigramWatermark = `(SELECT COALESCE(MAX(id), 0) FROM requests_fts_docsize)`

// trigramTail selects the ids of the newest TrigramTailSearched requests not
// yet in the trigram index, for a search to add a condition on their text
// (requests.text) with AND.
var trigramTail = fmt.Sprintf(`SELECT id FROM requests WHERE id > MAX(%s, (SELECT COALESCE(MAX(id), 0) FROM requests) - %d)`,
	trigramWatermark, TrigramTailSearched)

// indexTrigramTail adds the oldest limit requests after the watermark to the
// trigram index, folded (Fold), in one statement: FTS5 writes them as one
// segment. It returns how many it added.
func (tx *Tx) indexTrigramTail(limit int) (int, error) {
	res, err := tx.exec(`INSERT INTO requests_fts(rowid, text) SELECT id, `+foldFunction+`(text) FROM requests
		WHERE id > `+trigramWatermark+` ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return 0, fmt.Errorf("index new requests: %w", err)
	}
	n, err := res.RowsAffected()
	tx.trigramIndexed = int(n)
	return int(n), err
}

// indexTrigramsIfDue indexes the tail at the end of tx once a batch of new
// requests is waiting, counting this transaction's, and reports whether it did.
// The writer calls it last, after every other statement: FTS5 flushes its
// pending terms at every statement savepoint, so a statement after it would
// write a second segment. While the background pass catches up with a long
// tail, it does the indexing instead.
func (db *DB) indexTrigramsIfDue(tx *Tx) error {
	tail := db.trigramPending + len(tx.newRequests)
	if db.trigramCatchingUp || tail < db.trigramBatch {
		return nil
	}
	// Normally the whole tail; a batch and this transaction's own at most, if
	// a background pass gave up on a long one.
	_, err := tx.indexTrigramTail(min(tail, db.trigramBatch+len(tx.newRequests)))
	return err
}

// noteIndexed counts a committed transaction's new requests into the backlog,
// less those it indexed. Writer only (under the gate).
func (db *DB) noteIndexed(tx *Tx) {
	db.trigramPending = max(0, db.trigramPending+len(tx.newRequests)-tx.trigramIndexed)
	if tx.trigramCaughtUp {
		db.trigramCatchingUp, db.trigramPending = false, 0
	}
}

// TrigramStatus is what Open found of the trigram index's tail.
type TrigramStatus struct {
	TailAtOpen    int64 // requests the last process (or a tool) left unindexed, about
	IndexedAtOpen int   // of them, indexed before Open returned (at most a batch)
	Background    bool  // the rest is being indexed in the background
}

// TrigramStatus reports what Open found of the trigram index's tail.
func (db *DB) TrigramStatus() TrigramStatus { return db.trigramStatus }

// TrigramsCaughtUp is closed once the background pass has indexed the tail
// Open left (at once when there was none), or given up on an error (then the
// messages' transactions index the rest, a batch each).
func (db *DB) TrigramsCaughtUp() <-chan struct{} { return db.trigramsCaughtUp }

// TrigramPassErr is the error that ended the background pass before it caught
// up (its rest is then indexed by the messages' transactions), nil when it
// caught up, was not needed or was stopped by Close. Read it once
// TrigramsCaughtUp is closed.
func (db *DB) TrigramPassErr() error { return db.trigramPassErr }

// indexTrigramsAtOpen indexes one batch of what the last process left in the
// tail (it stopped, or crashed, between two batches: less than a batch; a
// database written around Qiao: any number) and starts the background pass
// for the rest. Tests of migrations open schemas without the index.
func (db *DB) indexTrigramsAtOpen(ctx context.Context) error {
	db.trigramsCaughtUp = make(chan struct{})
	st := &db.trigramStatus
	err := db.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'requests_fts'`).Scan(&n); err != nil || n == 0 {
			return err
		}
		// Ids are dense but for rolled-back inserts: an estimate from two lookups.
		if err := tx.queryRow(`SELECT COALESCE(MAX(id), 0) - ` + trigramWatermark + ` FROM requests`).Scan(&st.TailAtOpen); err != nil {
			return err
		}
		var err error
		st.IndexedAtOpen, err = tx.indexTrigramTail(db.trigramBatch)
		return err
	})
	if err != nil {
		return err
	}
	if st.IndexedAtOpen < db.trigramBatch { // the whole tail
		close(db.trigramsCaughtUp)
		return nil
	}
	st.Background, db.trigramCatchingUp = true, true
	db.trigramPending = int(max(0, st.TailAtOpen-int64(st.IndexedAtOpen)))
	return nil
}

// backgroundBatchHook, when set (tests only, before Open), runs in each of the
// background pass's transactions before it indexes: a test holds the pass
// there, or fails the batch.
var backgroundBatchHook func(ctx context.Context) error

// catchUpTrigrams indexes the tail Open left, a batch a write transaction
// through the writer, between the messages' transactions, until the tail is
// shorter than a batch or the database closes (stop: Close sets db.stop to
// nil, so the channel is given, not read from db).
func (db *DB) catchUpTrigrams(stop <-chan struct{}) {
	defer db.stopped.Done()
	defer close(db.trigramsCaughtUp)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	for ctx.Err() == nil {
		done := false
		err := db.Update(ctx, func(tx *Tx) error {
			if backgroundBatchHook != nil {
				if err := backgroundBatchHook(ctx); err != nil {
					return err
				}
			}
			n, err := tx.indexTrigramTail(db.trigramBatch)
			done = n < db.trigramBatch
			tx.trigramCaughtUp = done
			return err
		})
		if done && err == nil {
			return
		}
		runtime.Gosched() // a message waiting at the gate goes first
		if err != nil {
			if ctx.Err() == nil { // not closing: the messages' transactions take over, a batch each
				db.gate.Lock()
				db.trigramCatchingUp = false
				db.gate.Unlock()
				db.trigramPassErr = fmt.Errorf("storage: trigram index's background pass: %w", err)
			}
			return
		}
	}
}
