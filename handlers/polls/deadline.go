package polls

import (
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// expired reports whether an open poll's deadline has passed: it is closed
// for votes now, whether or not the closing job has run yet (it runs every
// minute, and after the server's clock jumps it may not have).
func expired(p storage.Poll, now time.Time) bool {
	return p.Open() && !p.Deadline.IsZero() && !now.Before(p.Deadline)
}

// dropExpired splits open polls into those still taking votes and those past
// their deadline, the one whose deadline passed last first.
func dropExpired(open []storage.Poll, now time.Time) (live []storage.Poll, ended *storage.Poll) {
	for i, p := range open {
		if !expired(p, now) {
			live = append(live, p)
		} else if ended == nil || p.Deadline.After(ended.Deadline) {
			ended = &open[i]
		}
	}
	return live, ended
}

// justClosed is the poll a late vote in a group is about: one past its
// deadline that the closing job has not closed yet, else the group's poll
// that closed last.
func justClosed(c *bot.Context, ended *storage.Poll) (storage.Poll, error) {
	if ended != nil {
		return *ended, nil
	}
	return c.Tx.LastClosedPollInGroup(c.Group.ID)
}
