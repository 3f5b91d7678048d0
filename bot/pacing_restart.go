package bot

import (
	"context"
	"time"
)

// restorePacing fills a lane's pacing from the deliveries recorded in the last
// minute, once, before its first pass: pacing lives in memory, and a restart
// that forgot it would send into a busy chat at once and draw the platform's
// rate limits (Telegram's 429s). Recorded times are whole seconds taken after
// the send, so each is counted a second late: conservative.
func (d *Dispatcher) restorePacing(ctx context.Context, l *lane) {
	if l.restored {
		return
	}
	l.restored = true
	recent, err := d.DB.RecentDeliveries(ctx, l.adapter.Platform(), d.Clock.Now().Add(-time.Minute))
	if err != nil {
		d.Log.Warn("outbox: pacing not restored", "platform", l.adapter.Platform(), "err", err)
		return
	}
	limits := l.adapter.Limits()
	for _, r := range recent {
		if r.Callback {
			continue // toasts are not paced
		}
		at := r.At.Add(time.Second)
		chat, gap := r.ChatKey, limits.Group
		if chat == "" {
			chat, gap = "@"+r.UserKey, limits.Private
		}
		if t := at.Add(gap); gap > 0 && t.After(l.chatNext[chat]) {
			l.chatNext[chat] = t
		}
		if t := at.Add(limits.Global); limits.Global > 0 && t.After(l.global) {
			l.global = t
		}
		if limits.PerMinute > 0 {
			l.recent = append(l.recent, at)
		}
	}
	if n := len(l.recent); n > limits.PerMinute {
		l.recent = l.recent[n-limits.PerMinute:]
	}
}
