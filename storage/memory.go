package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"modernc.org/sqlite"
)

// Memory bounds what SQLite keeps in memory. Each connection has its own page
// cache and its own prepared statements, both outside the Go heap (modernc's
// allocator), so the resident set grows with connections × cache.
type Memory struct {
	// CacheKiB is the write connection's page cache (default DefaultCacheKiB):
	// the pages of the indexes every message writes stay hot in it.
	CacheKiB int
	// ReadCacheKiB is each read connection's page cache (default
	// DefaultReadCacheKiB): readers run the dispatcher's outbox poll, digests
	// and the web pages, which read little or read once.
	ReadCacheKiB int
	// ReadConns is how many read connections stay open (default
	// DefaultReadConns); more readers wait for one.
	ReadConns int
}

// The defaults keep SQLite's share of a busy Qiao near 11 MB (docs/performance.md).
const (
	DefaultCacheKiB     = 1000
	DefaultReadCacheKiB = 512
	DefaultReadConns    = 2
)

// WithDefaults is m with each zero field set to its default.
func (m Memory) WithDefaults() Memory {
	if m.CacheKiB <= 0 {
		m.CacheKiB = DefaultCacheKiB
	}
	if m.ReadCacheKiB <= 0 {
		m.ReadCacheKiB = DefaultReadCacheKiB
	}
	if m.ReadConns <= 0 {
		m.ReadConns = DefaultReadConns
	}
	return m
}

// cachePragma is the DSN parameter for a page cache of kib KiB (a negative
// cache_size is in KiB, not pages).
func cachePragma(kib int) string {
	return "&_pragma=cache_size(-" + strconv.Itoa(kib) + ")"
}

// All page caches of the process share one budget, the sum of every cache's
// size: modernc's SQLite is built with SQLITE_ENABLE_MEMORY_MANAGEMENT, so
// pcache1 keeps one page group, and a busy cache holds pages up to what the
// idle ones leave unused. Whatever a connection is allowed but does not use
// therefore ends up in the writer's cache (docs/performance.md, "The page
// caches share one budget"). The writer's temp database is in memory
// (writerPragmas), and an in-memory cache adds nothing to the budget.
//
// MaintenanceCacheKiB is the maintenance connection's cache once the
// migrations have run: it only checkpoints and runs PRAGMA optimize, and the
// allowance it does not use would otherwise end up in the writer's cache.
const MaintenanceCacheKiB = 64

// shrinkMaintenanceCache gives the pool's cache back once the migrations no
// longer need it. The pool has one connection, kept open; one opened again
// would take the DSN's larger cache, which costs memory, not correctness.
func shrinkMaintenanceCache(ctx context.Context, write *sql.DB) {
	write.ExecContext(ctx, "PRAGMA cache_size(-"+strconv.Itoa(MaintenanceCacheKiB)+")")
	write.ExecContext(ctx, "PRAGMA shrink_memory")
}

// boundReadPool keeps the read connections open (a connection closed and
// opened again reparses the schema and re-prepares its statements) and no
// more of them than n.
func boundReadPool(read *sql.DB, n int) {
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
}

// MemorySettings is what the connections report back: the page cache of the
// write connection and of a read connection in KiB, the memory-mapped I/O
// size of each, and the read pool's bound.
type MemorySettings struct {
	CacheKiB, ReadCacheKiB int
	MmapSize, ReadMmapSize int64
	ReadConns              int
	// The maintenance connection's page cache (KiB).
	MaintenanceCacheKiB int
}

// MemorySettings reads the settings back from the connections themselves.
func (db *DB) MemorySettings(ctx context.Context) (MemorySettings, error) {
	var s MemorySettings
	read := func(on func(func(*sql.Conn) error) error, cache *int, mmap *int64) error {
		return on(func(conn *sql.Conn) error {
			return readMemory(ctx, conn, cache, mmap)
		})
	}
	if err := read(db.onWriter, &s.CacheKiB, &s.MmapSize); err != nil {
		return s, err
	}
	if err := read(db.onReadConn(ctx), &s.ReadCacheKiB, &s.ReadMmapSize); err != nil {
		return s, err
	}
	s.ReadConns = db.read.Stats().MaxOpenConnections
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return s, err
	}
	defer conn.Close()
	return s, cacheKiB(ctx, conn, &s.MaintenanceCacheKiB)
}

// cacheKiB reads a connection's page cache in KiB.
func cacheKiB(ctx context.Context, conn *sql.Conn, kib *int) error {
	var pages int
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&pages); err != nil {
		return err
	}
	if pages >= 0 {
		return fmt.Errorf("storage: cache_size is %d pages, not a size in KiB", pages)
	}
	*kib = -pages
	return nil
}

// readMemory reads a connection's page cache and mmap sizes.
func readMemory(ctx context.Context, conn *sql.Conn, cache *int, mmap *int64) error {
	if err := cacheKiB(ctx, conn, cache); err != nil {
		return err
	}
	return conn.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(mmap)
}

// onReadConn runs fn on a connection of the read pool.
func (db *DB) onReadConn(ctx context.Context) func(func(*sql.Conn) error) error {
	return func(fn func(*sql.Conn) error) error {
		conn, err := db.read.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return fn(conn)
	}
}

// ReadPoolStats is the read pool's use so far: connections open, waits for
// one, connections closed for want of an idle slot.
func (db *DB) ReadPoolStats() sql.DBStats { return db.read.Stats() }

// ConnMemory is what SQLite accounts to one connection (sqlite3_db_status):
// its page cache, parsed schema and prepared statements, in bytes, and the
// pages it has found in its cache and read from the file since it opened.
type ConnMemory struct{ Cache, Schema, Stmts, Hits, Misses int }

// ConnMemory reads the write connection's and one read connection's
// accounts (the writer's waits for the transaction running on it).
func (db *DB) ConnMemory(ctx context.Context) (write, read ConnMemory, err error) {
	get := func(on func(func(*sql.Conn) error) error, m *ConnMemory) error {
		return on(func(conn *sql.Conn) error { return connStatus(conn, m) })
	}
	if err = get(db.onWriter, &write); err == nil {
		err = get(db.onReadConn(ctx), &read)
	}
	return write, read, err
}

// connStatus reads what SQLite accounts to the connection.
func connStatus(conn *sql.Conn, m *ConnMemory) error {
	return conn.Raw(func(dc any) error {
		st, ok := dc.(sqlite.DBStatus)
		if !ok {
			return fmt.Errorf("storage: the driver has no db_status")
		}
		for _, f := range []struct {
			op  sqlite.DBStatusOp
			dst *int
		}{{sqlite.DBStatusCacheUsed, &m.Cache}, {sqlite.DBStatusSchemaUsed, &m.Schema}, {sqlite.DBStatusStmtUsed, &m.Stmts},
			{sqlite.DBStatusCacheHit, &m.Hits}, {sqlite.DBStatusCacheMiss, &m.Misses}} {
			var err error
			if *f.dst, _, err = st.Status(f.op, false); err != nil {
				return err
			}
		}
		return nil
	})
}
