package bot_test

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
)

// TestDispatcherCountsGapsFromCallStart: a call that takes 100 ms does not
// stretch the gap to the next chat (a fan-out to many chats would take
// n × (gap + call) instead of n × gap).
func TestDispatcherCountsGapsFromCallStart(t *testing.T) {
	h := newHarness(t)
	h.out.limits = bot.Limits{Global: time.Second}
	h.out.clock = h.clock
	h.out.fail = func(bot.Outgoing) error {
		h.clock.Advance(100 * time.Millisecond) // the call's latency
		return nil
	}
	start := h.clock.Now()
	h.enqueue("A", "a")
	h.enqueue("B", "b")
	h.enqueue("C", "c")
	stop := h.run()
	defer stop()
	h.disp.Wake()
	for i := 2; i <= 3; i++ {
		waitFor(t, "the dispatcher to wait", func() bool { return h.sentCount() == i-1 && h.clock.Waiters() > 0 })
		h.clock.Set(start.Add(time.Duration(i-1) * time.Second))
		waitFor(t, "the next send or wait", func() bool { return h.sentCount() == i || h.clock.Waiters() > 0 })
		if n := h.sentCount(); n != i {
			t.Fatalf("at %s: %d sent, want %d", h.clock.Now().Sub(start), n, i)
		}
	}
	var got []string
	for i, m := range h.out.sent {
		got = append(got, fmt.Sprintf("%s@%s", m.Text, h.out.times[i].Sub(start)))
	}
	if fmt.Sprint(got) != "[a@100ms b@1.1s c@2.1s]" { // stamped after each call's 100 ms
		t.Errorf("sent %v", got)
	}
}

// TestDispatcherRestoresPacingAfterRestart: a new dispatcher (a restart) waits
// out the gap after the last delivery recorded before it.
func TestDispatcherRestoresPacingAfterRestart(t *testing.T) {
	h := newHarness(t)
	h.out.limits = bot.Limits{Group: 3 * time.Second}
	h.out.clock = h.clock
	start := h.clock.Now()
	h.enqueue("A", "before")
	stop := h.run()
	h.disp.Wake()
	waitFor(t, "the first message", func() bool { return h.sentCount() == 1 })
	stop()

	// The restart: a new dispatcher and adapter over the same database.
	out := &recorder{platform: "console", limits: h.out.limits, clock: h.clock}
	h.disp = &bot.Dispatcher{DB: h.db, Clock: h.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h.disp.Register(out)
	h.out = out
	h.enqueue("A", "after")
	before := h.clock.Waiters() // the stopped dispatcher's timers
	stop = h.run()
	defer stop()
	h.disp.Wake()
	waitFor(t, "the restarted dispatcher to send or wait", func() bool { return h.sentCount() > 0 || h.clock.Waiters() > before })
	if n := h.sentCount(); n != 0 {
		t.Fatalf("sent %d at once after the restart, want to wait out the chat's gap", n)
	}
	h.clock.Set(start.Add(4 * time.Second)) // 3 s gap after a delivery recorded to the second, plus that second
	waitFor(t, "the message after the gap", func() bool { return h.sentCount() == 1 })
}

// TestDispatcherLatenessDoesNotAddUp: a send that starts late (a timer fired
// late) does not push back the sends after it: the platform-wide gaps keep
// their schedule over a fan-out.
func TestDispatcherLatenessDoesNotAddUp(t *testing.T) {
	h := newHarness(t)
	h.out.limits = bot.Limits{Global: time.Second}
	h.out.clock = h.clock
	start := h.clock.Now()
	h.enqueue("A", "a")
	h.enqueue("B", "b")
	h.enqueue("C", "c")
	stop := h.run()
	defer stop()
	h.disp.Wake()
	waitFor(t, "the dispatcher to wait after a", func() bool { return h.sentCount() == 1 && h.clock.Waiters() > 0 })
	h.clock.Set(start.Add(1300 * time.Millisecond)) // b's timer fires 300 ms late
	waitFor(t, "b, then a wait", func() bool { return h.sentCount() == 2 && h.clock.Waiters() > 0 })
	h.clock.Set(start.Add(2 * time.Second)) // c is due 1 s after b was due, not after b went
	waitFor(t, "c on schedule", func() bool { return h.sentCount() == 3 })
	if got := h.out.times[2].Sub(start); got != 2*time.Second {
		t.Errorf("c sent at %s, want 2s", got)
	}
}
