package storage

import (
	"context"
	"fmt"
	"time"
)

// Retention says how long handled traffic is kept. Zero keeps it forever.
type Retention struct {
	// OutboxDelivered: a delivered outbox row older than this is deleted.
	// Rows not delivered (pending or failed) are never touched.
	OutboxDelivered time.Duration `yaml:"outbox_delivered"`
	// Inbound: the dedupe mark of a handled message older than this is
	// deleted. Platforms redeliver within minutes or hours, never a month.
	Inbound time.Duration `yaml:"inbound"`
}

// DefaultRetention keeps 30 days of both.
var DefaultRetention = Retention{OutboxDelivered: 720 * time.Hour, Inbound: 720 * time.Hour}

// MinInboundRetention is the shortest inbound retention accepted: a shorter
// one could forget a message a platform still redelivers.
const MinInboundRetention = 24 * time.Hour

// Validate reports problems as "key: message" lines under path.
func (r Retention) Validate(path string) []string {
	var errs []string
	if r.OutboxDelivered < 0 {
		errs = append(errs, fmt.Sprintf("%s.outbox_delivered: must not be negative, not %s", path, r.OutboxDelivered))
	}
	if r.Inbound < 0 || r.Inbound > 0 && r.Inbound < MinInboundRetention {
		errs = append(errs, fmt.Sprintf("%s.inbound: must be 0 (keep forever) or at least %s, not %s", path, MinInboundRetention, r.Inbound))
	}
	return errs
}

// Pruned counts what Prune removed.
type Pruned struct {
	Outbox  int64 // delivered rows deleted
	Blanked int64 // delivered rows kept for their dedupe key or ref, text removed
	Inbound int64 // dedupe marks deleted
}

// pruneBatch bounds one delete: the writer is shared with live messages, so
// a large backlog goes in short transactions.
var pruneBatch int64 = 2000

// Prune deletes delivered outbox rows and inbound dedupe marks older than r
// says at now. A delivered row that carries a dedupe key (a scheduled notice:
// the key keeps it from being posted twice) or a ref (a later message may
// edit it) is kept, with its text and buttons blanked.
func (db *DB) Prune(ctx context.Context, now time.Time, r Retention) (Pruned, error) {
	var p Pruned
	if r.OutboxDelivered > 0 {
		cutoff := unix(now.Add(-r.OutboxDelivered))
		n, err := db.pruneLoop(ctx, `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
			WHERE status = 'sent' AND sent_at < ? AND dedupe_key IS NULL AND ref = '' ORDER BY id LIMIT ?)`, cutoff)
		p.Outbox = n
		if err != nil {
			return p, fmt.Errorf("storage: prune outbox: %w", err)
		}
		n, err = db.pruneLoop(ctx, `UPDATE outbox SET text = '', buttons = '', user_name = '' WHERE id IN (SELECT id FROM outbox
			WHERE status = 'sent' AND sent_at < ? AND (dedupe_key IS NOT NULL OR ref <> '') AND (text <> '' OR buttons <> '') ORDER BY id LIMIT ?)`, cutoff)
		p.Blanked = n
		if err != nil {
			return p, fmt.Errorf("storage: prune outbox: %w", err)
		}
	}
	if r.Inbound > 0 {
		n, err := db.pruneLoop(ctx, `DELETE FROM inbound WHERE (platform, chat_key, message_id) IN (SELECT platform, chat_key, message_id
			FROM inbound WHERE handled_at < ? LIMIT ?)`, unix(now.Add(-r.Inbound)))
		p.Inbound = n
		if err != nil {
			return p, fmt.Errorf("storage: prune inbound: %w", err)
		}
	}
	return p, nil
}

// pruneLoop runs a batched statement (arguments: cutoff, batch size) until it
// changes fewer rows than a batch, each batch in its own transaction.
func (db *DB) pruneLoop(ctx context.Context, query string, cutoff int64) (int64, error) {
	var total int64
	for {
		var n int64
		err := db.Update(ctx, func(tx *Tx) error {
			res, err := tx.exec(query, cutoff, pruneBatch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		total += n
		if err != nil || n < pruneBatch {
			return total, err
		}
	}
}
