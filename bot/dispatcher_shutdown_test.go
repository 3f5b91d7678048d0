package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
)

// slowPlatform has received the message when Send is called, but answers only
// when the test releases it: a call in flight when the process shuts down.
// Like an HTTP client, it reports the call's context cancelled if it was by
// the time the answer came.
type slowPlatform struct {
	*recorder
	inFlight chan struct{} // closed when the first Send has begun
	release  chan struct{}
	first    bool
}

func (p *slowPlatform) Send(ctx context.Context, m bot.Outgoing) (bot.Sent, error) {
	sent, _ := p.recorder.Send(ctx, m) // the platform has it now
	if !p.first {
		p.first = true
		close(p.inFlight)
		<-p.release
	}
	if err := ctx.Err(); err != nil {
		return bot.Sent{}, err
	}
	return sent, nil
}

// A shutdown while a message is being sent lets that call finish: cut short,
// it would be recorded as failed although the platform delivered it, and sent
// again by the next pass (the residents would read it twice).
func TestDispatcherShutdownFinishesTheSendInFlight(t *testing.T) {
	h := newHarness(t)
	slow := &slowPlatform{recorder: &recorder{platform: "slow"}, inFlight: make(chan struct{}), release: make(chan struct{})}
	h.disp = &bot.Dispatcher{DB: h.db, Clock: h.clock, Log: h.disp.Log}
	h.disp.Register(slow)
	h.out = slow.recorder
	h.enqueue("3栋居民群", "已登记为 S1")

	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.disp.Run(runCtx); close(done) }()
	select {
	case <-slow.inFlight:
	case <-time.After(time.Minute):
		t.Fatal("the dispatcher never sent")
	}
	cancel() // the shutdown begins while the platform has not answered yet
	close(slow.release)
	<-done

	// The next process lifetime (or a drain) sends what is still pending.
	if err := h.disp.Drain(context.Background(), "slow"); err != nil {
		t.Fatal(err)
	}
	if n := h.sentCount(); n != 1 {
		t.Fatalf("the message reached the chat %d times, want once", n)
	}
	stats, err := h.db.OutboxStats(context.Background())
	if err != nil || stats["sent"] != 1 || stats["pending"] != 0 {
		t.Errorf("outbox = %v (%v), want the message recorded as sent", stats, err)
	}
}
