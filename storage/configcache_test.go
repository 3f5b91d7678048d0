package storage_test

import (
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestConfigCacheInvalidation checks that cached configuration rows never
// outlive a change: by config sync, by a chat move (also one rolled back), and
// by another connection's commit.
func TestConfigCacheInvalidation(t *testing.T) {
	db := MustOpen(t)
	cid := mustSync(t, db, demo())
	look := func(chat string) (storage.Group, error) {
		var g storage.Group
		err := db.Update(ctx, func(tx *storage.Tx) error {
			var err error
			g, err = tx.FindGroupByChat("console", chat)
			return err
		})
		return g, err
	}
	groupNames := func() []string {
		var names []string
		if err := db.Update(ctx, func(tx *storage.Tx) error {
			gs, err := tx.Groups(cid)
			for _, g := range gs {
				names = append(names, g.Name)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return names
	}
	g, err := look("3栋居民群")
	if err != nil {
		t.Fatal(err)
	}
	if n, want := len(groupNames()), len(demo().Groups); n != want {
		t.Fatalf("groups: %d, want %d", n, want)
	}

	// A move rolled back leaves the group where it was.
	errRollback := errors.New("rollback")
	if err := db.Update(ctx, func(tx *storage.Tx) error {
		if err := tx.UpdateGroupChat(g.ID, "moved"); err != nil {
			return err
		}
		if got, err := tx.FindGroupByChat("console", "moved"); err != nil || got.ID != g.ID {
			t.Errorf("inside the moving transaction: %+v, %v", got, err)
		}
		return errRollback
	}); !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	if _, err := look("3栋居民群"); err != nil {
		t.Fatalf("after a rolled-back move: %v", err)
	}
	if _, err := look("moved"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("rolled-back chat found: %v", err)
	}

	// A committed move is seen at once.
	if err := db.Update(ctx, func(tx *storage.Tx) error { return tx.UpdateGroupChat(g.ID, "moved") }); err != nil {
		t.Fatal(err)
	}
	if _, err := look("3栋居民群"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("old chat still found after the move: %v", err)
	}
	if got, err := look("moved"); err != nil || got.ID != g.ID {
		t.Fatalf("moved chat: %+v, %v", got, err)
	}

	// A config sync that drops a group deactivates it for the next lookup.
	spec := demo()
	spec.Groups = slices.DeleteFunc(spec.Groups, func(g storage.GroupSpec) bool { return g.Key == "b3" })
	mustSync(t, db, spec)
	if _, err := look("moved"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("dropped group still found: %v", err)
	}
	if n, want := len(groupNames()), len(spec.Groups); n != want {
		t.Fatalf("groups after sync: %d, want %d", n, want)
	}

	// Another connection's commit (another process) is noticed too.
	raw, err := sql.Open("sqlite", storage.DSN(db.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE groups SET name = '工作群（新）' WHERE key = 'staff'`); err != nil {
		t.Fatal(err)
	}
	if got, err := look("社区工作群"); err != nil || got.Name != "工作群（新）" {
		t.Fatalf("after another connection's rename: %+v, %v", got, err)
	}
	names := groupNames()
	if len(names) != len(spec.Groups) || !slices.Contains(names, "工作群（新）") {
		t.Fatalf("groups after another connection's rename: %v", names)
	}

	// Callers get copies: changing a result does not change the cache.
	if err := db.Update(ctx, func(tx *storage.Tx) error {
		gs, err := tx.Groups(cid)
		gs[0].Name = "changed"
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if after := groupNames(); !slices.Equal(after, names) {
		t.Fatalf("a caller changed the cache: %v, was %v", after, names)
	}
}
