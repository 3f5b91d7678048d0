package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriterExecConvertsArgumentsAsDatabaseSQL: the writer's writes, run
// below database/sql, store every kind of argument Qiao passes as
// database/sql stores it (the same row, read back), and refuse the same.
func TestWriterExecConvertsArgumentsAsDatabaseSQL(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type level int
	args := []any{int64(1 << 40), 7, int32(-3), level(2), true, nil, "文本", []byte("b"), 2.5,
		sql.NullString{String: "x", Valid: true}, sql.NullString{}, sql.NullInt64{Int64: 9, Valid: true}, sql.NullInt64{}}
	cols := make([]string, len(args))
	for i := range cols {
		cols[i] = "c" + string(rune('a'+i))
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(args)+1), ", ")
	insert := `INSERT INTO t (way, ` + strings.Join(cols, ", ") + `) VALUES (` + marks + `)`
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`CREATE TABLE t (way TEXT, ` + strings.Join(cols, ", ") + `)`); err != nil {
			return err
		}
		if _, err := tx.exec(insert, append([]any{"direct"}, args...)...); err != nil { // below database/sql
			return err
		}
		_, err := tx.run.ExecContext(ctx, insert, append([]any{"sql"}, args...)...) // through it
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(way string) string {
		var out string
		q := `SELECT ` + strings.Join(func() []string {
			var s []string
			for _, c := range cols {
				s = append(s, `typeof(`+c+`) || ':' || quote(`+c+`)`)
			}
			return s
		}(), ` || '|' || `) + ` FROM t WHERE way = ?`
		if err := db.read.QueryRowContext(ctx, q, way).Scan(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if direct, viaSQL := read("direct"), read("sql"); direct != viaSQL {
		t.Fatalf("stored below database/sql:\n%s\nthrough it:\n%s", direct, viaSQL)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, direct := tx.exec(`INSERT INTO t (way) VALUES (?)`, struct{}{})
		_, viaSQL := tx.run.ExecContext(ctx, `INSERT INTO t (way) VALUES (?)`, struct{}{})
		if direct == nil || viaSQL == nil || direct.Error() != viaSQL.Error() {
			t.Errorf("an argument no driver takes: %v below database/sql, %v through it", direct, viaSQL)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
