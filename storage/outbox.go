package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Button is one inline button of an outgoing message.
type Button struct {
	Text string `json:"text"`
	Data string `json:"data"`
}

// OutboxMessage is a message waiting to be sent, or sent.
type OutboxMessage struct {
	ID          int64
	CommunityID int64
	Platform    string
	ChatKey     string // "" for a direct message to UserKey
	UserKey     string // with ChatKey: the person addressed
	UserName    string
	Text        string
	Buttons     [][]Button
	Ref         string // a name a later message can edit
	EditRef     string // edit the message sent under this ref
	CallbackID  string
	DedupeKey   string // scheduled notices: one per job and period
	NotBefore   time.Time
	Attempts    int
	// EditID is the platform id of the message named by EditRef, when it was sent.
	EditID string
	// ScrubKey marks a secret message (see ScrubOutbox): blanked once delivered.
	ScrubKey string
	// BlobID is the picture or file the message carries (0: none).
	BlobID int64
	// ExpiresAt: not sent after this (zero: no limit); see ExpireOutbox.
	ExpiresAt time.Time
	// Also are more people addressed in the same group post, after UserKey.
	Also []Mention
}

// Mention is a person addressed in a group post.
type Mention struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// jsonOrEmpty is v as JSON, or "" when it has no elements (n == 0).
func jsonOrEmpty(n int, v any) (string, error) {
	if n == 0 {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// ErrDuplicate is returned by Enqueue when a message with the same dedupe key exists.
var ErrDuplicate = errors.New("storage: duplicate")

// Enqueue adds a message to the outbox in this transaction. A message with a
// DedupeKey that was enqueued before returns ErrDuplicate and changes nothing.
func (tx *Tx) Enqueue(m OutboxMessage) (int64, error) {
	buttons, err := jsonOrEmpty(len(m.Buttons), m.Buttons)
	if err != nil {
		return 0, err
	}
	also, err := jsonOrEmpty(len(m.Also), m.Also)
	if err != nil {
		return 0, err
	}
	nb := tx.nowArg()
	if !m.NotBefore.IsZero() {
		nb = unix(m.NotBefore)
	}
	var dedupe sql.NullString
	if m.DedupeKey != "" {
		dedupe = sql.NullString{String: m.DedupeKey, Valid: true}
	}
	res, err := tx.exec(`INSERT INTO outbox (community_id, platform, chat_key, user_key, user_name, text, buttons, ref, edit_ref,
		callback_id, dedupe_key, created_at, not_before, scrub_key, blob_id, expires_at, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(m.CommunityID), m.Platform, m.ChatKey, m.UserKey, m.UserName, m.Text, buttons, m.Ref, m.EditRef,
		m.CallbackID, dedupe, tx.nowArg(), nb, m.ScrubKey, nullID(m.BlobID), nullTime(m.ExpiresAt), also)
	if err != nil {
		if isConstraint(err) && m.DedupeKey != "" {
			return 0, ErrDuplicate
		}
		return 0, fmt.Errorf("enqueue: %w", err)
	}
	tx.enqueued++
	return res.LastInsertId()
}

// pendingOutboxQuery is PendingOutbox's statement (platform, now, limit).
const pendingOutboxQuery = `SELECT ` + outboxColumns + `
		FROM outbox o WHERE o.platform = ? AND o.status = 'pending' AND (o.expires_at IS NULL OR o.expires_at > ?)
		ORDER BY o.id LIMIT ?`

// PendingOutbox returns up to limit unsent messages of a platform due at now, oldest first.
func (db *DB) PendingOutbox(ctx context.Context, platform string, now time.Time, limit int) ([]OutboxMessage, error) {
	rows, err := db.readQuery(ctx, pendingOutboxQuery, platform, unix(now), limit)
	if err != nil {
		return nil, err
	}
	return scanOutbox(rows)
}

// MarkSent records the delivery of an outbox message.
func (db *DB) MarkSent(ctx context.Context, id int64, platformMsgID string, at time.Time) error {
	return db.writeOne(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, platform_msg_id = ?, attempts = attempts + 1, `+scrubbed+`
		WHERE id = ?`, unix(at), platformMsgID, id)
}

// Delivery is one sent outbox message and the platform's id for it.
type Delivery struct {
	ID            int64
	PlatformMsgID string
}

// MarkSentBatch records several deliveries. They are not committed on their
// own: the writer's transaction running now (or the next one) applies them
// just before it commits, so under load they ride along in a group commit
// instead of costing a commit each pass. It returns once they are committed;
// if that fails they stay queued for a later transaction.
func (db *DB) MarkSentBatch(ctx context.Context, ds []Delivery, at time.Time) error {
	if len(ds) == 0 {
		return nil
	}
	return db.flushMarks(ctx, db.marks.add(ds, unix(at)))
}

// MarkRetry records a failed attempt and when to try again.
func (db *DB) MarkRetry(ctx context.Context, id int64, errText string, next time.Time) error {
	return db.writeOne(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, not_before = ? WHERE id = ?`,
		errText, unix(next), id)
}

// MarkFailed gives up on an outbox message (a permanent error); it stays for inspection.
func (db *DB) MarkFailed(ctx context.Context, id int64, errText string) error {
	return db.writeOne(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, `+scrubbed+` WHERE id = ?`, errText, id)
}

// OutboxStats counts outbox rows by status.
func (db *DB) OutboxStats(ctx context.Context) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, err
	}
	return scanCounts(rows)
}
