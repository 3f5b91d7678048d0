package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// RollbackThen is an error a function run by UpdateBatch returns to have its
// work rolled back and Then run in its place, in the same transaction (the
// Engine answers a refused command this way: the handler's changes are undone,
// the answer and the dedupe mark are kept). Err is what went wrong.
type RollbackThen struct {
	Err  error
	Then func(tx *Tx) error
}

func (e *RollbackThen) Error() string { return e.Err.Error() }

func (e *RollbackThen) Unwrap() error { return e.Err }

// Savepoint runs fn inside a SAVEPOINT of the transaction: if fn returns an
// error, everything it did is rolled back and the error returned, and the
// transaction goes on.
func (tx *Tx) Savepoint(fn func() error) error {
	// Named by depth, so a batch reuses a few names (and their cached
	// statements) instead of one name per message.
	tx.savepoints++
	defer func() { tx.savepoints-- }()
	name := "sp" + strconv.Itoa(tx.savepoints)
	if _, err := tx.exec("SAVEPOINT " + name); err != nil {
		return fmt.Errorf("storage: savepoint: %w", err)
	}
	staged := len(tx.staged)
	if err := fn(); err != nil {
		tx.staged = tx.staged[:staged] // rows written in the savepoint are undone
		if _, rerr := tx.exec("ROLLBACK TO " + name); rerr != nil {
			return errors.Join(err, fmt.Errorf("storage: rollback to savepoint: %w", rerr))
		}
		tx.exec("RELEASE " + name)
		return err
	}
	if _, err := tx.exec("RELEASE " + name); err != nil {
		return fmt.Errorf("storage: release savepoint: %w", err)
	}
	return nil
}

// UpdateBatch is group commit: it runs each fn in one write transaction and
// commits once. Each fn sees its own tx.Now; an error rolls back only that
// fn's work and is returned at its index — unless it is a *RollbackThen: then
// fn's work is rolled back and its Then runs in its place, and Then's result
// is fn's. If the commit fails, every fn gets the error (nothing was stored).
//
// The batch is optimistic: almost every message succeeds, so the fns first
// run without savepoints (a savepoint costs three statements and a statement
// journal a message). Only when one fails is that transaction rolled back and
// the whole batch run again, each fn in its own savepoint. So a fn may run
// twice and must not act outside the transaction.
func (db *DB) UpdateBatch(ctx context.Context, fns []func(tx *Tx) error) []error {
	errs := make([]error, len(fns))
	err := db.Update(ctx, func(tx *Tx) error {
		tx.batched = len(fns)
		for _, fn := range fns {
			tx.Now = db.Now()
			if fn(tx) != nil {
				return errBatchFailed
			}
		}
		return nil
	})
	if errors.Is(err, errBatchFailed) {
		db.stats.retried.Add(1)
		err = db.updateBatchSavepoints(ctx, fns, errs)
	}
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
	}
	return errs
}

// errBatchFailed ends an optimistic batch in which a function failed.
var errBatchFailed = errors.New("storage: a function of the batch failed")

// updateBatchSavepoints is UpdateBatch with each fn in its own savepoint.
func (db *DB) updateBatchSavepoints(ctx context.Context, fns []func(tx *Tx) error, errs []error) error {
	return db.Update(ctx, func(tx *Tx) error {
		tx.batched = len(fns)
		for i, fn := range fns {
			tx.Now = db.Now()
			errs[i] = tx.Savepoint(func() error { return fn(tx) })
			if then, ok := errs[i].(*RollbackThen); ok { // rolled back cleanly
				errs[i] = tx.Savepoint(func() error { return then.Then(tx) })
			}
		}
		return nil
	})
}
