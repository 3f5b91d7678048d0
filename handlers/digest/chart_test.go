package digest_test

import (
	"bytes"
	"context"
	"image/png"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestWeeklySummaryPostsOneChart: the weekly summary carries one picture into
// every residents' group (one stored blob, one outbox row per group), a rerun
// draws none again, and a quiet week has text alone.
func TestWeeklySummaryPostsOneChart(t *testing.T) {
	ctx := context.Background()
	now := at(12, 6, 19, 0)
	w := newWorld(t, now)
	busyWeek(w)
	for range 2 { // the second run is a rerun after a restart
		if err := w.d.Weekly([]string{"building"})(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := w.db.PendingOutbox(ctx, "console", now, 1000)
	if err != nil {
		t.Fatal(err)
	}
	blobs := map[int64]int{}
	for _, m := range msgs {
		blobs[m.BlobID]++
	}
	if len(msgs) != 3 || len(blobs) != 1 || blobs[0] != 0 {
		t.Fatalf("%d posts with pictures %v, want one picture in each of the 3 building groups", len(msgs), blobs)
	}
	var n int
	if err := w.raw.QueryRow(`SELECT COUNT(*) FROM blobs`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d pictures stored (%v), want 1", n, err)
	}
	var pic storage.Blob
	_ = w.db.View(ctx, func(tx *storage.Tx) error {
		pic, err = tx.FindBlob(msgs[0].BlobID)
		return err
	})
	img, err := png.Decode(bytes.NewReader(pic.Data))
	if err != nil || pic.MIME != "image/png" || img.Bounds().Dx() < 400 {
		t.Errorf("picture: %v %s %v", err, pic.MIME, img)
	}

	quiet := newWorld(t, now)
	if err := quiet.d.Weekly([]string{"building"})(ctx, now); err != nil {
		t.Fatal(err)
	}
	msgs, err = quiet.db.PendingOutbox(ctx, "console", now, 1000)
	if err != nil || len(msgs) != 3 || msgs[0].BlobID != 0 {
		t.Errorf("quiet week: %d posts, first with picture %d (%v); want 3 posts of text alone", len(msgs), msgs[0].BlobID, err)
	}
}
