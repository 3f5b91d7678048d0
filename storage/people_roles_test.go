package storage_test

import (
	"context"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestResolvePersonSharesRolesSafely: a cached person's roles are handed out
// without a copy, so an append to one caller's roles must not reach the cache
// nor the next caller.
func TestResolvePersonSharesRolesSafely(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	cid := mustSync(t, db, demo())
	err := db.Update(ctx, func(tx *storage.Tx) error {
		_, err := tx.ResolvePerson(cid, "wechat", "u1", "甲") // first sight: created
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 { // read, cached on commit; then served from the cache twice
		err = db.Update(ctx, func(tx *storage.Tx) error {
			p, err := tx.ResolvePerson(cid, "wechat", "u1", "甲")
			if err != nil {
				return err
			}
			if len(p.Roles) != 1 || p.Roles[0] != (storage.Role{Role: storage.RoleResident}) || cap(p.Roles) != len(p.Roles) {
				t.Errorf("round %d: roles %v, capacity %d", round, p.Roles, cap(p.Roles))
			}
			p.Roles = append(p.Roles, storage.Role{Role: storage.RoleStaff})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
