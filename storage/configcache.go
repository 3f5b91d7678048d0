package storage

import (
	"slices"
	"sync"
)

// configCache keeps rows that only the configuration changes — communities,
// groups, buildings, grids, departments — between write transactions, so a
// message does not read them again and again.
//
// It is used by write transactions only. They run one at a time on the one
// write connection, so the cache always holds committed rows, with two
// exceptions that invalidate it:
//   - a transaction of this process that changes those tables (SyncCommunity,
//     UpdateGroupChat) calls Tx.configChanged: the cache is emptied at once and
//     that transaction bypasses it until it ends, so rows it read before or after
//     its change are never kept (even if it rolls back);
//   - another connection (another process, a test's raw connection) committed
//     something: PRAGMA data_version on the write connection changes, and
//     Update empties the cache before the transaction reads anything.
type configCache struct {
	mu      sync.Mutex
	version int64 // the write connection's data_version when the entries were read
	entries map[rowKey]any
}

func newConfigCache() *configCache { return &configCache{entries: map[rowKey]any{}} }

// sync empties the cache when the database was changed by another connection
// since the last transaction.
// It reports whether it did (the row cache is emptied with it).
func (c *configCache) sync(tx *Tx) (bool, error) {
	var v int64
	if err := tx.queryRow(`PRAGMA data_version`).Scan(&v); err != nil {
		return false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v == c.version {
		return false, nil
	}
	clear(c.entries)
	c.version = v
	return true, nil
}

func (c *configCache) get(key rowKey) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	return v, ok
}

func (c *configCache) put(key rowKey, v any) {
	c.mu.Lock()
	c.entries[key] = v
	c.mu.Unlock()
}

func (c *configCache) reset() {
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}

// configChanged records that this transaction writes configuration tables.
func (tx *Tx) configChanged() {
	if tx.config != nil {
		tx.config.reset()
		tx.configDirty = true
	}
}

// cachedConfig returns the row(s) cached under key, or loads and caches them.
// Callers get their own copy (clone), never the cached value itself. Errors,
// ErrNotFound included, are not cached.
func cachedConfig[T any](tx *Tx, key rowKey, clone func(T) T, load func() (T, error)) (T, error) {
	if tx.config == nil || tx.configDirty {
		return load()
	}
	if v, ok := tx.config.get(key); ok {
		return clone(v.(T)), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	tx.config.put(key, v)
	return clone(v), nil
}

func same[T any](v T) T { return v }

func cloneDepartments(ds []Department) []Department {
	out := slices.Clone(ds)
	for i := range out {
		out[i].Aliases = slices.Clone(out[i].Aliases)
	}
	return out
}

// rowKey is a cached row's key: ids and strings kept apart instead of
// formatted into one string, so that a lookup (a few a message) allocates
// nothing. What each field holds is up to the cache's user (see idKey).
type rowKey struct {
	a, b int64
	s, t string
}

// idKey is the key of a row of kind by its id.
func idKey(kind string, id int64) rowKey { return rowKey{a: id, s: kind} }
