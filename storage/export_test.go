package storage

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"testing/fstest"
	"time"
)

// MigrationsUpTo returns the embedded migrations up to version v, plus extra
// future ones (tests of upgrades and of refusing newer databases).
func MigrationsUpTo(v, extra int) fs.FS {
	out := fstest.MapFS{}
	migs, _ := loadMigrations(mustSub(migrationFiles, "migrations"))
	for _, m := range migs[:v] {
		out[m.name] = &fstest.MapFile{Data: []byte(m.sql)}
	}
	for i := 1; i <= extra; i++ {
		out[fmt.Sprintf("%04d_future.sql", v+i)] = &fstest.MapFile{Data: []byte("CREATE TABLE future_" + fmt.Sprint(i) + " (x);")}
	}
	return out
}

// SetPruneBatch makes retention delete n rows a batch until restore is called,
// so a test crosses batch boundaries with few rows.
func SetPruneBatch(n int64) (restore func()) {
	old := pruneBatch
	pruneBatch = n
	return func() { pruneBatch = old }
}

// QueueMarks queues deliveries as MarkSentBatch does, without waiting for a
// transaction to record them.
func (db *DB) QueueMarks(ds []Delivery, at time.Time) { db.marks.add(ds, unix(at)) }

// FlushMarks is what MarkSentBatch waits on.
func (db *DB) FlushMarks(ctx context.Context) error { return db.flushMarks(ctx, db.marks.seq) }

// PendingMarks is how many deliveries wait for a transaction.
func (db *DB) PendingMarks() int {
	db.marks.mu.Lock()
	defer db.marks.mu.Unlock()
	return len(db.marks.pending)
}

// Unguarded turns the open-rows guard off until restore is called.
func Unguarded() (restore func()) {
	was := guardRows.Swap(false)
	return func() { guardRows.Store(was) }
}

// The dispatcher's outbox reads, for their plans.
const (
	PendingOutboxQuery = pendingOutboxQuery
	PendingHeadsQuery  = pendingHeadsQuery
)

// ExecForTest runs a statement in tx (tests that need many rows fast).
func (tx *Tx) ExecForTest(query string, args ...any) error {
	_, err := tx.exec(query, args...)
	return err
}

// QueryForTest runs a query of one text column and returns its rows.
func QueryForTest(tx *Tx, query string) ([]string, error) { return tx.queryStrings(query) }

// WriterPragma reads an integer pragma on the writer's connection.
func (db *DB) WriterPragma(ctx context.Context, name string) (v int64, err error) {
	err = db.onWriter(func(c *sql.Conn) error {
		return c.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	})
	return v, err
}

// ReadPragma reads an integer pragma on a connection of the read pool.
func (db *DB) ReadPragma(ctx context.Context, name string) (v int64, err error) {
	err = db.onReadConn(ctx)(func(c *sql.Conn) error {
		return c.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	})
	return v, err
}
