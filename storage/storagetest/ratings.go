package storagetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// SameRatingSummaries fails tb unless every community's rating summaries
// (kept by the triggers of migration 0021 on every write) equal a recount
// from every rating it was given (storage.RatingEvents): call it after any
// path that rates, re-rates, calls back, reopens, merges or deletes.
func SameRatingSummaries(tb testing.TB, db *storage.DB) {
	tb.Helper()
	eachCommunity(tb, db, func(tx *storage.Tx, communityID int64) error { return sameRatingSummaries(tb, tx, communityID) })
}

// eachCommunity runs check on every community in one read transaction.
func eachCommunity(tb testing.TB, db *storage.DB, check func(tx *storage.Tx, communityID int64) error) {
	tb.Helper()
	err := db.View(context.Background(), func(tx *storage.Tx) error {
		communities, err := tx.Communities()
		if err != nil {
			return err
		}
		for _, cm := range communities {
			if err := check(tx, cm.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// sameRatingSummaries compares one community's summaries with a recount.
func sameRatingSummaries(tb testing.TB, tx *storage.Tx, communityID int64) error {
	tb.Helper()
	events, err := tx.RatingEvents(communityID, time.Unix(1<<40, 0))
	if err != nil {
		return err
	}
	got, err := tx.RatingSummaries(communityID)
	if err != nil {
		return err
	}
	if want := storage.SummariseRatings(events); !reflect.DeepEqual(got, want) {
		tb.Errorf("community %d's rating summaries\n got %+v\nwant %+v", communityID, got, want)
	}
	return nil
}

// SameRateEntries fails tb unless every community's rate entries (kept by
// the triggers of migration 0023 on every write) equal a recount from the
// audit entries and the requests (storage.Tx.RecountRateEntries): call it
// after any path that resolves, reopens, merges, calls back, rates or
// retires a ticket.
func SameRateEntries(tb testing.TB, db *storage.DB) {
	tb.Helper()
	eachCommunity(tb, db, func(tx *storage.Tx, communityID int64) error {
		got, err := tx.RateEntries(communityID)
		if err != nil {
			return err
		}
		want, err := tx.RecountRateEntries(communityID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want) {
			tb.Errorf("community %d's rate entries\n got %+v\nwant %+v", communityID, got, want)
		}
		return nil
	})
}
