package storage_test

import (
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// A ticket rated 不满意 by its reporter, reworked, then rated 满意 by staff on
// the resident's behalf (回访): both ratings are history, and the 回访 is the
// final one.
func TestCallbackIsARating(t *testing.T) {
	db := MustOpen(t)
	cid := mustSync(t, db, demo())
	err := db.Update(ctx, func(tx *storage.Tx) error {
		p, err := tx.ResolvePerson(cid, "console", "居民甲", "居民甲")
		if err != nil {
			return err
		}
		id, err := tx.CreateRequest(storage.Request{CommunityID: cid, Kind: storage.KindRepair, Text: "灯不亮", PersonID: p.ID,
			State: storage.StateClosed})
		if err != nil {
			return err
		}
		for _, e := range []storage.RequestEvent{{RequestID: id, Action: "rate", Note: "unsatisfied 太慢"},
			{RequestID: id, Action: "callback", Note: "satisfied 电话回访"}} {
			if err := tx.AddRequestEvent(e); err != nil {
				return err
			}
		}
		events, err := tx.RatingEvents(cid, tx.Now.Add(time.Second))
		if err != nil {
			return err
		}
		s := storage.SatisfactionOf(events, time.Time{}, tx.Now.Add(time.Second))
		if s.Given != 2 || s.First.Unsatisfied != 1 || s.Final.Satisfied != 1 {
			t.Errorf("satisfaction = %+v, want 2 ratings given, first 不满意, final 满意 (the 回访)", s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
