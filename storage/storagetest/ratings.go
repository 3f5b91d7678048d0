package storagetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// SameRatingSummaries fails tb unless a community's rating summaries (kept by
// the triggers of migration 0020 on every write) equal a recount from every
// rating it was given (storage.RatingEvents): call it after any path that
// rates, re-rates, calls back, reopens, merges or deletes.
func SameRatingSummaries(tb testing.TB, db *storage.DB, communityID int64) {
	tb.Helper()
	err := db.View(context.Background(), func(tx *storage.Tx) error {
		events, err := tx.RatingEvents(communityID, time.Unix(1<<40, 0))
		if err != nil {
			return err
		}
		got, err := tx.RatingSummaries(communityID)
		if err != nil {
			return err
		}
		if want := storage.SummariseRatings(events); !reflect.DeepEqual(got, want) {
			tb.Errorf("rating summaries\n got %+v\nwant %+v", got, want)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}
