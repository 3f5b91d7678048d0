package bot

import (
	"context"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// maxInlineWait is the longest a pass waits for the platform-wide gap instead
// of ending: ending a pass costs a database read and a commit per message,
// which stretched an 85-chat fan-out at 30 a second from 2.8 s to 3.1–3.3 s.
const maxInlineWait = time.Second

// awaitShortGap waits, within the pass, until due when only the platform-wide
// gap (not the chat's own pacing) holds m back and due is near. It reports
// whether m may go now. Platforms paced with jitter (WeChat) are paced to look
// human, not to fill a rate limit: their passes end as before. The wait is
// bounded in real time too: the pass holds the lane, and Drain (the console)
// must not wait for a virtual clock that only a test moves.
func (d *Dispatcher) awaitShortGap(ctx context.Context, l *lane, m storage.OutboxMessage, chat string, due, now time.Time, limits Limits) bool {
	wait := due.Sub(now)
	if limits.Global <= 0 || limits.Jitter > 0 || wait > maxInlineWait || m.NotBefore.After(now) || l.chatNext[chat].After(now) {
		return false
	}
	bound := time.NewTimer(wait + 5*time.Millisecond)
	defer bound.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-bound.C:
		return !due.After(d.Clock.Now())
	case <-d.Clock.After(wait):
		return true
	}
}

// trainStart is where the next platform-wide gap counts from: the send's
// start, or, when the send started a little after it was due (a timer's
// lateness) in a run of back-to-back sends, when it was due: lateness must
// not add up over a fan-out. With jitter (WeChat) every gap is kept whole.
func trainStart(due, start time.Time, limits Limits) time.Time {
	if late := start.Sub(due); limits.Jitter == 0 && late > 0 && late < limits.Global {
		return due
	}
	return start
}
