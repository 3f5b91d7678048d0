package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestWriterQueryRowScansAsDatabaseSQL: a single-row query on the writer, run
// below database/sql, leaves every destination Qiao scans into (and some it
// does not) as database/sql's Row.Scan leaves it, with the same error: every
// kind of column value, NULLs, values of another type, no row, a wrong number
// of destinations, a Scanner that refuses.
func TestWriterQueryRowScansAsDatabaseSQL(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	values := []string{`42`, `-7`, `0`, `1`, `2`, `2.5`, `'文本'`, `'12'`, `'true'`, `''`, `x'6869'`, `NULL`}
	dests := map[string]func() any{
		"int64": func() any { return new(int64) }, "int": func() any { return new(int) },
		"string": func() any { return new(string) }, "bool": func() any { return new(bool) },
		"float64": func() any { return new(float64) }, "NullString": func() any { return new(sql.NullString) },
		"NullInt64": func() any { return new(sql.NullInt64) }, "NullBool": func() any { return new(sql.NullBool) },
		"bytes": func() any { return new([]byte) }, "any": func() any { return new(any) },
		"time": func() any { return new(time.Time) }, "refusing": func() any { return new(refusingScanner) },
	}
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`CREATE TABLE v (id INTEGER PRIMARY KEY, x)`); err != nil {
			return err
		}
		for i, v := range values {
			if _, err := tx.exec(fmt.Sprintf(`INSERT INTO v (id, x) VALUES (%d, %s)`, i, v)); err != nil {
				return err
			}
		}
		same := func(what, query string, args []any, make ...func() any) {
			t.Helper()
			direct, viaSQL := make2(make), make2(make)
			derr := tx.queryRow(query, args...).Scan(direct...)
			serr := tx.run.QueryRowContext(ctx, query, args...).Scan(viaSQL...)
			if fmt.Sprint(derr) != fmt.Sprint(serr) || !reflect.DeepEqual(direct, viaSQL) {
				t.Errorf("%s: below database/sql %s, %v; through it %s, %v", what, show(direct), derr, show(viaSQL), serr)
			}
		}
		for i, v := range values {
			for name, d := range dests {
				same(v+" into "+name, `SELECT x FROM v WHERE id = ?`, []any{i}, d)
			}
		}
		same("no row", `SELECT x FROM v WHERE id = ?`, []any{-1}, dests["int64"])
		same("two columns, one destination", `SELECT id, x FROM v WHERE id = 0`, nil, dests["int64"])
		same("two columns", `SELECT x, id FROM v WHERE id = 6`, nil, dests["string"], dests["int"])
		same("an argument no driver takes", `SELECT x FROM v WHERE id = ?`, []any{struct{}{}}, dests["int64"])
		same("a named argument", `SELECT x FROM v WHERE id = :id`, []any{sql.Named("id", 0)}, dests["int64"])
		same("a query that does not prepare", `SELECT nothing FROM nowhere`, nil, dests["int64"])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestWriterQueryRowAllocatesLess: the point of it — a lookup by id on the
// writer allocates less below database/sql than through it.
func TestWriterQueryRowAllocatesLess(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`CREATE TABLE v (id INTEGER PRIMARY KEY, x TEXT)`); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO v (id, x) VALUES (1, 'x')`); err != nil {
			return err
		}
		var id int64
		var x string
		const q = `SELECT id, x FROM v WHERE id = ?`
		direct := testing.AllocsPerRun(50, func() { tx.queryRow(q, 1).Scan(&id, &x) })
		st := tx.writer.stmt(ctx, q)
		viaSQL := testing.AllocsPerRun(50, func() { st.QueryRowContext(ctx, 1).Scan(&id, &x) })
		t.Logf("a lookup: %.0f allocations below database/sql, %.0f through it", direct, viaSQL)
		if direct >= viaSQL {
			t.Errorf("a lookup allocates %.0f times below database/sql, %.0f through it", direct, viaSQL)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// refusingScanner refuses every value, as a Scanner may.
type refusingScanner struct{ got any }

func (s *refusingScanner) Scan(v any) error {
	s.got = v
	return fmt.Errorf("refused %T", v)
}

func make2(makers []func() any) []any {
	out := make([]any, len(makers))
	for i, m := range makers {
		out[i] = m()
	}
	return out
}

func show(dest []any) string {
	s := ""
	for _, d := range dest {
		s += fmt.Sprintf("%#v ", reflect.ValueOf(d).Elem().Interface())
	}
	return s
}
