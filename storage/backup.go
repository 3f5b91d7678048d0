package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrCorrupt is returned when a database fails SQLite's integrity check.
type ErrCorrupt struct {
	Path    string
	Problem string // the first lines SQLite reported
}

func (e *ErrCorrupt) Error() string {
	return fmt.Sprintf("storage: database %s is damaged (%s); restore a backup with `qiao restore FILE`", e.Path, e.Problem)
}

// Backup writes a consistent copy of the live database to path with VACUUM INTO:
// one read transaction, so writers keep going and the copy is a single point in
// time, compacted, without a WAL. It refuses to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, path string) error {
	if path == "" {
		return errors.New("storage: backup: empty path")
	}
	// Created empty and private first (VACUUM INTO fills an empty file and
	// keeps its mode): a backup holds everything the database does.
	if err := createPrivate(path); errors.Is(err, os.ErrExist) {
		return fmt.Errorf("storage: backup: %s already exists; choose a new file name", path)
	} else if err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	// The file name is bound as a parameter: VACUUM INTO takes an expression.
	if _, err := db.read.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path) // a half-written copy is no backup; the empty file is ours
		return fmt.Errorf("storage: backup to %s: %w", path, err)
	}
	if err := scrubBackup(ctx, path); err != nil {
		os.Remove(path) // a copy that may link voters to ballots is not kept
		return err
	}
	return nil
}

// QuickCheck runs PRAGMA quick_check (the O(N) structural check; integrity_check
// also verifies indexes against tables) and returns an *ErrCorrupt on damage.
func (db *DB) QuickCheck(ctx context.Context) error {
	return check(ctx, db.write, db.path, "quick_check")
}

// check runs an integrity pragma and turns anything but "ok" into *ErrCorrupt.
func check(ctx context.Context, conn *sql.DB, path, pragma string) error {
	rows, err := conn.QueryContext(ctx, "PRAGMA "+pragma+"(20)")
	if err != nil {
		if isCorruptErr(err) {
			return &ErrCorrupt{Path: path, Problem: err.Error()}
		}
		return fmt.Errorf("storage: %s %s: %w", pragma, path, err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("storage: %s: %w", pragma, err)
		}
		lines = append(lines, s)
	}
	if err := rows.Err(); err != nil {
		return &ErrCorrupt{Path: path, Problem: err.Error()}
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return nil
	}
	return &ErrCorrupt{Path: path, Problem: strings.Join(lines, "; ")}
}

// isCorruptErr reports whether opening or reading failed because the file is
// not a sound SQLite database.
func isCorruptErr(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "malformed") || strings.Contains(msg, "not a database") || strings.Contains(msg, "corrupt")
}

// BackupInfo describes a verified backup file.
type BackupInfo struct {
	Path          string
	SchemaVersion int
	Size          int64
}

// CheckFile checks a database file completely without changing it, as
// VerifyBackup does; `qiao check` runs it on the live database.
func CheckFile(ctx context.Context, path string) (BackupInfo, error) { return VerifyBackup(ctx, path) }

// VerifyBackup opens a database file read-only and checks it completely: PRAGMA
// integrity_check, and a schema version this Qiao knows (an older one is
// migrated when it is opened after the restore).
func VerifyBackup(ctx context.Context, path string) (BackupInfo, error) {
	info := BackupInfo{Path: path}
	st, err := os.Stat(path)
	if err != nil {
		return info, fmt.Errorf("storage: backup: %w", err)
	}
	if !st.Mode().IsRegular() || st.Size() == 0 {
		return info, fmt.Errorf("storage: backup %s is empty or not a file", path)
	}
	info.Size = st.Size()
	q := url.Values{}
	q.Set("mode", "ro")
	conn, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return info, fmt.Errorf("storage: open backup %s: %w", path, err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if err := check(ctx, conn, path, "integrity_check"); err != nil {
		return info, err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.SchemaVersion); err != nil {
		return info, fmt.Errorf("storage: backup %s: schema version: %w", path, err)
	}
	migs, err := loadMigrations(mustSub(migrationFiles, "migrations"))
	if err != nil {
		return info, err
	}
	switch {
	case info.SchemaVersion == 0:
		return info, fmt.Errorf("storage: %s is not a Qiao database (schema version 0)", path)
	case info.SchemaVersion > len(migs):
		return info, &ErrTooNew{Have: info.SchemaVersion, Know: len(migs)}
	}
	return info, nil
}

// Restore verifies the backup at from and puts a copy of it in place of the
// database at to. The database it replaces (with its -wal and -shm files) is
// renamed to to+".before-restore-<time>", which it returns ("" if there was
// none). The bot must not be running on to meanwhile.
func Restore(ctx context.Context, from, to string, now time.Time) (aside string, err error) {
	if _, err := VerifyBackup(ctx, from); err != nil {
		return "", err
	}
	absFrom, _ := filepath.Abs(from)
	absTo, _ := filepath.Abs(to)
	if absFrom == absTo {
		return "", fmt.Errorf("storage: restore: %s is the database itself", from)
	}
	// Copy next to the target first, so the final step is one rename on one file system.
	tmp, err := os.CreateTemp(filepath.Dir(absTo), filepath.Base(absTo)+".restore-*")
	if err != nil {
		return "", fmt.Errorf("storage: restore: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := copyFile(tmp, from); err != nil {
		return "", fmt.Errorf("storage: restore: %w", err)
	}
	if _, err := os.Stat(absTo); err == nil {
		aside = absTo + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		if err := os.Rename(absTo, aside); err != nil {
			return "", fmt.Errorf("storage: restore: keep old database: %w", err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if err := os.Rename(absTo+suffix, aside+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return aside, fmt.Errorf("storage: restore: keep old database: %w", err)
			}
		}
	}
	if err := os.Rename(tmp.Name(), absTo); err != nil {
		return aside, fmt.Errorf("storage: restore: %w", err)
	}
	return aside, nil
}

func copyFile(dst *os.File, from string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
