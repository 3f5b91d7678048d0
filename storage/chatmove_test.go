package storage_test

import (
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestMovedChatSurvivesSync: a group moved to a new chat (twice) stays there
// when the config, still naming the first chat, is synced again; a config that
// names another chat wins.
func TestMovedChatSurvivesSync(t *testing.T) {
	db := MustOpen(t)
	spec := demo()
	mustSync(t, db, spec)
	move := func(from, to string) {
		t.Helper()
		if err := db.Update(ctx, func(tx *storage.Tx) error {
			g, err := tx.FindGroupByChat("console", from)
			if err != nil {
				return err
			}
			return tx.UpdateGroupChat(g.ID, to)
		}); err != nil {
			t.Fatal(err)
		}
	}
	chatOf := func(key string) string {
		t.Helper()
		var chat string
		if err := db.View(ctx, func(tx *storage.Tx) error {
			gs, err := tx.AllGroups()
			for _, g := range gs {
				if g.Key == key {
					chat = g.ChatKey
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return chat
	}
	move("3栋居民群", "b")
	move("b", "c")
	mustSync(t, db, spec)
	if got := chatOf("b3"); got != "c" {
		t.Errorf("after a resync the moved group is at %q, want c", got)
	}
	if got := chatOf("staff"); got != "社区工作群" {
		t.Errorf("an unmoved group is at %q", got)
	}
	for i := range spec.Groups {
		if spec.Groups[i].Key == "b3" {
			spec.Groups[i].Chat = "d"
		}
	}
	mustSync(t, db, spec)
	if got := chatOf("b3"); got != "d" {
		t.Errorf("a config naming a new chat: group at %q, want d", got)
	}
}
