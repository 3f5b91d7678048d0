package storage

import (
	"context"
	"time"
)

// RecentDelivery is one message delivered lately: where to, and when (to the
// second, rounded down).
type RecentDelivery struct {
	ChatKey, UserKey string
	Callback         bool // an answer to a button press, not a post
	At               time.Time
}

// recentWindow bounds the rows RecentDeliveries reads: deliveries of the last
// minute are among the newest rows.
const recentWindow = 20000

// RecentDeliveries lists a platform's deliveries since a time, oldest first:
// the dispatcher restores its pacing from them after a restart.
func (db *DB) RecentDeliveries(ctx context.Context, platform string, since time.Time) ([]RecentDelivery, error) {
	rows, err := db.readQuery(ctx, `SELECT chat_key, user_key, callback_id <> '', sent_at FROM outbox
		WHERE id > (SELECT COALESCE(MAX(id), 0) FROM outbox) - ? AND platform = ? AND status = 'sent' AND sent_at >= ?
		ORDER BY sent_at, id`, recentWindow, platform, unix(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RecentDelivery
	for rows.Next() {
		var d RecentDelivery
		var at int64
		if err := rows.Scan(&d.ChatKey, &d.UserKey, &d.Callback, &at); err != nil {
			return nil, err
		}
		d.At = fromUnix(at)
		out = append(out, d)
	}
	return out, rows.Err()
}
