package storage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

func TestMergePeopleKeepsHistoryUnderTheNewName(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	cid := storagetest.Sync(t, db, storagetest.Move(storagetest.Community(), "wechat", map[string]string{"staff": "社区工作群"}, nil))
	err := db.Update(ctx, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat("wechat", "社区工作群")
		if err != nil {
			return err
		}
		old, err := tx.ResolvePerson(cid, "wechat", "张三", "张三")
		if err != nil {
			return err
		}
		if err := tx.SetPersonRoom(old.ID, "3栋1单元301"); err != nil {
			return err
		}
		renamed, err := tx.ResolvePerson(cid, "wechat", "张三丰", "张三丰")
		if err != nil {
			return err
		}
		for _, p := range []storage.Person{old, renamed} {
			if err := tx.TouchMember(g.ID, p.ID); err != nil {
				return err
			}
		}
		rid, err := tx.CreateRequest(storage.Request{CommunityID: cid, Kind: storage.KindSuggestion, Text: "改名后提的",
			PersonID: renamed.ID, State: "submitted", GroupID: g.ID})
		if err != nil {
			return err
		}
		if err := tx.MergePeople(old.ID, renamed.ID); err != nil {
			return err
		}
		if _, err := tx.FindPerson(renamed.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("the later person still exists: %v", err)
		}
		kept, err := tx.FindPersonByUser(cid, "wechat", "张三丰")
		if err != nil {
			return err
		}
		if kept.ID != old.ID || kept.Name != "张三丰" || kept.Room != "3栋1单元301" {
			t.Errorf("kept %+v: want the earlier person under the new name, household kept", kept)
		}
		r, err := tx.FindRequest(cid, rid)
		if err != nil {
			return err
		}
		if r.PersonID != old.ID {
			t.Errorf("request belongs to %d, want %d", r.PersonID, old.ID)
		}
		if n, err := tx.CountMembers(g.ID); err != nil || n != 1 {
			t.Errorf("members: %d, %v; want 1", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A person who voted under two names keeps one vote after #合并 (the merge used
// to look for voter keys without their "p:" prefix and moved nothing).
func TestMergePeopleLeavesOneVote(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	cid := storagetest.Sync(t, db, storagetest.Move(storagetest.Community(), "wechat", map[string]string{"b3": "3栋居民群"}, nil))
	err := db.Update(ctx, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat("wechat", "3栋居民群")
		if err != nil {
			return err
		}
		old, err := tx.ResolvePerson(cid, "wechat", "张三", "张三")
		if err != nil {
			return err
		}
		renamed, err := tx.ResolvePerson(cid, "wechat", "张三丰", "张三丰")
		if err != nil {
			return err
		}
		pid, err := tx.CreatePoll(storage.Poll{CommunityID: cid, CreatorID: old.ID, Title: "t", Options: []string{"a", "b"},
			GroupIDs: []int64{g.ID}})
		if err != nil {
			return err
		}
		for i, p := range []storage.Person{old, renamed} {
			key := fmt.Sprintf("p:%d", p.ID)
			if _, err := tx.CastBallot(storage.PollVoter{PollID: pid, VoterKey: key, PersonID: p.ID, GroupID: g.ID}, key, []int{i + 1}, tx.Now); err != nil {
				return err
			}
		}
		if err := tx.MergePeople(old.ID, renamed.ID); err != nil {
			return err
		}
		counts, ballots, err := tx.TallyPoll(pid, 2)
		if err != nil {
			return err
		}
		if ballots != 1 || counts[0] != 1 {
			t.Errorf("after the merge: %d ballots, counts %v; want the earlier person's one vote", ballots, counts)
		}
		if v, err := tx.FindPollVoter(pid, fmt.Sprintf("p:%d", old.ID)); err != nil || v.PersonID != old.ID {
			t.Errorf("kept voter: %+v, %v", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
