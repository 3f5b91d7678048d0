package storage_test

import (
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// TestMeetingCacheFollowsTimeAndWrites: the meetings under way in a group,
// read once and then served from the row cache, are what the query would
// return at every moment — as time passes, after this connection's writes and
// another connection's, and when the clock goes back.
func TestMeetingCacheFollowsTimeAndWrites(t *testing.T) {
	r := newCacheRig(t)
	const window = 2 * time.Hour
	base := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) []storage.Activity {
		var list []storage.Activity
		r.update(func(tx *storage.Tx) (err error) {
			list, err = tx.MeetingsInGroupAt(r.group.ID, base.Add(d), window)
			return err
		})
		return list
	}
	create := func(title string, start time.Duration) (id int64) {
		r.update(func(tx *storage.Tx) error {
			a, err := tx.CreateActivity(storage.Activity{CommunityID: r.cid, CreatorID: r.person.ID, Title: title, Kind: "板凳会",
				StartsAt: base.Add(start), CheckinCode: "4831", GroupIDs: []int64{r.group.ID}})
			id = a.ID
			return err
		})
		return id
	}
	titles := func(list []storage.Activity) (out []string) {
		for _, a := range list {
			out = append(out, a.Title)
		}
		return out
	}
	first := create("停车议事", time.Hour)
	for _, c := range []struct {
		at   time.Duration
		want int
	}{{0, 0}, {time.Hour, 1}, {2 * time.Hour, 1}, {3*time.Hour - time.Second, 1}, {3 * time.Hour, 0}} {
		if got := at(c.at); len(got) != c.want {
			t.Errorf("at +%v: %q, want %d meetings", c.at, titles(got), c.want)
		}
	}
	list := at(time.Hour)
	list[0].GroupIDs[0] = -1 // the caller's copy
	if again := at(time.Hour); len(again) != 1 || again[0].GroupIDs[0] != r.group.ID {
		t.Errorf("the cached meeting changed with the caller's copy: %+v", again)
	}
	r.rawExec(`UPDATE activities SET starts_at = ? WHERE id = ?`, base.Add(5*time.Hour).Unix(), first)
	create("加装电梯", 6*time.Hour)
	create("垃圾分类", 3*time.Hour+30*time.Minute)
	if got := titles(at(6 * time.Hour)); len(got) != 2 || got[0] != "加装电梯" || got[1] != "停车议事" {
		t.Errorf("at +6h: %q, want the two started within the window, newest first", got)
	}
	// The clock went back, to when a meeting the cache left out was under way.
	if got := titles(at(4 * time.Hour)); len(got) != 1 || got[0] != "垃圾分类" {
		t.Errorf("at +4h: %q, want 垃圾分类", got)
	}
}
