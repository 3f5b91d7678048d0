package storage

import (
	"context"
	"database/sql"
	"errors"
)

// SetValue stores a named value in this transaction.
func (tx *Tx) SetValue(key, value string) error {
	_, err := tx.exec(`INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, unix(tx.Now))
	return err
}

// Value returns a named value, or ErrNotFound.
func (tx *Tx) Value(key string) (string, error) {
	var v string
	err := tx.queryRow(`SELECT value FROM kv WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return v, err
}

// SetValue stores a named value in a transaction of its own.
func (db *DB) SetValue(ctx context.Context, key, value string) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.SetValue(key, value) })
}

// Value reads a named value, or ErrNotFound.
func (db *DB) Value(ctx context.Context, key string) (string, error) {
	var v string
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		v, err = tx.Value(key)
		return err
	})
	return v, err
}

// DeleteValue forgets a named value (no error when it is not set).
func (tx *Tx) DeleteValue(key string) error {
	_, err := tx.exec(`DELETE FROM kv WHERE key = ?`, key)
	return err
}
