package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is a Qiao database. Writes go through one connection (SQLite has one writer
// anyway; queueing in Go avoids "database is locked"), reads through a pool.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
	// Prepared statements per pool: parsing SQL was most of a message's cost.
	writeStmts, readStmts *stmtCache
	// Configuration rows kept between write transactions (see configCache).
	config *configCache
	// The writer does not checkpoint the WAL itself (an fsync in the middle of
	// a message's commit); every checkpointEvery commits, a goroutine does, on a
	// read connection, without blocking the writer.
	commits    atomic.Int64
	checkpoint chan struct{}
	stop       chan struct{}
	stopped    sync.WaitGroup

	// Now stamps transactions; tests and the console replace it with a virtual clock.
	Now func() time.Time
}

// Open opens (creating if needed) the database at path and applies the embedded
// migrations. A database written by a newer Qiao is refused.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWithMigrations(ctx, path, mustSub(migrationFiles, "migrations"))
}

// OpenWithMigrations is Open with another set of migrations; tests use it to
// check upgrades from older schemas.
func OpenWithMigrations(ctx context.Context, path string, migrations fs.FS) (*DB, error) {
	if path == "" {
		return nil, errors.New("storage: empty database path")
	}
	if err := restrictDatabaseFiles(path); err != nil {
		return nil, err
	}
	dsn := DSN(path)

	// Checkpoints are left to the background checkpointer (see DB.checkpoint).
	write, err := sql.Open("sqlite", dsn+"&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)

	db := &DB{path: path, write: write, read: read, Now: time.Now,
		writeStmts: newStmtCache(write), readStmts: newStmtCache(read), config: newConfigCache()}
	// Refuse a damaged file clearly at start rather than fail in a chat later.
	if err := db.QuickCheck(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.migrate(ctx, migrations); err != nil {
		db.Close()
		return nil, err
	}
	db.checkpoint, db.stop = make(chan struct{}, 1), make(chan struct{})
	db.stopped.Add(1)
	go db.checkpointer()
	return db, nil
}

// checkpointEvery is how many commits pass between WAL checkpoints.
const checkpointEvery = 200

// checkpointer copies the WAL into the database file when asked, with a
// PASSIVE checkpoint: it never waits for, or blocks, readers and the writer.
func (db *DB) checkpointer() {
	defer db.stopped.Done()
	for {
		select {
		case <-db.stop:
			return
		case <-db.checkpoint:
			if _, err := db.read.Exec("PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
				continue // the next one will try again; Close checkpoints anyway
			}
		}
	}
}

// DSN is the driver data source name Qiao opens path with: its pragmas (WAL,
// synchronous NORMAL, foreign keys, busy timeout) and immediate write
// transactions. qiao bench opens its bare SQLite baseline with it too.
func DSN(path string) string {
	// foreign_keys and busy_timeout are per connection, so they belong in the DSN.
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "secure_delete(1)") // deleted secrets are zeroed, not left in free pages (docs/security-ballots.md)
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close closes both pools.
func (db *DB) Close() error {
	if db.stop != nil {
		close(db.stop)
		db.stopped.Wait()
		db.stop = nil
	}
	db.writeStmts.close()
	db.readStmts.close()
	return errors.Join(db.read.Close(), db.write.Close())
}

// Tx is one transaction with the time it was opened under.
type Tx struct {
	tx         *sql.Tx
	ctx        context.Context
	stmts      *stmtCache
	savepoints int // open savepoints: their names are sp1…spN by depth
	Now        time.Time
	// config is the DB's configuration cache (write transactions only);
	// configDirty is set once this transaction changed configuration rows.
	config      *configCache
	configDirty bool
	// bound are the cached statements already bound to this transaction: a
	// batch runs the same few statements many times.
	bound map[string]*sql.Stmt
}

// Update runs fn in a write transaction and commits if fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	db.writeStmts.prepare(ctx)
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, ctx: ctx, stmts: db.writeStmts, Now: db.Now(), config: db.config}
	if err := db.config.sync(tx); err != nil {
		return fmt.Errorf("storage: data version: %w", err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	if db.commits.Add(1)%checkpointEvery == 0 && db.checkpoint != nil {
		select {
		case db.checkpoint <- struct{}{}:
		default:
		}
	}
	return nil
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(tx *Tx) error) error {
	db.readStmts.prepare(ctx)
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("storage: begin read: %w", err)
	}
	defer sqlTx.Rollback()
	return fn(&Tx{tx: sqlTx, ctx: ctx, stmts: db.readStmts, Now: db.Now()})
}

// readQuery runs a query outside a transaction on the read pool, prepared once
// (the dispatcher polls the outbox with the same query all day).
func (db *DB) readQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	db.readStmts.prepare(ctx)
	if st := db.readStmts.get(query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.read.QueryContext(ctx, query, args...)
}

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	if st := tx.stmt(query); st != nil {
		return st.ExecContext(tx.ctx, args...)
	}
	return tx.tx.ExecContext(tx.ctx, query, args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(query); st != nil {
		return st.QueryContext(tx.ctx, args...)
	}
	return tx.tx.QueryContext(tx.ctx, query, args...)
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	if st := tx.stmt(query); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, query, args...)
}

// stmt returns the cached prepared statement for query bound to this
// transaction, or nil to run the query unprepared. database/sql prepares it
// once per connection and reuses it in every later transaction on that connection.
func (tx *Tx) stmt(query string) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	if st, ok := tx.bound[query]; ok {
		return st
	}
	st := tx.stmts.get(query)
	if st == nil {
		return nil
	}
	st = tx.tx.StmtContext(tx.ctx, st)
	if tx.bound == nil {
		tx.bound = map[string]*sql.Stmt{}
	}
	tx.bound[query] = st
	return st
}

// stmtCache holds prepared statements by query text. Queries are constants in
// this package, so the cache stays small; maxCachedStmts bounds it anyway.
//
// A statement cannot be prepared on the pool inside a transaction: the write
// pool has one connection, which the transaction holds. So a miss runs the
// query unprepared and notes it; the next transaction prepares what was noted
// before it begins, while the connection is free.
type stmtCache struct {
	db     *sql.DB
	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	wanted map[string]bool
	closed bool
}

const maxCachedStmts = 256

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.stmts[query]
	if !ok && len(c.stmts)+len(c.wanted) < maxCachedStmts {
		c.wanted[query] = true
	}
	return st
}

// prepare prepares the noted queries; call it outside any transaction. The
// lock is not held while preparing: that waits for the connection, which a
// transaction looking up statements may hold.
func (c *stmtCache) prepare(ctx context.Context) {
	c.mu.Lock()
	if len(c.wanted) == 0 {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.wanted))
	for q := range c.wanted {
		queries = append(queries, q)
		delete(c.wanted, q)
	}
	c.mu.Unlock()
	for _, q := range queries {
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue // the unprepared query keeps reporting the error
		}
		c.mu.Lock()
		if _, dup := c.stmts[q]; dup || c.closed {
			st.Close()
		} else {
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}

// unix is the storage form of a time.
func unix(t time.Time) int64 { return t.Unix() }

func fromUnix(s int64) time.Time { return time.Unix(s, 0).UTC() }

// isConstraint reports whether err is a SQLite constraint violation (UNIQUE, FOREIGN KEY, …).
func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

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
	if err := fn(); err != nil {
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

// UpdateBatch is group commit: it runs each fn in its own savepoint of one
// write transaction and commits once. Each fn sees its own tx.Now; an error
// rolls back only that fn's work and is returned at its index — unless it is
// a *RollbackThen: then fn's work is rolled back and its Then runs in a new
// savepoint, and Then's result is fn's. If the commit fails, every fn gets
// the error (nothing was stored).
func (db *DB) UpdateBatch(ctx context.Context, fns []func(tx *Tx) error) []error {
	errs := make([]error, len(fns))
	err := db.Update(ctx, func(tx *Tx) error {
		for i, fn := range fns {
			tx.Now = db.Now()
			errs[i] = tx.Savepoint(func() error { return fn(tx) })
			if then, ok := errs[i].(*RollbackThen); ok { // rolled back cleanly
				errs[i] = tx.Savepoint(func() error { return then.Then(tx) })
			}
		}
		return nil
	})
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
	}
	return errs
}
