package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// Rows a write transaction's query left open fail the transaction in tests,
// naming the query: nothing of it is stored, and the writer goes on.
func TestRowsLeftOpenFailTheWriteTransaction(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const leaked = `SELECT key FROM communities`
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`INSERT INTO communities (key, name, timezone, lang) VALUES ('a', 'A', 'Asia/Shanghai', 'zh-CN'), ('b', 'B', 'Asia/Shanghai', 'zh-CN')`); err != nil {
			return err
		}
		rows, err := tx.query(leaked)
		if err != nil {
			return err
		}
		rows.Next() // one row of two read, then forgotten
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), leaked) {
		t.Fatalf("a write transaction leaving rows open: %v, want an error naming %q", err, leaked)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(`SELECT count(*) FROM communities`).Scan(&n); err != nil || n != 0 {
			t.Errorf("after the failed transaction: %d communities (%v), want none", n, err)
		}
		rows, err := tx.query(`SELECT key FROM communities`) // read to the end: closed by database/sql
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		return rows.Err()
	})
	if err != nil {
		t.Errorf("the next transaction, its rows read to the end: %v", err)
	}
}
