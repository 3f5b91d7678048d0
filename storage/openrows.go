package storage

import (
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"sync/atomic"
)

// guardRows makes every write transaction check, before it commits, that the
// rows of each query it ran were closed: rows left open keep a statement
// stepping on the writer's own connection, and with it a read snapshot after
// the commit, which no checkpoint can pass (the WAL could never be restarted).
// database/sql closes rows read to their end; an early return without Close
// is the bug this catches. On in tests only: the test rig (storage/storagetest)
// turns it on when imported, and Open refuses a test binary that did not (see
// guardedIfTest), so the production binary neither pays for the check (a
// slice a transaction) nor links the testing package.
var guardRows atomic.Bool

// GuardOpenRows turns the open-rows check on for the whole process, before
// it opens a database. Tests only: storage/storagetest calls it.
func GuardOpenRows() { guardRows.Store(true) }

// guardedIfTest fails Open in a test binary (one whose testing flags are
// registered) that has not turned the guard on: its tests would otherwise
// miss rows left open without a word.
func guardedIfTest() error {
	if !guardRows.Load() && flag.Lookup("test.v") != nil {
		return errors.New("storage: a test opened a database without the open-rows guard: " +
			"import storage/storagetest (its Open, OpenAt or Seed) or call storage.GuardOpenRows first")
	}
	return nil
}

// queried is a query a write transaction ran and the rows it returned.
type queried struct {
	rows  *sql.Rows
	query string
}

// noteRows remembers rows a write transaction's query returned (tests only).
func (tx *Tx) noteRows(rows *sql.Rows, query string) {
	if guardRows.Load() && tx.writer != nil && rows != nil {
		tx.queried = append(tx.queried, queried{rows, query})
	}
}

// rowsLeftOpen returns an error naming the first query whose rows are still
// open (Columns fails only on closed rows), and closes them all.
func (tx *Tx) rowsLeftOpen() error {
	var err error
	for _, q := range tx.queried {
		if _, open := q.rows.Columns(); open == nil {
			q.rows.Close()
			if err == nil {
				err = fmt.Errorf("storage: rows of a query left open in a write transaction (close them, or read them to the end): %s", q.query)
			}
		}
	}
	return err
}
