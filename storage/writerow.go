package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// row is what queryRow returns: in a read transaction database/sql's Row; in
// a write transaction a single-row query the writer runs below database/sql
// when Scan is called, as its writes already are (see writeConn.exec). A
// database/sql Row costs the single writer a Stmt's locks, a Rows, a context
// watcher and a converted argument slice for every lookup — ~6 allocations —
// while the ideal replay steps the driver's statement directly.
//
// Every caller chains Scan to queryRow (or hands the row straight to a scan
// function), so running the query at Scan rather than at queryRow sees the
// same transaction state.
type row struct {
	sqlRow *sql.Row
	tx     *Tx
	query  string
	args   []any
}

// Scan copies the first row's columns into dest, as sql.Row.Scan does. A
// value receiver: a row chained to Scan is never moved to the heap.
func (r row) Scan(dest ...any) error {
	if r.sqlRow != nil {
		return r.sqlRow.Scan(dest...)
	}
	return r.tx.writer.queryRow(r.tx.ctx, r.query, r.args, dest)
}

// queryRow runs a single-row query for Scan. It stays below database/sql
// when every destination is one whose conversion it repeats exactly (see
// assignDirect) and the driver's values need no other; anything else —
// another destination type, a NULL or a value of another type in a column —
// is left to database/sql, which runs the query again (in the same
// transaction, with nothing written between: the same row) and gives its own
// result or error.
func (w *writeConn) queryRow(ctx context.Context, query string, args []any, dest []any) error {
	viaSQL := func() error {
		if st := w.stmt(ctx, query); st != nil {
			return st.QueryRowContext(ctx, args...).Scan(dest...)
		}
		return w.conn.QueryRowContext(ctx, query, args...).Scan(dest...)
	}
	if !directDests(dest) {
		return viaSQL()
	}
	st, ok := w.directStmt(ctx, query).(driver.StmtQueryContext)
	if !ok {
		return viaSQL()
	}
	nv, err := DriverArgs(w.args[:0], args)
	defer func() { clear(nv); w.args = nv[:0] }() // no caller's data kept alive
	if errors.Is(err, errNamedArg) {
		return viaSQL()
	}
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, nv)
	if err != nil {
		return err
	}
	vals, direct, err := w.firstRow(rows, dest)
	if !direct {
		return viaSQL()
	}
	defer clear(vals) // no row's data kept alive
	if vals == nil {
		return err
	}
	for i, v := range vals {
		if serr := assignDirect(dest[i], v); serr != nil {
			return fmt.Errorf(`sql: Scan error on column index %d, name %q: %w`, i, rows.Columns()[i], serr)
		}
	}
	return err
}

// firstRow reads rows' first row into the writer's value buffer and closes
// rows. direct is false when database/sql must convert it (its result or
// error is then the one to give). vals is nil when there is no row (err is
// sql.ErrNoRows, or the driver's); else err is Close's.
func (w *writeConn) firstRow(rows driver.Rows, dest []any) (vals []driver.Value, direct bool, err error) {
	n := len(rows.Columns())
	if cap(w.vals) < n {
		w.vals = make([]driver.Value, n)
	}
	vals = w.vals[:n]
	err = rows.Next(vals)
	cerr := rows.Close()
	switch {
	case errors.Is(err, io.EOF):
		return nil, true, sql.ErrNoRows
	case err != nil:
		return nil, true, err
	case len(dest) != n:
		clear(vals)
		return nil, false, nil // database/sql's own message
	}
	for i, v := range vals {
		if !directValue(dest[i], v) {
			clear(vals)
			return nil, false, nil
		}
	}
	return vals, true, cerr
}

// directDests reports whether assignDirect can take every destination.
func directDests(dest []any) bool {
	for _, d := range dest {
		switch d := d.(type) {
		case *int64, *int, *string, *bool, *float64:
			if d == nil {
				return false
			}
		case sql.Scanner:
		default:
			return false
		}
	}
	return true
}

// directValue reports whether assignDirect gives v into d what database/sql's
// conversion gives: a Scanner is handed the value as it is; the plain types
// take a value of their own kind (the driver returns int64, float64, string,
// []byte, nil), and a bool what driver.Bool takes.
func directValue(d any, v driver.Value) bool {
	switch d.(type) {
	case *int64:
		_, ok := v.(int64)
		return ok
	case *int:
		_, ok := v.(int64)
		return ok && strconv.IntSize == 64
	case *string:
		_, ok := v.(string)
		return ok
	case *float64:
		_, ok := v.(float64)
		return ok
	case *bool:
		_, err := driver.Bool.ConvertValue(v)
		return err == nil
	}
	_, ok := d.(sql.Scanner)
	return ok
}

// assignDirect stores v in d; directValue(d, v) holds. A Scanner's own error
// cannot happen for the Null types Qiao scans into, but is reported as
// database/sql reports it.
func assignDirect(d any, v driver.Value) error {
	switch d := d.(type) {
	case *int64:
		*d = v.(int64)
	case *int:
		*d = int(v.(int64))
	case *string:
		*d = v.(string)
	case *float64:
		*d = v.(float64)
	case *bool:
		b, _ := driver.Bool.ConvertValue(v)
		*d = b.(bool)
	case sql.Scanner:
		return d.Scan(v)
	}
	return nil
}
