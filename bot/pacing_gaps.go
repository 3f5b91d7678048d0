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
// whether m may go now.
func (d *Dispatcher) awaitShortGap(ctx context.Context, l *lane, m storage.OutboxMessage, chat string, due, now time.Time) bool {
	if m.NotBefore.After(now) || l.chatNext[chat].After(now) || due.Sub(now) > maxInlineWait {
		return false
	}
	select {
	case <-ctx.Done():
		return false
	case <-d.Clock.After(due.Sub(now)):
		return true
	}
}

// trainStart is where the next platform-wide gap counts from: the send's
// start, or, when the send started a little after it was due (a timer's
// lateness) in a run of back-to-back sends, when it was due: lateness must
// not add up over a fan-out.
func trainStart(due, start time.Time, gap time.Duration) time.Time {
	if late := start.Sub(due); late > 0 && late < gap {
		return due
	}
	return start
}
