package storage

import (
	"context"
	"database/sql"
)

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
