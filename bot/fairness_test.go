package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// advanceUntil moves the virtual clock a second at a time, each time once the
// dispatcher waits on it, until done holds; it fails after limit.
func (h *harness) advanceUntil(limit time.Duration, what string, done func() bool) time.Duration {
	h.t.Helper()
	start := h.clock.Now()
	for !done() {
		if h.clock.Now().Sub(start) > limit {
			h.t.Fatalf("%s: not done after %s of virtual time", what, limit)
		}
		waitFor(h.t, "the dispatcher to wait", func() bool { return h.clock.Waiters() > 0 || done() })
		if !done() {
			h.clock.Advance(time.Second)
		}
	}
	return h.clock.Now().Sub(start)
}

func (h *harness) sentTo(chat, user string) []time.Time {
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	var out []time.Time
	for i, m := range h.out.sent {
		if m.Chat == chat && m.User == user {
			out = append(out, h.out.times[i])
		}
	}
	return out
}

// A private reply enqueued behind 600 posts to one busy group goes out within
// a second or two, not after the group's backlog (half an hour at 3 s a post).
func TestDispatcherPrivateReplyIsNotHeldBehindABusyGroup(t *testing.T) {
	h := newHarness(t)
	h.out.limits = bot.Limits{Group: 3 * time.Second, Private: time.Second}
	h.out.clock = h.clock
	texts := make([]string, 600)
	for i := range texts {
		texts[i] = fmt.Sprint("group post ", i)
	}
	h.enqueue("busy", texts...)
	stop := h.run()
	defer stop()
	waitFor(t, "the first group post", func() bool { return len(h.sentTo("busy", "")) == 1 })
	// The reply comes while the dispatcher already works through the backlog.
	if err := h.db.Update(ctx, func(tx *storage.Tx) error {
		_, err := tx.Enqueue(storage.OutboxMessage{Platform: h.out.platform, UserKey: "u1", UserName: "甲", Text: "您的报修已受理"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	h.disp.Wake()
	took := h.advanceUntil(25*time.Second, "the private reply", func() bool { return len(h.sentTo("", "u1")) == 1 })
	if took > 2*time.Second {
		t.Errorf("the private reply waited %s", took)
	}
	t.Logf("the private reply went out after %s of virtual time, behind %d group posts", took, len(texts))
	// The group keeps its pace and its order.
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	n := 0
	for _, m := range h.out.sent {
		if m.Chat == "busy" {
			if want := fmt.Sprint("group post ", n); m.Text != want {
				t.Fatalf("group post %d is %q: order broken", n, m.Text)
			}
			n++
		}
	}
}

// The answers to 30 presses that could not be toasts are posted into the group
// at the group's pace, not all at once.
func TestDispatcherPacesAnswersTurnedIntoPosts(t *testing.T) {
	h := newHarness(t)
	h.out.limits = bot.Limits{Group: 3 * time.Second, Private: time.Second}
	h.out.clock = h.clock
	h.out.fail = func(m bot.Outgoing) error {
		if m.CallbackID != "" {
			return fmt.Errorf("press too old: %w", bot.ErrAnswerAsPost)
		}
		return nil
	}
	if err := h.db.Update(ctx, func(tx *storage.Tx) error {
		for i := range 30 {
			if _, err := tx.Enqueue(storage.OutboxMessage{Platform: h.out.platform, ChatKey: "g", UserKey: fmt.Sprint("u", i),
				UserName: "甲", Text: "已投票", CallbackID: fmt.Sprint("cb", i)}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	stop := h.run()
	defer stop()
	count := func() int {
		h.out.mu.Lock()
		defer h.out.mu.Unlock()
		return len(h.out.sent)
	}
	h.advanceUntil(5*time.Minute, "30 posts", func() bool { return count() == 30 })
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	for i := 1; i < len(h.out.times); i++ {
		if gap := h.out.times[i].Sub(h.out.times[i-1]); gap < 3*time.Second {
			t.Fatalf("posts %d and %d into the group %s apart, want at least 3s", i-1, i, gap)
		}
	}
	for _, m := range h.out.sent {
		if m.CallbackID != "" {
			t.Errorf("posted with a callback id: %+v", m)
		}
	}
}
