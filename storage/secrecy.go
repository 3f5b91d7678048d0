package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// scrubbed is the SET clause that blanks a secret outbox row's content as it
// leaves the queue (delivered or given up): only its envelope stays.
const scrubbed = `text = CASE WHEN scrub_key <> '' THEN '' ELSE text END,
	buttons = CASE WHEN scrub_key <> '' THEN '' ELSE buttons END`

// ScrubOutbox deletes every outbox row marked with key, sent or not: an
// anonymous poll's receipts when it closes (a receipt not delivered by then is
// not delivered at all).
func (tx *Tx) ScrubOutbox(key string) error {
	if key == "" {
		return errors.New("scrub outbox: empty key")
	}
	_, err := tx.exec(`DELETE FROM outbox WHERE scrub_key = ?`, key)
	return err
}

// PollSecretKey names the kv row holding an open anonymous poll's ballot secret.
func PollSecretKey(pollID int64) string { return "polls.secret." + strconv.FormatInt(pollID, 10) }

// walTruncateDue is the kv flag set by a transaction that deleted a secret:
// the WAL still holds the frames that wrote it until it is truncated.
const walTruncateDue = "storage.wal_truncate_due"

// RequestWALTruncate asks for a checkpoint that empties the WAL once this
// transaction has committed (see DB.TruncateWALIfDue).
func (tx *Tx) RequestWALTruncate() error { return tx.SetValue(walTruncateDue, "1") }

// ErrWALBusy is returned when a reader kept the WAL from being emptied.
var ErrWALBusy = errors.New("storage: WAL checkpoint blocked by a reader")

// TruncateWAL copies the WAL into the database file and truncates it to zero
// bytes: the old frames (with the pages as they were before a secret was
// deleted) are gone from disk. With secure_delete the freed content in the
// database file is zeroed too.
func (db *DB) TruncateWAL(ctx context.Context) error {
	db.passGate() // no checkpoint of the checkpointer's may run meanwhile
	defer db.gate.Unlock()
	db.checkpointing.Lock()
	defer db.checkpointing.Unlock()
	var busy, logFrames, done int
	err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
	if err != nil {
		return fmt.Errorf("storage: truncate WAL: %w", err)
	}
	if busy != 0 {
		return ErrWALBusy
	}
	return nil
}

// TruncateWALIfDue runs TruncateWAL when a committed transaction asked for it,
// and clears the request once it succeeded. It reports whether it ran.
func (db *DB) TruncateWALIfDue(ctx context.Context) (bool, error) {
	if _, err := db.Value(ctx, walTruncateDue); errors.Is(err, ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if err := db.TruncateWAL(ctx); err != nil {
		return false, err
	}
	return true, db.Update(ctx, func(tx *Tx) error { return tx.DeleteValue(walTruncateDue) })
}

// scrubBackup removes from a fresh backup copy what would link voters to
// ballots of polls still open: their ballot secrets, the receipts waiting in
// the outbox, and the insertion order of their ballots (which follows the
// order of poll_voters.voted_at). It rebuilds the file so nothing deleted
// stays in free pages.
func scrubBackup(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=secure_delete(1)&_pragma=journal_mode(DELETE)&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	err = func() error {
		sqlTx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer sqlTx.Rollback()
		tx := &Tx{run: sqlTx, tx: sqlTx, ctx: ctx}
		if _, err := tx.exec(`DELETE FROM kv WHERE key LIKE 'polls.secret.%'`); err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM outbox WHERE scrub_key <> ''`); err != nil {
			return err
		}
		open, err := tx.int64s(`SELECT id FROM polls WHERE state = 'open' AND anonymous = 1`)
		if err != nil {
			return err
		}
		for _, id := range open {
			if err := tx.SealBallots(id); err != nil {
				return err
			}
		}
		return sqlTx.Commit()
	}()
	if err != nil {
		return fmt.Errorf("storage: scrub backup: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("storage: scrub backup: %w", err)
	}
	return nil
}

// PollVoterKeyOf returns the voter key under which a person voted in a poll,
// or ErrNotFound.
func (tx *Tx) PollVoterKeyOf(pollID, personID int64) (string, error) {
	var key string
	// A paper ballot's person is who entered it: it is not their own vote.
	err := tx.queryRow(`SELECT voter_key FROM poll_voters WHERE poll_id = ? AND person_id = ? AND source = 'online'
		ORDER BY voted_at LIMIT 1`,
		pollID, personID).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return key, err
}
