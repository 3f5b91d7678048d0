package storage

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// ErrTooNew is returned when the database was written by a newer Qiao.
type ErrTooNew struct{ Have, Know int }

func (e *ErrTooNew) Error() string {
	return fmt.Sprintf("storage: database schema version %d is newer than this Qiao knows (%d); run a newer Qiao or restore a backup", e.Have, e.Know)
}

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads NNNN_name.sql files; versions must be 1..n without gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for i, name := range names {
		prefix, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil {
			return nil, fmt.Errorf("storage: migration %s: name must start with a number and _", name)
		}
		if v != i+1 {
			return nil, fmt.Errorf("storage: migration %s: expected version %d", name, i+1)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	return out, nil
}

// migrate brings the schema up to date, one transaction per migration, and records
// the version in PRAGMA user_version.
func (db *DB) migrate(ctx context.Context, fsys fs.FS) error {
	migs, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	var have int
	if err := db.write.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("storage: read schema version: %w", err)
	}
	if have > len(migs) {
		return &ErrTooNew{Have: have, Know: len(migs)}
	}
	for _, m := range migs[have:] {
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
		// PRAGMA takes no placeholders; the version is our own integer.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// SchemaVersion is the database's migration version.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// LatestVersion is the schema version the embedded migrations reach.
func LatestVersion() int {
	migs, err := loadMigrations(mustSub(migrationFiles, "migrations"))
	if err != nil {
		panic(err)
	}
	return len(migs)
}

// CountRows counts a table's rows (tests, diagnostics). The table name must be
// one of the schema's own: it is checked, not interpolated blindly.
func (db *DB) CountRows(ctx context.Context, table string) (int, error) {
	var exists int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&exists); err != nil {
		return 0, err
	}
	if exists == 0 {
		return 0, fmt.Errorf("storage: no table %q", table)
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+table+`"`).Scan(&n)
	return n, err
}
