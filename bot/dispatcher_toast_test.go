package bot_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// chanAdapter is a platform whose sends arrive on a channel.
type chanAdapter struct{ sent chan bot.Outgoing }

func (a *chanAdapter) Platform() string                             { return "test" }
func (a *chanAdapter) Run(ctx context.Context, _ bot.Inbound) error { <-ctx.Done(); return nil }
func (a *chanAdapter) Limits() bot.Limits                           { return bot.Limits{Group: 3 * time.Second} }
func (a *chanAdapter) Send(_ context.Context, m bot.Outgoing) (bot.Sent, error) {
	a.sent <- m
	return bot.Sent{ID: "1"}, nil
}

// TestDispatcherToastSkipsChatPacing: the answer to a button press is not held
// behind the group's pacing, while the group's next post is.
func TestDispatcherToastSkipsChatPacing(t *testing.T) {
	ctx := context.Background()
	clock := bot.NewVirtualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = clock.Now
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for _, m := range []storage.OutboxMessage{
			{Platform: "test", ChatKey: "g", Text: "post 1"},
			{Platform: "test", ChatKey: "g", Text: "post 2"},
			{Platform: "test", ChatKey: "g", Text: "toast", CallbackID: "cb1"},
		} {
			if _, err := tx.Enqueue(m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	a := &chanAdapter{sent: make(chan bot.Outgoing, 3)}
	d := &bot.Dispatcher{DB: db, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	d.Register(a)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- d.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	first, second := receive(t, a.sent), receive(t, a.sent)
	// The clock has not moved: post 2 waits its 3 s; the toast did not.
	if first.Text != "post 1" || second.Text != "toast" || second.CallbackID != "cb1" {
		t.Errorf("sent %q then %q, want post 1 then the toast", first.Text, second.Text)
	}
	select {
	case m := <-a.sent:
		t.Errorf("%q sent before the group's pacing allowed", m.Text)
	default:
	}
}

// receive waits for the next send, failing the test instead of hanging.
func receive(t *testing.T, ch <-chan bot.Outgoing) bot.Outgoing {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for a send")
		return bot.Outgoing{}
	}
}
