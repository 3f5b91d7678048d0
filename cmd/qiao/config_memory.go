package main

import (
	"os"
	"runtime/debug"

	"github.com/qiao-community/qiao/storage"
)

// MemoryConfig bounds Qiao's resident memory (docs/performance.md, "Memory").
// Zero fields take the defaults.
type MemoryConfig struct {
	// GoLimitMB is the Go runtime's soft memory limit in MiB
	// (debug.SetMemoryLimit): near it the collector runs more often. It does
	// not cover SQLite's page caches. -1 sets none; GOMEMLIMIT in the
	// environment wins over both.
	GoLimitMB int `yaml:"go_limit_mb"`
	// SQLiteCacheKB is the write connection's page cache in KiB.
	SQLiteCacheKB int `yaml:"sqlite_cache_kb"`
	// SQLiteReadCacheKB is each read connection's page cache in KiB.
	SQLiteReadCacheKB int `yaml:"sqlite_read_cache_kb"`
	// ReadConnections is how many read connections the database keeps.
	ReadConnections int `yaml:"read_connections"`
}

// DefaultGoLimitMB keeps the Go heap of a busy Qiao, with SQLite's caches and
// the binary's pages beside it, under 64 MB of resident memory.
const DefaultGoLimitMB = 28

func (m *MemoryConfig) fillDefaults() {
	if m.GoLimitMB == 0 {
		m.GoLimitMB = DefaultGoLimitMB
	}
	// Zero only: a negative value is left for Validate to refuse.
	d := storage.Memory{}.WithDefaults()
	fill := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&m.SQLiteCacheKB, d.CacheKiB)
	fill(&m.SQLiteReadCacheKB, d.ReadCacheKiB)
	fill(&m.ReadConnections, d.ReadConns)
}

// Validate reports out-of-range settings under prefix.
func (m MemoryConfig) Validate(prefix string) configErrors {
	var errs configErrors
	if m.GoLimitMB != -1 && (m.GoLimitMB < 16 || m.GoLimitMB > 1<<20) {
		errs.add(prefix+".go_limit_mb", "must be between 16 and 1048576 MiB, or -1 for no limit, not %d", m.GoLimitMB)
	}
	if m.SQLiteCacheKB < 64 || m.SQLiteCacheKB > 1<<20 {
		errs.add(prefix+".sqlite_cache_kb", "must be between 64 and 1048576 KiB, not %d", m.SQLiteCacheKB)
	}
	if m.SQLiteReadCacheKB < 64 || m.SQLiteReadCacheKB > 1<<20 {
		errs.add(prefix+".sqlite_read_cache_kb", "must be between 64 and 1048576 KiB, not %d", m.SQLiteReadCacheKB)
	}
	if m.ReadConnections < 1 || m.ReadConnections > 64 {
		errs.add(prefix+".read_connections", "must be between 1 and 64, not %d", m.ReadConnections)
	}
	return errs
}

// Storage is the database's share of these settings.
func (m MemoryConfig) Storage() storage.Memory {
	return storage.Memory{CacheKiB: m.SQLiteCacheKB, ReadCacheKiB: m.SQLiteReadCacheKB, ReadConns: m.ReadConnections}
}

// applyGoLimit sets the Go runtime's soft memory limit for the whole process
// (qiao run and qiao bench; not NewApp, which tests call many times at once)
// and returns it in bytes (-1: none). GOMEMLIMIT, when set, is left alone.
func (m MemoryConfig) applyGoLimit() int64 {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		return debug.SetMemoryLimit(-1) // reads the current limit
	}
	if m.GoLimitMB <= 0 {
		return -1
	}
	limit := int64(m.GoLimitMB) << 20
	debug.SetMemoryLimit(limit)
	return limit
}
