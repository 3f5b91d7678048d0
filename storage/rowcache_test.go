package storage_test

import (
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// cacheRig is a database with the test community, a building group, a
// resident seen there once (so every cache is warm) and a raw connection: a
// second writer, as another process would be.
type cacheRig struct {
	t      *testing.T
	db     *storage.DB
	raw    *sql.DB
	cid    int64
	group  storage.Group
	person storage.Person
}

func newCacheRig(t *testing.T) *cacheRig {
	db := MustOpen(t)
	r := &cacheRig{t: t, db: db, cid: mustSync(t, db, demo())}
	r.update(func(tx *storage.Tx) error {
		var err error
		if r.group, err = tx.FindGroupByChat("console", "3栋居民群"); err != nil {
			return err
		}
		if r.person, err = tx.ResolvePerson(r.cid, "console", "u1", "小王"); err != nil {
			return err
		}
		return tx.TouchMember(r.group.ID, r.person.ID)
	})
	r.update(func(tx *storage.Tx) error { // warm: read and cached, nothing written
		if _, err := tx.ResolvePerson(r.cid, "console", "u1", "小王"); err != nil {
			return err
		}
		if _, err := tx.FindConversation(r.group.ID, r.person.ID); !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		_, err := tx.OpenPollsInGroup(r.group.ID)
		return err
	})
	raw, err := sql.Open("sqlite", storage.DSN(db.Path()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	r.raw = raw
	return r
}

func (r *cacheRig) update(fn func(tx *storage.Tx) error) {
	r.t.Helper()
	if err := r.db.Update(ctx, fn); err != nil {
		r.t.Fatal(err)
	}
}

func (r *cacheRig) rawExec(query string, args ...any) {
	r.t.Helper()
	if _, err := r.raw.ExecContext(ctx, query, args...); err != nil {
		r.t.Fatal(err)
	}
}

func (r *cacheRig) resolve() storage.Person {
	r.t.Helper()
	var p storage.Person
	r.update(func(tx *storage.Tx) (err error) {
		p, err = tx.ResolvePerson(r.cid, "console", "u1", "")
		return err
	})
	return p
}

// A cached person sees a role granted by the configuration, a merge's
// deletion, and a name changed by another connection.
func TestPersonCacheSeesOtherWrites(t *testing.T) {
	r := newCacheRig(t)
	spec := demo()
	spec.People = append(spec.People, storage.PersonSpec{Key: "xiaowang", Name: "小王", Platform: "console", User: "u1",
		Roles: []storage.Role{{Role: storage.RoleCaptain, Scope: "b3"}}})
	mustSync(t, r.db, spec)
	if p := r.resolve(); !p.Has(storage.RoleCaptain, "b3") {
		t.Errorf("roles %v: the configuration's captain is not seen", p.Roles)
	}
	r.rawExec(`UPDATE people SET name = '王先生' WHERE id = ?`, r.person.ID)
	if p := r.resolve(); p.Name != "王先生" {
		t.Errorf("name %q: another connection's change is not seen", p.Name)
	}
	r.rawExec(`DELETE FROM roles WHERE person_id = ?`, r.person.ID)
	r.rawExec(`DELETE FROM members WHERE person_id = ?`, r.person.ID)
	r.rawExec(`DELETE FROM people WHERE id = ?`, r.person.ID)
	if p := r.resolve(); p.Name != "u1" || p.Has(storage.RoleCaptain, "") {
		t.Errorf("resolved %+v: the deleted person, not a new resident", p)
	}
}

// A membership touched today is not written again, but one deleted since by
// another connection is written again, and a touch rolled back
// with its savepoint is not remembered.
func TestMembershipTouchCacheSeesOtherWrites(t *testing.T) {
	r := newCacheRig(t)
	members := func() int {
		n, err := r.db.CountRows(ctx, "members")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	touch := func() {
		t.Helper()
		r.update(func(tx *storage.Tx) error { return tx.TouchMember(r.group.ID, r.person.ID) })
	}
	r.rawExec(`DELETE FROM members`)
	touch()
	if n := members(); n != 1 {
		t.Fatalf("%d members after another connection's delete and a touch, want 1", n)
	}
	var other storage.Person
	r.update(func(tx *storage.Tx) (err error) {
		other, err = tx.ResolvePerson(r.cid, "console", "u2", "小李")
		return err
	})
	r.rawExec(`DELETE FROM members`)
	poison := errors.New("poison")
	errs := r.db.UpdateBatch(ctx, []func(tx *storage.Tx) error{
		func(tx *storage.Tx) error {
			if err := tx.TouchMember(r.group.ID, other.ID); err != nil {
				return err
			}
			return poison // the touch is rolled back
		},
	})
	if !errors.Is(errs[0], poison) {
		t.Fatal(errs)
	}
	r.update(func(tx *storage.Tx) error { return tx.TouchMember(r.group.ID, other.ID) })
	if n := members(); n != 1 {
		t.Errorf("%d members: a rolled-back touch was remembered", n)
	}
}

// "No pending conversation" is forgotten when one is started, in this process
// or another.
func TestConversationCacheSeesOtherWrites(t *testing.T) {
	r := newCacheRig(t)
	find := func() error {
		var err error
		r.update(func(tx *storage.Tx) error {
			_, err = tx.FindConversation(r.group.ID, r.person.ID)
			return nil
		})
		return err
	}
	r.update(func(tx *storage.Tx) error {
		return tx.SetConversation(storage.Conversation{CommunityID: r.cid, GroupID: r.group.ID, PersonID: r.person.ID,
			Kind: "confirm", ExpiresAt: tx.Now.Add(time.Hour)})
	})
	if err := find(); err != nil {
		t.Fatalf("a started conversation is not found: %v", err)
	}
	r.update(func(tx *storage.Tx) error { return tx.EndConversation(r.group.ID, r.person.ID) })
	if err := find(); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("an ended conversation: %v", err)
	}
	r.rawExec(`INSERT INTO conversations (community_id, group_id, person_id, kind, data, expires_at) VALUES (?, ?, ?, 'confirm', '', ?)`,
		r.cid, r.group.ID, r.person.ID, r.db.Now().Add(time.Hour).Unix())
	if err := find(); err != nil {
		t.Errorf("another connection's conversation is not found: %v", err)
	}
}

// A group's cached polls see a new poll, a closed one and an option changed by
// another connection.
func TestPollCacheSeesOtherWrites(t *testing.T) {
	r := newCacheRig(t)
	open := func() []storage.Poll {
		var ps []storage.Poll
		r.update(func(tx *storage.Tx) (err error) {
			ps, err = tx.OpenPollsInGroup(r.group.ID)
			return err
		})
		return ps
	}
	var id int64
	r.update(func(tx *storage.Tx) (err error) {
		id, err = tx.CreatePoll(storage.Poll{CommunityID: r.cid, CreatorID: r.person.ID, Title: "停车",
			Options: []string{"甲", "乙"}, GroupIDs: []int64{r.group.ID}})
		return err
	})
	if ps := open(); len(ps) != 1 || ps[0].ID != id {
		t.Fatalf("open polls %+v, want the new one", ps)
	}
	ps := open() // from the cache: a copy the caller may change
	ps[0].Options[0] = "改了"
	r.rawExec(`UPDATE poll_options SET text = '丙' WHERE poll_id = ? AND idx = 2`, id)
	if ps := open(); ps[0].Options[0] != "甲" || ps[0].Options[1] != "丙" {
		t.Errorf("options %q: want the stored ones, with another connection's change", ps[0].Options)
	}
	r.update(func(tx *storage.Tx) error {
		_, err := tx.ClosePoll(id)
		return err
	})
	if ps := open(); len(ps) != 0 {
		t.Errorf("a closed poll is still open: %+v", ps)
	}
}

// A member's open polls are read from members too: never cached, so a new
// member sees them at once.
func TestMemberPollsAreNotCached(t *testing.T) {
	r := newCacheRig(t)
	var other storage.Person
	var id int64
	r.update(func(tx *storage.Tx) (err error) {
		if other, err = tx.ResolvePerson(r.cid, "console", "u2", "小李"); err != nil {
			return err
		}
		id, err = tx.CreatePoll(storage.Poll{CommunityID: r.cid, CreatorID: r.person.ID, Title: "停车",
			Options: []string{"甲", "乙"}, GroupIDs: []int64{r.group.ID}})
		return err
	})
	mine := func() []storage.Poll {
		var ps []storage.Poll
		r.update(func(tx *storage.Tx) (err error) {
			ps, err = tx.OpenPollsOfMember(r.cid, other.ID)
			return err
		})
		return ps
	}
	if ps := mine(); len(ps) != 0 {
		t.Fatalf("%d polls before u2 was seen in the group", len(ps))
	}
	r.update(func(tx *storage.Tx) error { return tx.TouchMember(r.group.ID, other.ID) })
	if ps := mine(); len(ps) != 1 || ps[0].ID != id {
		t.Errorf("u2's open polls %+v after he spoke in the group, want the poll", ps)
	}
}

// A person created in a transaction that rolls back is never cached, though
// creating one no longer empties the cache of the others.
func TestNewPersonRolledBackIsNotCached(t *testing.T) {
	r := newCacheRig(t)
	errUndo := errors.New("undo")
	err := r.db.Update(ctx, func(tx *storage.Tx) error {
		for range 2 { // the second finds the row the first created
			if _, err := tx.ResolvePerson(r.cid, "console", "u2", "小李"); err != nil {
				return err
			}
		}
		return errUndo
	})
	if !errors.Is(err, errUndo) {
		t.Fatal(err)
	}
	r.update(func(tx *storage.Tx) error {
		p, err := tx.ResolvePerson(r.cid, "console", "u2", "小李")
		if err != nil {
			return err
		}
		if _, err := tx.FindPerson(p.ID); err != nil {
			t.Errorf("resolved person %d, which was rolled back: %v", p.ID, err)
		}
		return nil
	})
	if p := r.resolve(); p.ID != r.person.ID || p.Name != "小王" {
		t.Errorf("resolved %+v, want the cached 小王", p)
	}
}
