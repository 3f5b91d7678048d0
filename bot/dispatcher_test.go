package bot_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// waitFor yields until cond holds: it synchronises with the dispatcher's
// goroutine (blocked on the virtual clock), it does not measure time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

func (h *harness) enqueue(chat string, texts ...string) {
	h.t.Helper()
	err := h.db.Update(ctx, func(tx *storage.Tx) error {
		for _, text := range texts {
			if _, err := tx.Enqueue(storage.OutboxMessage{Platform: h.out.platform, ChatKey: chat, Text: text}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) run() (stop func()) {
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { h.disp.Run(runCtx); close(done) }()
	return func() { cancel(); <-done }
}

func (h *harness) sentCount() int {
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	return len(h.out.sent)
}

func TestDispatcherPacesEachChat(t *testing.T) {
	h := newHarness(t)
	h.out.limits = bot.Limits{Group: 3 * time.Second}
	h.out.clock = h.clock
	start := h.clock.Now()
	h.enqueue("A", "a1", "a2", "a3")
	h.enqueue("B", "b1")
	stop := h.run()
	defer stop()
	h.disp.Wake()
	waitFor(t, "a1 and b1", func() bool { return h.sentCount() == 2 })
	for i := 3; i <= 4; i++ {
		waitFor(t, "the dispatcher to wait", func() bool { return h.clock.Waiters() > 0 })
		h.clock.Advance(3 * time.Second)
		waitFor(t, "the next message", func() bool { return h.sentCount() == i })
	}
	var got []string
	for i, m := range h.out.sent {
		got = append(got, fmt.Sprintf("%s@%s", m.Text, h.out.times[i].Sub(start)))
	}
	want := "a1@0s b1@0s a2@3s a3@6s"
	if fmt.Sprint(got) != "["+want+"]" {
		t.Errorf("sent %v, want [%s]", got, want)
	}
}

func TestDispatcherHonoursRetryAfter(t *testing.T) {
	h := newHarness(t)
	h.out.clock = h.clock
	start := h.clock.Now()
	var attempts []time.Duration
	h.out.fail = func(m bot.Outgoing) error {
		attempts = append(attempts, h.clock.Now().Sub(start))
		if len(attempts) == 1 {
			return &bot.RetryAfterError{After: 10 * time.Second, Err: errors.New("429")}
		}
		return nil
	}
	h.enqueue("A", "first", "second")
	stop := h.run()
	defer stop()
	h.disp.Wake()
	waitFor(t, "the dispatcher to back off", func() bool { return h.clock.Waiters() > 0 })
	h.clock.Advance(9 * time.Second)
	waitFor(t, "the dispatcher to wait again", func() bool { return h.clock.Waiters() > 0 })
	if n := h.sentCount(); n != 0 {
		t.Fatalf("sent %d messages before retry_after expired", n)
	}
	h.clock.Advance(time.Second)
	waitFor(t, "both messages", func() bool { return h.sentCount() == 2 })
	if h.out.sent[0].Text != "first" || h.out.sent[1].Text != "second" {
		t.Errorf("order: %q, %q", h.out.sent[0].Text, h.out.sent[1].Text)
	}
	for _, a := range attempts[1:] {
		if a < 10*time.Second {
			t.Errorf("an attempt at %s, before retry_after", a)
		}
	}
}

func TestDispatcherRetriesErrorsAndGivesUpOnPermanent(t *testing.T) {
	h := newHarness(t)
	calls := map[string]int{}
	h.out.fail = func(m bot.Outgoing) error {
		calls[m.Text]++
		switch {
		case m.Text == "flaky" && calls[m.Text] < 3:
			return errors.New("502 bad gateway")
		case m.Text == "doomed":
			return fmt.Errorf("403 kicked: %w", bot.ErrPermanent)
		}
		return nil
	}
	h.enqueue("A", "flaky")
	h.enqueue("B", "doomed", "after-doomed")
	for i := 0; i < 3; i++ {
		if err := h.disp.Drain(ctx, "console"); err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(time.Minute)
	}
	stats, _ := h.db.OutboxStats(ctx)
	if stats["sent"] != 2 || stats["failed"] != 1 || stats["pending"] != 0 {
		t.Errorf("outbox = %v, want 2 sent, 1 failed", stats)
	}
	if calls["flaky"] != 3 || calls["doomed"] != 1 {
		t.Errorf("calls = %v", calls)
	}
}

func TestDispatcherFollowsMovedChat(t *testing.T) {
	h := newHarness(t)
	h.out.fail = func(m bot.Outgoing) error {
		if m.Chat == "3栋居民群" {
			return &bot.ChatMovedError{NewChat: "3栋居民群-超级群"}
		}
		return nil
	}
	h.enqueue("3栋居民群", "one", "two")
	h.disp.Drain(ctx, "console")
	h.disp.Drain(ctx, "console")
	if n := h.sentCount(); n != 2 || h.out.sent[0].Chat != "3栋居民群-超级群" {
		t.Fatalf("sent = %+v", h.out.sent)
	}
	h.db.View(ctx, func(tx *storage.Tx) error {
		if _, err := tx.FindGroupByChat("console", "3栋居民群-超级群"); err != nil {
			t.Errorf("group not moved: %v", err)
		}
		return nil
	})
}

// editor is a recorder that can edit in place.
type editor struct{ *recorder }

func (editor) CanEdit() bool { return true }

func TestDispatcherEditsOnlyWhereThePlatformCan(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edits bool
	}{{"cannot edit", false}, {"can edit", true}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.edits {
				h.disp = &bot.Dispatcher{DB: h.db, Clock: h.clock, Log: h.engine.Log}
				h.disp.Register(editor{h.out})
			}
			h.db.Update(ctx, func(tx *storage.Tx) error {
				tx.Enqueue(storage.OutboxMessage{Platform: "console", ChatKey: "A", Text: "tally 0", Ref: "poll:1"})
				tx.Enqueue(storage.OutboxMessage{Platform: "console", ChatKey: "A", Text: "tally 1", EditRef: "poll:1"})
				return nil
			})
			if err := h.disp.Drain(ctx, "console"); err != nil {
				t.Fatal(err)
			}
			stats, _ := h.db.OutboxStats(ctx)
			if stats["sent"] != 2 || stats["pending"] != 0 {
				t.Fatalf("outbox %v: both rows must be done", stats)
			}
			switch n := h.sentCount(); {
			case !tc.edits && n != 1:
				t.Errorf("a platform that cannot edit was sent %d messages, want only the first", n)
			case tc.edits && (n != 2 || h.out.sent[1].EditID != "m"+fmt.Sprint(h.out.sent[0].ID)):
				t.Errorf("sent %+v, want the second to edit the first (found in the same pass)", h.out.sent)
			}
		})
	}
}
