package storage

import (
	"database/sql"
	"time"
)

// ChannelTraffic is what the database knows of one platform's traffic, for
// `qiao status`: it is read from another process while the bot runs.
type ChannelTraffic struct {
	LastIn       time.Time // the newest message handled (zero: none kept)
	LastOut      time.Time // the newest message delivered
	Queued       int       // messages waiting to be sent
	OldestQueued time.Time // when the oldest waiting message was written
	Failed       int       // messages given up on (a permanent error)
	LastError    string    // the latest error of a waiting or failed message
}

// ChannelTraffic reads platform's traffic. Every query is bounded by an index
// on platform (inbound's primary key, outbox_pending).
func (tx *Tx) ChannelTraffic(platform string) (ChannelTraffic, error) {
	var c ChannelTraffic
	var in, out, oldest sql.NullInt64
	err := tx.queryRow(`SELECT MAX(handled_at) FROM inbound WHERE platform = ?`, platform).Scan(&in)
	if err == nil {
		err = tx.queryRow(`SELECT sent_at FROM outbox WHERE platform = ? AND status = 'sent' ORDER BY id DESC LIMIT 1`,
			platform).Scan(&out)
		if err == sql.ErrNoRows {
			err = nil
		}
	}
	if err == nil {
		err = tx.queryRow(`SELECT COUNT(*), MIN(created_at) FROM outbox WHERE platform = ? AND status = 'pending'`,
			platform).Scan(&c.Queued, &oldest)
	}
	if err == nil {
		err = tx.queryRow(`SELECT COUNT(*) FROM outbox WHERE platform = ? AND status = 'failed'`, platform).Scan(&c.Failed)
	}
	if err == nil {
		err = tx.queryRow(`SELECT last_error FROM outbox WHERE platform = ? AND status IN ('pending', 'failed')
			AND last_error <> '' ORDER BY id DESC LIMIT 1`, platform).Scan(&c.LastError)
		if err == sql.ErrNoRows {
			err = nil
		}
	}
	for _, v := range []struct {
		n  sql.NullInt64
		to *time.Time
	}{{in, &c.LastIn}, {out, &c.LastOut}, {oldest, &c.OldestQueued}} {
		if v.n.Valid {
			*v.to = fromUnix(v.n.Int64)
		}
	}
	return c, err
}
