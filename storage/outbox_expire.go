package storage

import (
	"context"
	"time"
)

// ExpireOutbox marks failed ("expired") the pending messages whose expiry has
// passed, and reports how many. The dispatcher never picks them (PendingOutbox
// skips them); this keeps them from lingering as pending.
func (db *DB) ExpireOutbox(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE outbox SET status = 'failed', last_error = 'expired'
		WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ?`, unix(now))
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, err
}
