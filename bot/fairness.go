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

// pending is what one pass considers: the oldest batchSize messages and, when
// that batch is full (a backlog), the oldest message of every other chat, so
// that a busy group's backlog never keeps a private reply waiting (no
// head-of-line blocking). Ordered by id, as each chat's order requires.
func (d *Dispatcher) pending(ctx context.Context, platform string, now time.Time) ([]storage.OutboxMessage, error) {
	msgs, err := d.DB.PendingOutbox(ctx, platform, now, batchSize)
	if err != nil || len(msgs) < batchSize {
		return msgs, err
	}
	heads, err := d.DB.PendingHeads(ctx, platform, msgs[len(msgs)-1].ID, maxHeads)
	if err != nil {
		return nil, err
	}
	return append(msgs, heads...), nil
}
