package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
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
	path string
	// write is the maintenance pool (migrations, checkpoints, PRAGMA
	// optimize, integrity checks); write transactions run on writer.
	write  *sql.DB
	writer *writeConn
	read   *sql.DB
	// Prepared statements of the read pool: parsing SQL was most of a
	// message's cost (the writer keeps its own, see writeConn).
	readStmts *stmtCache
	// Configuration rows kept between write transactions (see configCache).
	config *configCache
	// Rows messages read again and again (see rowCache).
	rows *rowCache
	// The writer does not checkpoint the WAL itself (an fsync in the middle of
	// a message's commit); every checkpointEvery commits, a goroutine does, on a
	// read connection, without blocking the writer. Once the log is past a
	// part of walLimit, the writer asks that goroutine to restart it (restart).
	commits    atomic.Int64
	checkpoint chan struct{}
	restart    chan struct{}
	// restartAfter is the commit from which the writer asks for a restart again.
	restartAfter atomic.Int64
	stop         chan struct{}
	stopped      sync.WaitGroup
	// The WAL is kept under walLimit (see afterCommit).
	walLimit int64
	// gate is held by each write transaction, and by the checkpointer for the
	// last short pass of a restart, which needs no commit to land meanwhile.
	// Lock order: gate, then checkpointing.
	gate       sync.Mutex
	restarting atomic.Bool // the checkpointer holds the gate
	// checkpointing is held by whoever runs a checkpoint in this process.
	checkpointing sync.Mutex
	shm           atomic.Pointer[os.File] // the wal-index, read for the log's size (see walFrames)
	// file is the database file, opened once to flush it (see flushFile);
	// never closed before the pools, or the process would lose SQLite's locks.
	file        *os.File
	stats       writeStats
	optimized   time.Time // the last PRAGMA optimize (checkpointer goroutine only)
	tracer      atomic.Pointer[Tracer]
	writerBusy  atomic.Int64 // nanoseconds write transactions held the connection (see WriterBusy)
	lastLogSize int64        // the log's size after the last commit (writer only; see noteCommitSize)
	// walFileHigh is the WAL file's size as the writer knows it (writer only;
	// see walNearLimitAfter).
	walFileHigh int64
	// Deliveries the next write transaction records (see MarkSentBatch).
	marks deliveryMarks
	// trigramPending counts committed requests not yet in the trigram index;
	// at trigramBatch the writer indexes them (see indexTrigramsIfDue), unless
	// the background pass is catching up with a long tail Open found. Writer
	// only (under the gate).
	trigramPending, trigramBatch int
	trigramCatchingUp            bool
	trigramStatus                TrigramStatus
	trigramsCaughtUp             chan struct{}
	trigramPassErr               error // set before trigramsCaughtUp is closed

	// Now stamps transactions; tests and the console replace it with a virtual clock.
	Now func() time.Time
}

// Open opens (creating if needed) the database at path and applies the embedded
// migrations. A database written by a newer Qiao is refused.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWithOptions(ctx, path, Options{})
}

// OpenWithMigrations is Open with another set of migrations; tests use it to
// check upgrades from older schemas.
func OpenWithMigrations(ctx context.Context, path string, migrations fs.FS) (*DB, error) {
	return OpenWithOptions(ctx, path, Options{Migrations: migrations})
}

// Options tune Open; the zero value is Qiao's default.
type Options struct {
	// WALLimit is the size in bytes the write-ahead log stays under: the
	// writer truncates it once it comes within an eighth of the limit
	// (default DefaultWALLimit).
	WALLimit int64
	// Migrations replace the embedded migrations (tests of upgrades).
	Migrations fs.FS
	// Memory bounds SQLite's page caches and read connections (see Memory).
	Memory Memory
	// TrigramBatch is how many new requests are added to the trigram index
	// together (default DefaultTrigramBatch; 1 indexes every commit's).
	TrigramBatch int
}

// DefaultWALLimit bounds the write-ahead log: under sustained writes the
// background checkpoint never reaches the end of the log, so without a limit
// the file grows by gigabytes.
const DefaultWALLimit = 64 << 20

// OpenWithOptions is Open with options.
func OpenWithOptions(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("storage: empty database path")
	}
	if err := guardedIfTest(); err != nil {
		return nil, err
	}
	if opts.WALLimit <= 0 {
		opts.WALLimit = DefaultWALLimit
	}
	if opts.TrigramBatch <= 0 {
		opts.TrigramBatch = DefaultTrigramBatch
	}
	opts.TrigramBatch = min(opts.TrigramBatch, TrigramTailSearched)
	if opts.Migrations == nil {
		opts.Migrations = mustSub(migrationFiles, "migrations")
	}
	// Decided before anything opens the file: a clean Close removes the WAL.
	unclean := walLeftBehind(path)
	if err := restrictDatabaseFiles(path); err != nil {
		return nil, err
	}
	dsn, mem := dsn(path, opts.WALLimit), opts.Memory.WithDefaults()

	writeDSN := dsn + maintenancePragmas(mem.CacheKiB)
	write, err := sql.Open("sqlite", writeDSN)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn+cachePragma(mem.ReadCacheKiB))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	boundReadPool(read, mem.ReadConns)

	db := &DB{path: path, write: write, read: read, Now: time.Now, walLimit: opts.WALLimit,
		trigramBatch: opts.TrigramBatch,
		readStmts:    newStmtCache(read), config: newConfigCache(), rows: newRowCache()}
	db.marks.changed = sync.NewCond(&db.marks.mu)
	// The full-file check reads every page (about 2 s a gigabyte), so Open runs
	// it only when the last process did not close the database; `qiao check`
	// runs the full one on demand.
	if unclean {
		if err := db.QuickCheck(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := db.migrate(ctx, opts.Migrations); err != nil {
		db.Close()
		return nil, corruptOr(path, err)
	}
	// A log left large (by the migrations, or by an older Qiao) starts bounded.
	if size := db.walSize(); db.walNearLimit(size) {
		db.truncateWAL(ctx, size)
	}
	db.walFileHigh = db.walSize()
	db.optimize(ctx)
	if db.file, err = os.Open(path); err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	if db.writer, err = openWriteConn(ctx, dsn+writerPragmas(mem.CacheKiB)); err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	// Requests the last process committed but did not index: one batch now,
	// the rest in the background. Through Update, so after the writer's
	// connection is open.
	if err := db.indexTrigramsAtOpen(ctx); err != nil {
		db.Close()
		return nil, corruptOr(path, err)
	}
	// The maintenance connection is idle from now on but for checkpoints:
	// the pages the migrations and the optimize cached are given back, and
	// its allowance with them (it would end up in the writer's cache).
	shrinkMaintenanceCache(ctx, db.write)
	db.checkpoint, db.restart, db.stop = make(chan struct{}, 1), make(chan struct{}, 1), make(chan struct{})
	db.stopped.Add(1)
	go db.checkpointer()
	if db.trigramStatus.Background {
		db.stopped.Add(1)
		go db.catchUpTrigrams(db.stop)
	}
	return db, nil
}

// DSN is the driver data source name Qiao opens path with: its pragmas (WAL,
// synchronous NORMAL, foreign keys, busy timeout, the WAL size limit) and
// immediate write transactions. qiao bench opens its bare SQLite baseline with it too.
func DSN(path string) string { return dsn(path, DefaultWALLimit) }

func dsn(path string, walLimit int64) string {
	// foreign_keys and busy_timeout are per connection, so they belong in the DSN.
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "secure_delete(1)") // deleted secrets are zeroed, not left in free pages (docs/security-ballots.md)
	// Whenever the log is reset, the file keeps at most this much.
	q.Add("_pragma", "journal_size_limit("+strconv.FormatInt(walLimit, 10)+")")
	// PRAGMA optimize samples this many rows an index instead of reading them all.
	q.Add("_pragma", "analysis_limit(400)")
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
	db.readStmts.close()
	var werr error
	if db.writer != nil {
		werr = db.writer.close()
	}
	err := errors.Join(werr, db.read.Close(), db.write.Close())
	// After the connections: closing any descriptor of a file drops the
	// process's POSIX locks on it, SQLite's included.
	if f := db.shm.Load(); f != nil {
		f.Close()
	}
	if db.file != nil {
		db.file.Close()
	}
	return err
}

// Update runs fn in a write transaction and commits if fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	db.marks.begin()        // before the gate: a writer waiting there counts as writing
	var marks []pendingMark // committed deliveries (see MarkSentBatch)
	defer func() { db.marks.end(marks) }()
	db.passGate()
	defer db.gate.Unlock()
	w := db.writer
	// From before BEGIN, as the ideal replay's time counts it (BEGIN IMMEDIATE
	// takes the wal-index's locks: ~13 µs a transaction).
	defer db.noteBusy(time.Now())
	if _, err := w.begin.ExecContext(ctx); err != nil {
		w.end(ctx) // a BEGIN cut short by ctx may have begun
		return fmt.Errorf("storage: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed { // fn failed or panicked, or COMMIT did not end the transaction
			w.end(ctx)
		}
	}()
	tx := &Tx{run: w.conn, writer: w, ctx: ctx, Now: db.Now(), config: db.config, rows: db.rows, trace: db.tracer.Load()}
	tx.traceBegin()
	began := time.Now()
	changed, err := db.config.sync(tx)
	if err != nil {
		return fmt.Errorf("storage: data version: %w", err)
	}
	if changed {
		db.rows.reset()
	}
	if err := fn(tx); err != nil {
		return err
	}
	taken, err := db.applyMarks(tx)
	if err == nil {
		err = db.indexTrigramsIfDue(tx) // last: no statement savepoint after it
	}
	if err == nil {
		err = tx.rowsLeftOpen()
	}
	if err != nil {
		db.marks.giveBack(taken)
		return err
	}
	tx.traceCommit() // while the connection is held, so in commit order
	traceStep(tx.trace, StepTransaction, began)
	committing := time.Now()
	if _, err := w.commit.ExecContext(ctx); err != nil {
		db.marks.giveBack(taken)
		return fmt.Errorf("storage: commit: %w", err)
	}
	committed = true
	traceStep(tx.trace, StepCommit, committing)
	marks = taken
	db.noteIndexed(tx)
	tx.commitStaged()
	if tx.batched > 0 {
		db.stats.batches.Add(1)
		db.stats.batched.Add(int64(tx.batched))
	}
	db.afterCommit(ctx)
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
	return fn(&Tx{run: sqlTx, tx: sqlTx, ctx: ctx, stmts: db.readStmts, Now: db.Now(), trace: db.tracer.Load()})
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
