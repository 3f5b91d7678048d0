package bot

import (
	"context"
	"errors"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// ErrAnswerAsPost is what an adapter's Send returns for the answer to a button
// press that must reach the chat as an ordinary post: the press is too old to
// answer, or the answer is more than a toast (any toast part is done). The
// dispatcher then queues it as a post, paced with the chat's other posts,
// instead of letting it jump the chat's pacing.
var ErrAnswerAsPost = errors.New("answer the button press with a post")

// maxHeads bounds how many other chats one pass looks at behind a full batch.
const maxHeads = 1000

// headsEvery bounds how often a lane reads the other chats' heads: the read
// scans the backlog (measured: 35 ms for 11,000 pending messages, 220 ms for
// 61,000), and a backlogged lane passes every few tens of milliseconds.
const headsEvery = time.Second

// pending is what one pass considers: the oldest batchSize messages and, when
// that batch is full (a backlog), the oldest message of every other chat, so
// that a busy group's backlog never keeps a private reply waiting (no
// head-of-line blocking). Ordered by id, as each chat's order requires. When
// the heads were read less than headsEvery ago, it returns the batch alone
// and when to read them again.
func (d *Dispatcher) pending(ctx context.Context, l *lane, now time.Time) ([]storage.OutboxMessage, time.Time, error) {
	// Read without ctx's cancellation: a cancellable context costs two
	// goroutines a query (database/sql's and the driver's watchers, each
	// waking another core), every pass; the read is one bounded index scan,
	// so a shutdown waits for it at most that long.
	msgs, err := d.DB.PendingOutbox(context.WithoutCancel(ctx), l.adapter.Platform(), now, batchSize)
	if err != nil || len(msgs) < batchSize {
		return msgs, time.Time{}, err
	}
	if again := l.headsAt.Add(headsEvery); !l.headsAt.IsZero() && now.Before(again) {
		return msgs, again, nil
	}
	l.headsAt = now
	heads, err := d.DB.PendingHeads(ctx, l.adapter.Platform(), msgs[len(msgs)-1].ID, maxHeads)
	if err != nil {
		return nil, time.Time{}, err
	}
	return append(msgs, heads...), time.Time{}, nil
}
