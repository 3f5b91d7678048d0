package storage

import (
	"database/sql"
	"fmt"
	"testing"
)

// guardRows makes every write transaction check, before it commits, that the
// rows of each query it ran were closed: rows left open keep a statement
// stepping on the writer's own connection, and with it a read snapshot after
// the commit, which no checkpoint can pass (the WAL could never be restarted).
// database/sql closes rows read to their end; an early return without Close
// is the bug this catches. On in tests only: the check costs a slice a
// transaction.
var guardRows = testing.Testing()

// queried is a query a write transaction ran and the rows it returned.
type queried struct {
	rows  *sql.Rows
	query string
}

// noteRows remembers rows a write transaction's query returned (tests only).
func (tx *Tx) noteRows(rows *sql.Rows, query string) {
	if guardRows && tx.writer != nil && rows != nil {
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
