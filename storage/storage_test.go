package storage_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

var ctx = context.Background()

// MustOpen opens a fresh database in t.TempDir(), its clock stopped.
func MustOpen(tb testing.TB) *storage.DB {
	tb.Helper()
	db := storagetest.Open(tb)
	db.Now = func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) }
	return db
}

// demo is the shared test community.
func demo() storage.CommunitySpec { return storagetest.Community() }

func mustSync(t *testing.T, db *storage.DB, spec storage.CommunitySpec) int64 {
	t.Helper()
	return storagetest.Sync(t, db, spec)
}

func count(t *testing.T, db *storage.DB, table string) int {
	t.Helper()
	n, err := db.CountRows(ctx, table)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMigrateFromEmpty(t *testing.T) {
	db := MustOpen(t)
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := storage.LatestVersion(); v != want || want < 1 {
		t.Fatalf("schema version = %d, want %d", v, want)
	}
	// Every table the model needs exists and is empty.
	for _, table := range []string{"communities", "groups", "people", "roles", "outbox", "inbound", "requests", "polls", "kv"} {
		if n := count(t, db, table); n != 0 {
			t.Errorf("%s has %d rows, want 0", table, n)
		}
	}
}

func TestMigrateUpgradesOldDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	v1 := fstest.MapFS{"0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (42);")}}
	db, err := storage.OpenWithMigrations(ctx, path, v1)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	v2 := fstest.MapFS{
		"0001_a.sql": v1["0001_a.sql"],
		"0002_b.sql": {Data: []byte("ALTER TABLE a ADD COLUMN y TEXT NOT NULL DEFAULT 'new';")},
	}
	db, err = storage.OpenWithMigrations(ctx, path, v2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(ctx); v != 2 {
		t.Fatalf("version = %d, want 2", v)
	}
	if got := count(t, db, "a"); got != 1 {
		t.Fatalf("rows after upgrade = %d, want the old row kept", got)
	}
}

func TestMigrateFromPreviousRealVersion(t *testing.T) {
	// A database at the previous shipped version upgrades to the latest.
	latest := storage.LatestVersion()
	if latest < 2 {
		t.Skip("only one migration has shipped")
	}
	path := filepath.Join(t.TempDir(), "prev.db")
	db, err := storage.OpenWithMigrations(ctx, path, storage.MigrationsUpTo(latest-1, 0))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(ctx); v != latest {
		t.Fatalf("version = %d, want %d", v, latest)
	}
}

func TestNewerDatabaseRefused(t *testing.T) {
	// A database written by a Qiao that knows one more migration than this one.
	path := filepath.Join(t.TempDir(), "new.db")
	latest := storage.LatestVersion()
	db, err := storage.OpenWithMigrations(ctx, path, storage.MigrationsUpTo(latest, 1))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = storage.Open(ctx, path)
	var tooNew *storage.ErrTooNew
	if !errors.As(err, &tooNew) {
		t.Fatalf("err = %v, want ErrTooNew", err)
	}
	if tooNew.Have != latest+1 || tooNew.Know != latest {
		t.Errorf("ErrTooNew = %+v", tooNew)
	}
}

func TestBadMigrationNamesRefused(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"gap":       {"0001_a.sql": {Data: []byte("SELECT 1;")}, "0003_c.sql": {Data: []byte("SELECT 1;")}},
		"no number": {"init.sql": {Data: []byte("SELECT 1;")}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := storage.OpenWithMigrations(ctx, filepath.Join(t.TempDir(), "x.db"), fsys); err == nil {
				t.Fatal("opened with bad migrations")
			}
		})
	}
}

func TestSyncIsIdempotent(t *testing.T) {
	db := MustOpen(t)
	id1 := mustSync(t, db, demo())
	before := map[string]int{}
	tables := []string{"communities", "grids", "buildings", "departments", "groups", "people", "roles"}
	for _, table := range tables {
		before[table] = count(t, db, table)
	}
	id2 := mustSync(t, db, demo())
	if id1 != id2 {
		t.Fatalf("community id changed: %d → %d", id1, id2)
	}
	for _, table := range tables {
		if got := count(t, db, table); got != before[table] {
			t.Errorf("%s: %d rows after second sync, want %d", table, got, before[table])
		}
	}
}

func TestSyncDeactivatesRemovedGroupsAndUpdatesRoles(t *testing.T) {
	db := MustOpen(t)
	spec := demo()
	cid := mustSync(t, db, spec)
	spec.Groups = slices.DeleteFunc(spec.Groups, func(g storage.GroupSpec) bool { return g.Key == "wuye" }) // the department group goes
	for i := range spec.People {
		if spec.People[i].Key == "zhang" {
			spec.People[i].Roles = []storage.Role{{Role: "grid_worker", Scope: "g1"}} // 张 changes role
		}
	}
	mustSync(t, db, spec)
	db.View(ctx, func(tx *storage.Tx) error {
		if _, err := tx.FindGroupByChat("console", "物业服务群"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("removed group still found: %v", err)
		}
		p, err := tx.FindPersonByUser(cid, "console", "张楼长")
		if err != nil {
			t.Fatal(err)
		}
		if p.Has("captain", "b3") || !p.Has("grid_worker", "g1") {
			t.Errorf("roles = %+v, want only grid_worker:g1", p.Roles)
		}
		return nil
	})
}

func TestGroupResolvesBuildingAndGrid(t *testing.T) {
	db := MustOpen(t)
	mustSync(t, db, demo())
	db.View(ctx, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat("console", "3栋居民群")
		if err != nil {
			t.Fatal(err)
		}
		if g.Building != "b3" || g.Grid != "g1" || g.Kind != "building" || g.BuildingID == 0 {
			t.Errorf("group = %+v", g)
		}
		return nil
	})
}

func TestResolvePersonCreatesResidentOnce(t *testing.T) {
	db := MustOpen(t)
	cid := mustSync(t, db, demo())
	var first, second storage.Person
	db.Update(ctx, func(tx *storage.Tx) error {
		var err error
		first, err = tx.ResolvePerson(cid, "console", "u1", "居民甲")
		return err
	})
	db.Update(ctx, func(tx *storage.Tx) error {
		var err error
		second, err = tx.ResolvePerson(cid, "console", "u1", "居民甲（改名）")
		return err
	})
	if first.ID == 0 || first.ID != second.ID {
		t.Fatalf("ids %d, %d: want one person", first.ID, second.ID)
	}
	if second.Name != "居民甲（改名）" || !second.Has("resident", "") {
		t.Errorf("person = %+v", second)
	}
}

func TestInboundDedupe(t *testing.T) {
	db := MustOpen(t)
	var fresh [2]bool
	for i := range fresh {
		db.Update(ctx, func(tx *storage.Tx) error {
			var err error
			fresh[i], err = tx.MarkInbound("telegram", "-100", "7")
			return err
		})
	}
	if !fresh[0] || fresh[1] {
		t.Fatalf("fresh = %v, want [true false]", fresh)
	}
}

func TestEnqueueDedupeKey(t *testing.T) {
	db := MustOpen(t)
	msg := storage.OutboxMessage{Platform: "console", ChatKey: "社区工作群", Text: "日报", DedupeKey: "digest:2026-12-01"}
	for i, want := range []error{nil, storage.ErrDuplicate} {
		err := db.Update(ctx, func(tx *storage.Tx) error {
			_, err := tx.Enqueue(msg)
			return err
		})
		if !errors.Is(err, want) {
			t.Fatalf("enqueue %d: err = %v, want %v", i, err, want)
		}
	}
	if n := count(t, db, "outbox"); n != 1 {
		t.Fatalf("outbox rows = %d, want 1", n)
	}
}

func TestOutboxLifecycle(t *testing.T) {
	db := MustOpen(t)
	now := db.Now()
	db.Update(ctx, func(tx *storage.Tx) error {
		tx.Enqueue(storage.OutboxMessage{Platform: "telegram", ChatKey: "-1", Text: "tally", Ref: "poll:1"})
		tx.Enqueue(storage.OutboxMessage{Platform: "telegram", ChatKey: "-1", Text: "tally v2", EditRef: "poll:1",
			Buttons: [][]storage.Button{{{Text: "1", Data: "vote P1 1"}}}})
		return nil
	})
	pending, err := db.PendingOutbox(ctx, "telegram", now, 10)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending = %v, %v", pending, err)
	}
	if err := db.MarkSent(ctx, pending[0].ID, "m55", now); err != nil {
		t.Fatal(err)
	}
	pending, _ = db.PendingOutbox(ctx, "telegram", now, 10)
	if len(pending) != 1 || pending[0].EditID != "m55" || pending[0].Buttons[0][0].Data != "vote P1 1" {
		t.Fatalf("after sending the first: %+v", pending)
	}
	db.MarkRetry(ctx, pending[0].ID, "503", now.Add(time.Minute))
	db.MarkFailed(ctx, pending[0].ID, "403")
	stats, _ := db.OutboxStats(ctx)
	if stats["sent"] != 1 || stats["failed"] != 1 {
		t.Fatalf("stats = %v", stats)
	}
}

// A group post addressing several people keeps them, in order, through the
// outbox (both ways the dispatcher reads it).
func TestOutboxKeepsEveryAddressee(t *testing.T) {
	db := MustOpen(t)
	also := []storage.Mention{{Key: "502", Name: "居民乙"}, {Key: "503", Name: "张楼长"}}
	db.Update(ctx, func(tx *storage.Tx) error {
		_, err := tx.Enqueue(storage.OutboxMessage{Platform: "telegram", ChatKey: "-1", UserKey: "501", UserName: "居民甲",
			Also: also, Text: "R1 已办结"})
		return err
	})
	pending, err := db.PendingOutbox(ctx, "telegram", db.Now(), 10)
	if err != nil || len(pending) != 1 || pending[0].UserName != "居民甲" || !reflect.DeepEqual(pending[0].Also, also) {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	heads, err := db.PendingHeads(ctx, "telegram", 0, 10)
	if err != nil || len(heads) != 1 || !reflect.DeepEqual(heads[0].Also, also) {
		t.Fatalf("heads = %+v, %v", heads, err)
	}
}

func TestConversationExpires(t *testing.T) {
	db := MustOpen(t)
	cid := mustSync(t, db, demo())
	var pid int64
	db.Update(ctx, func(tx *storage.Tx) error {
		p, _ := tx.ResolvePerson(cid, "console", "u1", "甲")
		pid = p.ID
		return tx.SetConversation(storage.Conversation{CommunityID: cid, GroupID: 1, PersonID: pid, Kind: "confirm", Data: "x",
			ExpiresAt: tx.Now.Add(5 * time.Minute)})
	})
	find := func() error {
		return db.View(ctx, func(tx *storage.Tx) error { _, err := tx.FindConversation(1, pid); return err })
	}
	if err := find(); err != nil {
		t.Fatalf("fresh conversation: %v", err)
	}
	later := db.Now().Add(6 * time.Minute)
	db.Now = func() time.Time { return later }
	if err := find(); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("expired conversation: %v", err)
	}
}

func TestRequestsAreScopedByCommunity(t *testing.T) {
	db := MustOpen(t)
	a := mustSync(t, db, demo())
	other := demo()
	other.Key, other.Name = "other", "别的社区"
	for i := range other.Groups {
		other.Groups[i].Chat += "-other"
	}
	b := mustSync(t, db, other)
	var id int64
	db.Update(ctx, func(tx *storage.Tx) error {
		p, _ := tx.ResolvePerson(a, "console", "u1", "甲")
		var err error
		id, err = tx.CreateRequest(storage.Request{CommunityID: a, Kind: "suggestion", Text: "x", PersonID: p.ID, State: "submitted"})
		return err
	})
	db.View(ctx, func(tx *storage.Tx) error {
		if _, err := tx.FindRequest(a, id); err != nil {
			t.Errorf("own community: %v", err)
		}
		if _, err := tx.FindRequest(b, id); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("other community: err = %v, want ErrNotFound", err)
		}
		return nil
	})
}
