package storage_test

import (
	"errors"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// activityRig is one community with an activity of capacity places in 3栋居民群
// and residents 甲…己 seen there.
func activityRig(t *testing.T, capacity int) (*storage.DB, storage.Activity, map[string]int64) {
	t.Helper()
	db := MustOpen(t)
	cid := mustSync(t, db, demo())
	var a storage.Activity
	people := map[string]int64{}
	err := db.Update(ctx, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByName(cid, "3栋居民群")
		if err != nil {
			return err
		}
		for _, name := range []string{"甲", "乙", "丙", "丁", "戊", "己"} {
			p, err := tx.ResolvePerson(cid, "console", name, name)
			if err != nil {
				return err
			}
			people[name] = p.ID
		}
		a, err = tx.CreateActivity(storage.Activity{CommunityID: cid, CreatorID: people["甲"], Title: "义诊", Capacity: capacity,
			StartsAt: tx.Now.Add(48 * time.Hour), CheckinCode: "4831", GroupIDs: []int64{g.ID}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, a, people
}

func TestActivityNumbersArePerCommunity(t *testing.T) {
	db, a, people := activityRig(t, 0)
	other := demo()
	other.Key, other.Name = "xinhua", "新华社区"
	for i := range other.Groups {
		other.Groups[i].Chat += "-新华"
	}
	for i := range other.People {
		other.People[i].User += "-新华"
	}
	cid2 := mustSync(t, db, other)
	err := db.Update(ctx, func(tx *storage.Tx) error {
		b, err := tx.CreateActivity(storage.Activity{CommunityID: a.CommunityID, CreatorID: people["甲"], Title: "讲座",
			StartsAt: tx.Now.Add(time.Hour), CheckinCode: "1111", GroupIDs: a.GroupIDs})
		if err != nil {
			return err
		}
		g, err := tx.FindGroupByName(cid2, "3栋居民群")
		if err != nil {
			return err
		}
		p, err := tx.ResolvePerson(cid2, "console", "甲2", "甲2")
		if err != nil {
			return err
		}
		c, err := tx.CreateActivity(storage.Activity{CommunityID: cid2, CreatorID: p.ID, Title: "讲座",
			StartsAt: tx.Now.Add(time.Hour), CheckinCode: "2222", GroupIDs: []int64{g.ID}})
		if err != nil {
			return err
		}
		if a.Number != 1 || b.Number != 2 || c.Number != 1 {
			t.Errorf("numbers %d, %d and (another community) %d, want 1, 2, 1", a.Number, b.Number, c.Number)
		}
		if _, err := tx.FindActivity(cid2, 2); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("another community's A2: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSignUpFillsSeatsThenTheWaitlistAndPromotesInOrder(t *testing.T) {
	db, a, p := activityRig(t, 4)
	err := db.Update(ctx, func(tx *storage.Tx) error {
		for _, s := range []struct {
			who    string
			party  int
			status string
			pos    int
		}{{"甲", 2, storage.SignupIn, 0}, {"乙", 2, storage.SignupIn, 0}, {"丙", 3, storage.SignupWaiting, 1}, {"丁", 1, storage.SignupWaiting, 2}} {
			got, err := tx.SignUp(a, p[s.who], s.party, "")
			if err != nil {
				return err
			}
			if got.Status != s.status || got.Position != s.pos || got.Party != s.party {
				t.Errorf("%s: %+v, want %s at %d", s.who, got, s.status, s.pos)
			}
		}
		if _, err := tx.SignUp(a, p["甲"], 1, ""); !errors.Is(err, storage.ErrAlreadySignedUp) {
			t.Errorf("signing up twice: %v", err)
		}
		// 乙 leaves two seats: 丙 (3) does not fit and keeps the head; 丁 (1) moves up.
		_, promoted, err := tx.CancelSignup(a, p["乙"])
		if err != nil {
			return err
		}
		if len(promoted) != 1 || promoted[0].PersonID != p["丁"] {
			t.Errorf("promoted %+v, want 丁", promoted)
		}
		// 甲 leaves: four seats minus 丁's one: 丙's three fit.
		if _, promoted, err = tx.CancelSignup(a, p["甲"]); err != nil {
			return err
		}
		if len(promoted) != 1 || promoted[0].PersonID != p["丙"] {
			t.Errorf("promoted %+v, want 丙", promoted)
		}
		c, err := tx.CountSignups(a.ID)
		if c != (storage.SignupCounts{Seats: 4, Signups: 2}) || err != nil {
			t.Errorf("counts %+v (%v)", c, err)
		}
		if _, _, err := tx.CancelSignup(a, p["甲"]); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("cancelling twice: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCheckInRecordsWalkInsAndMergeKeepsOneSignup(t *testing.T) {
	db, a, p := activityRig(t, 0)
	err := db.Update(ctx, func(tx *storage.Tx) error {
		if _, err := tx.SignUp(a, p["甲"], 2, "13812345678"); err != nil {
			return err
		}
		if _, err := tx.SignUp(a, p["乙"], 1, ""); err != nil {
			return err
		}
		if s, again, err := tx.CheckIn(a, p["甲"]); err != nil || again || s.CheckedInAt.IsZero() {
			t.Errorf("check-in: %+v again=%v (%v)", s, again, err)
		}
		if _, again, err := tx.CheckIn(a, p["甲"]); err != nil || !again {
			t.Errorf("second check-in: again=%v (%v)", again, err)
		}
		if s, _, err := tx.CheckIn(a, p["戊"]); err != nil || s.Status != storage.SignupWalkIn {
			t.Errorf("walk-in: %+v (%v)", s, err)
		}
		if err := tx.MergePeople(p["甲"], p["乙"]); err != nil {
			return err
		}
		list, err := tx.Signups(a.ID)
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].PersonID != p["甲"] || list[0].Party != 2 || list[1].Status != storage.SignupWalkIn {
			t.Errorf("after merging 乙 into 甲: %+v", list)
		}
		c, err := tx.CountSignups(a.ID)
		if c.CheckedIn != 3 || err != nil {
			t.Errorf("checked in %d, want 3 (a party of 2 and a walk-in) (%v)", c.CheckedIn, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNoticeConfirmationsPerGroup(t *testing.T) {
	db := MustOpen(t)
	spec := demo()
	spec.Groups[2].Residents = 10 // 5号楼居民群
	cid := mustSync(t, db, spec)
	err := db.Update(ctx, func(tx *storage.Tx) error {
		b3, _ := tx.FindGroupByName(cid, "3栋居民群")
		b5, _ := tx.FindGroupByName(cid, "5号楼居民群")
		staff, err := tx.FindPersonByUser(cid, "console", "陈社工")
		if err != nil {
			return err
		}
		ids := map[string]int64{}
		for _, m := range []struct {
			name string
			g    storage.Group
		}{{"甲", b3}, {"乙", b3}, {"丙", b5}} {
			p, err := tx.ResolvePerson(cid, "console", m.name, m.name)
			if err != nil {
				return err
			}
			ids[m.name] = p.ID
			if err := tx.TouchMember(m.g.ID, p.ID); err != nil {
				return err
			}
		}
		if err := tx.TouchMember(b3.ID, staff.ID); err != nil { // staff are not asked
			return err
		}
		n, err := tx.CreateNotice(storage.Notice{CommunityID: cid, CreatorID: staff.ID, Text: "停水", NeedsAck: true,
			ClosesAt: tx.Now.Add(time.Hour), GroupIDs: []int64{b3.ID, b5.ID}})
		if err != nil {
			return err
		}
		for _, who := range []string{"甲", "甲", "丙"} {
			if _, err := tx.AckNotice(n.ID, ids[who], 0); err != nil {
				return err
			}
		}
		got, err := tx.NoticeTurnoutByGroup(n.ID, 10)
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0].Voters != 1 || got[0].Eligible != 2 || len(got[0].NonVoters) != 1 || got[0].NonVoters[0] != "乙" ||
			got[0].Building != "3栋" || got[1].Voters != 1 || got[1].Eligible != 10 || !got[1].Configured {
			t.Errorf("turnout %+v", got)
		}
		left, err := tx.NoticeUnconfirmed(n.ID)
		if err != nil || len(left) != 1 || left[0].Name != "乙" {
			t.Errorf("unconfirmed %+v (%v)", left, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
