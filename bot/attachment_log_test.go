package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// warnings counts the warnings logged through it, by message.
type warnings struct {
	mu    sync.Mutex
	count map[string]int
}

func (w *warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (w *warnings) Handle(_ context.Context, r slog.Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.count[r.Message]++
	return nil
}
func (w *warnings) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w *warnings) WithGroup(string) slog.Handler      { return w }

// A platform that sends text only gets every message's text, and the
// dispatcher says once for each kind what it left behind, not once a message
// (the weekly chart went to every group: a warning each).
func TestDispatcherLogsAnUnsendableKindOnce(t *testing.T) {
	h := newHarness(t)
	w := &warnings{count: map[string]int{}}
	h.disp.Log = slog.New(w)
	err := h.db.Update(ctx, func(tx *storage.Tx) error {
		for i, kind := range []string{"image", "image", "image", "file"} {
			blob, err := tx.CreateBlob(storage.Blob{CommunityID: h.cid, Kind: kind, Name: fmt.Sprintf("周报-%d", i), MIME: "image/png", Data: []byte{1, 2, 3}})
			if err != nil {
				return err
			}
			if _, err := tx.Enqueue(storage.OutboxMessage{Platform: h.out.platform, ChatKey: fmt.Sprintf("群%d", i), Text: "本周小结", BlobID: blob}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.disp.Drain(ctx, h.out.platform); err != nil {
		t.Fatal(err)
	}
	if n := h.sentCount(); n != 4 {
		t.Errorf("%d of 4 texts sent", n)
	}
	const left = "outbox: platform cannot send this kind; text only (logged once a kind)"
	if len(w.count) != 1 || w.count[left] != 2 {
		t.Errorf("warnings %v, want %q twice (an image, a file)", w.count, left)
	}
}
