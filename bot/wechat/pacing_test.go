package wechat_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/storage"
)

// idle waits until the dispatcher waits on the virtual clock again.
func (w *world) idle() {
	w.t.Helper()
	deadline := time.Now().Add(patience)
	// Each check dumps every goroutine's stack: poll quickly at first, then
	// back off, so a slow machine does not spend its CPU watching.
	pause := 50 * time.Microsecond
	for w.clock.Waiters() == 0 || !dispatcherWaits() {
		if time.Now().After(deadline) {
			w.t.Fatal("dispatcher never waited")
		}
		time.Sleep(pause)
		pause = min(2*pause, 2*time.Millisecond)
	}
}

// dispatcherWaits reports whether the dispatcher is blocked: its wake fan-out
// parked in its select (no wake on the way), and its sending goroutine parked
// in its select for the next due time or in the adapter's wait between the
// parts of a long text. The clock's timer count alone cannot tell: a timer
// the dispatcher stopped waiting for when a wake came stays counted until the
// clock passes it, and the clock must not move while a message is on its way.
func dispatcherWaits() bool {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	fanOut, lane := false, false
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, frames, _ := strings.Cut(g, "\n")
		if !strings.Contains(header, "[select") {
			continue
		}
		switch {
		case strings.HasPrefix(frames, "github.com/qiao-community/qiao/bot.(*Dispatcher).Run("):
			fanOut = true
		case strings.HasPrefix(frames, "github.com/qiao-community/qiao/bot.(*Dispatcher).runLane("),
			strings.HasPrefix(frames, "github.com/qiao-community/qiao/bot/wechat.(*Adapter).Send("):
			lane = true
		}
	}
	return fanOut && lane
}

func TestTooOftenBacksOffAndDelivers(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.FailSends(1205, 1205)
	w.fake.Say(building, "居民甲", "#建议 慢一点")
	w.message(1)
	// The suggestion's reply is refused twice; its notice to staff waits behind
	// the same pauses, since "too often" holds the whole account.
	replyAttempts := func() int {
		return w.count(`SELECT COALESCE(MAX(attempts), 0) FROM outbox WHERE chat_key = ?`, building)
	}
	deadline := time.Now().Add(patience)
	for replyAttempts() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("refusal 1 never recorded")
		}
		time.Sleep(time.Millisecond)
	}
	refused := w.clock.Now()
	// First refusal: pause 1 minute; the second: 2 minutes.
	for i, pause := range []time.Duration{time.Minute, 2 * time.Minute} {
		w.idle()
		w.clock.Set(refused.Add(pause - time.Second))
		w.idle()
		if got := len(w.fake.Sent()); got != 0 {
			t.Fatalf("sent %d messages during the %s pause", got, pause)
		}
		if n := replyAttempts(); n != i+1 {
			t.Fatalf("reply tried %d times during the %s pause, want %d", n, pause, i+1)
		}
		w.clock.Set(refused.Add(pause))
		// Once the pause is over the reply goes first, after at most the account's gap.
		gap := w.pacing.MinGap + w.pacing.Jitter + step
		w.until(gap, fmt.Sprintf("try %d of the reply", i+2), func() bool { return replyAttempts() > i+1 })
		if i == 0 && len(w.fake.Sent()) != 0 {
			t.Fatalf("sent %+v, want the second refusal", w.fake.Sent())
		}
		refused = w.clock.Now()
	}
	got := w.sent(1)
	if got[0].To != building || !strings.Contains(got[0].Content, "S1") {
		t.Fatalf("delivered %+v, want the reply first", got[0])
	}
	notice := w.deliveredTo(staff, 1)
	if !strings.Contains(notice[0].Content, "S1") {
		t.Fatalf("staff notice %+v", notice[0])
	}
	w.settled()
	if n := replyAttempts(); n != 3 {
		t.Fatalf("attempts recorded: %d, want 3 (two refusals, one delivery)", n)
	}
	if n := len(w.fake.Sent()); n != 2 {
		t.Fatalf("sent %d messages, want the reply and the staff notice once each", n)
	}
}

func TestPacingWithVirtualClock(t *testing.T) {
	w := newWorld(t)
	w.pacing = wechat.Pacing{MinGap: 1500 * time.Millisecond, GroupGap: 3 * time.Second, Jitter: 1500 * time.Millisecond, PerMinute: 4}
	w.qrLogin()
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.WeChat, building)
		if err != nil {
			return err
		}
		for i := range 6 {
			chat := building
			if i%2 == 1 {
				chat = staff
			}
			if _, err := tx.Enqueue(storage.OutboxMessage{CommunityID: g.CommunityID, Platform: bot.WeChat, ChatKey: chat,
				Text: fmt.Sprintf("通知 %d", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.engine.Wake()
	var times []time.Time
	for step := 0; len(times) < 6 && step < 2000; step++ {
		w.idle()
		for n := len(w.fake.Sent()); len(times) < n; {
			times = append(times, w.clock.Now())
		}
		w.clock.Advance(100 * time.Millisecond)
	}
	if len(times) != 6 {
		t.Fatalf("sent %d of 6", len(times))
	}
	sent := w.fake.Sent()
	for i := 1; i < len(times); i++ {
		gap := times[i].Sub(times[i-1])
		if gap < 1500*time.Millisecond || (i != 4 && gap > 3*time.Second+100*time.Millisecond) {
			t.Errorf("gap before message %d: %s (want 1.5s–3s plus jitter, or the per-minute wait)", i, gap)
		}
		if sent[i].To == sent[i-1].To {
			t.Errorf("messages %d and %d both to %s", i-1, i, sent[i].To)
		}
	}
	for i := 2; i < len(times); i++ {
		if sent[i].To == sent[i-2].To && times[i].Sub(times[i-2]) < 3*time.Second {
			t.Errorf("two messages into %s within %s", sent[i].To, times[i].Sub(times[i-2]))
		}
	}
	if d := times[4].Sub(times[0]); d < time.Minute {
		t.Errorf("5th message %s after the 1st: the cap is 4 a minute", d)
	}
}

func TestLongTextSplitAndResumedAfterTooOften(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	first, second := strings.Repeat("甲", 1500), strings.Repeat("乙", 1500)
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.WeChat, building)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(storage.OutboxMessage{CommunityID: g.CommunityID, Platform: bot.WeChat, ChatKey: building,
			Text: first + "\n" + second})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.fake.FailSends(0, 1205) // the second part is refused once
	w.engine.Wake()
	for i := 0; len(w.fake.Sent()) < 2 && i < 400; i++ {
		w.idle()
		w.clock.Advance(time.Second)
		w.fake.WaitSent(2, 5*time.Millisecond)
	}
	got := w.sent(2)
	if len(got) != 2 || got[0].Content != first || got[1].Content != second {
		t.Fatalf("sent %d messages; want the two halves once each", len(got))
	}
	w.settled()
}
