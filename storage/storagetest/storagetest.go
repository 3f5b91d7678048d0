// Package storagetest is the shared test rig: a real SQLite file in the test's
// temporary folder and one test community that every package's tests use.
package storagetest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// Every test that uses storage turns on its check of rows left open in a
// write transaction; storage refuses to open a database in a test binary
// that did not.
func init() { storage.GuardOpenRows() }

// Open opens a new database in the test's temporary folder and closes it when
// the test ends.
func Open(tb testing.TB) *storage.DB {
	tb.Helper()
	return OpenAt(tb, filepath.Join(tb.TempDir(), "qiao.db"))
}

// OpenAt opens (or creates) the database at path and closes it when the test
// ends. A new database starts as a copy of one migrated once per test process:
// running every migration costs ~170 ms under -race, and hundreds of tests
// each open their own database. Tests of migrations call storage.Open.
func OpenAt(tb testing.TB, path string) *storage.DB {
	tb.Helper()
	Seed(tb, path)
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Sync writes spec into db and returns the community's id.
func Sync(tb testing.TB, db *storage.DB, spec storage.CommunitySpec) int64 {
	tb.Helper()
	var id int64
	err := db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		id, err = tx.SyncCommunity(spec)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// Community is the test community, a small copy of the demo in
// config.example.yaml, every chat on the console under its own name:
//
//	grids      g1 第一网格 (1栋, 3栋), g2 第二网格 (5号楼)
//	groups     1栋居民群 (off), 3栋居民群 (confirm), 5号楼居民群 (confirm), 一网格群,
//	           社区工作群 (staff), 物业服务群 and 供电所群 (departments)
//	people     陈社工 (staff), 刘主任 (admin, staff), 张楼长 (captain of 3栋),
//	           王网格员 (grid worker of g1), 物业小周 (物业), 供电小孙 (供电所)
//
// It returns a fresh value each time: tests may change it before syncing.
func Community() storage.CommunitySpec {
	const console = "console"
	group := func(key, name, kind, mode string) storage.GroupSpec {
		return storage.GroupSpec{Key: key, Name: name, Platform: console, Chat: name, Kind: kind, Mode: mode}
	}
	person := func(key, name string, roles ...storage.Role) storage.PersonSpec {
		return storage.PersonSpec{Key: key, Name: name, Platform: console, User: name, Roles: roles}
	}
	b1 := group("b1", "1栋居民群", storage.GroupBuilding, "off")
	b1.Building = "b1"
	b3 := group("b3", "3栋居民群", storage.GroupBuilding, "confirm")
	b3.Building = "b3"
	b5 := group("b5", "5号楼居民群", storage.GroupBuilding, "confirm")
	b5.Building = "b5"
	grid1 := group("grid1", "一网格群", storage.GroupGrid, "off")
	grid1.Grid = "g1"
	wuye := group("wuye", "物业服务群", storage.GroupDepartment, "off")
	wuye.Department = "wuye"
	gongdian := group("gongdian", "供电所群", storage.GroupDepartment, "off")
	gongdian.Department = "gongdian"
	return storage.CommunitySpec{
		Key: "heping", Name: "和平路社区", Timezone: "Asia/Shanghai", Lang: "zh-CN",
		Grids: []storage.GridSpec{{Key: "g1", Name: "第一网格"}, {Key: "g2", Name: "第二网格"}},
		Buildings: []storage.BuildingSpec{
			{Key: "b1", Name: "1栋", Grid: "g1"}, {Key: "b3", Name: "3栋", Grid: "g1"}, {Key: "b5", Name: "5号楼", Grid: "g2"},
		},
		Departments: []storage.DepartmentSpec{
			{Key: "wuye", Name: "物业", Aliases: []string{"物业公司"}}, {Key: "gongdian", Name: "供电所"},
		},
		Groups: []storage.GroupSpec{b1, b3, b5, grid1, group("staff", "社区工作群", storage.GroupStaff, "off"), wuye, gongdian},
		People: []storage.PersonSpec{
			person("chen", "陈社工", storage.Role{Role: storage.RoleStaff}),
			person("liu", "刘主任", storage.Role{Role: storage.RoleAdmin}, storage.Role{Role: storage.RoleStaff}),
			person("zhang", "张楼长", storage.Role{Role: storage.RoleCaptain, Scope: "b3"}),
			person("wang", "王网格员", storage.Role{Role: storage.RoleGridWorker, Scope: "g1"}),
			person("zhou", "物业小周", storage.Role{Role: storage.RoleDepartment, Scope: "wuye"}),
			person("sun", "供电小孙", storage.Role{Role: storage.RoleDepartment, Scope: "gongdian"}),
		},
	}
}

// Move puts the groups named in chats (group key → chat id) on another platform,
// and every configured person too, keyed by users (person key → user id).
func Move(spec storage.CommunitySpec, platform string, chats, users map[string]string) storage.CommunitySpec {
	for i := range spec.Groups {
		if chat, ok := chats[spec.Groups[i].Key]; ok {
			spec.Groups[i].Platform, spec.Groups[i].Chat = platform, chat
		}
	}
	for i := range spec.People {
		if user, ok := users[spec.People[i].Key]; ok {
			spec.People[i].Platform, spec.People[i].User = platform, user
		}
	}
	return spec
}

// Seed writes a migrated, empty database at path unless a file is there, so
// a test that builds the whole app (which opens the file itself) starts
// without running every migration.
func Seed(tb testing.TB, path string) {
	tb.Helper()
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	image, err := migratedImage()
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, image, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// migratedImage is the bytes of a freshly migrated, cleanly closed database,
// made once per process.
var migratedImage = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "qiao-storagetest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})
