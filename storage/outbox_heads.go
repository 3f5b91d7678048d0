package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// outboxColumns are the columns scanOutbox reads, for a query "FROM outbox o".
// The message an edit replaces is found through outbox_ref, by its ref: the
// condition that e.ref is not empty lets SQLite use that partial index,
// INDEXED BY makes it. With or without statistics SQLite otherwise walked
// every sent message newest first, each looked up for its ref — the whole
// outbox for an edit whose message was not sent yet: ~1 s a pending edit
// after a million messages, a read that kept the writer from truncating the
// log (issue 20).
const outboxColumns = `o.id, COALESCE(o.community_id, 0), o.platform, o.chat_key, o.user_key, o.user_name,
	o.text, o.buttons, o.ref, o.edit_ref, o.callback_id, COALESCE(o.dedupe_key, ''), o.not_before, o.attempts,
	COALESCE((SELECT e.platform_msg_id FROM outbox e INDEXED BY outbox_ref WHERE o.edit_ref <> '' AND e.platform = o.platform
		AND e.ref = o.edit_ref AND e.ref <> '' AND e.status = 'sent' ORDER BY e.id DESC LIMIT 1), ''), COALESCE(o.blob_id, 0), o.mentions`

// pendingHeadsQuery is PendingHeads' statement (platform, afterID, limit).
const pendingHeadsQuery = `SELECT ` + outboxColumns + ` FROM outbox o WHERE o.id IN (
		SELECT MIN(id) FROM outbox WHERE platform = ? AND status = 'pending' AND id > ?
		GROUP BY CASE WHEN callback_id <> '' THEN 'cb:' || callback_id WHEN chat_key = '' THEN '@' || user_key ELSE chat_key END)
		ORDER BY o.id LIMIT ?`

// PendingHeads returns, for each chat with a pending message of the platform
// after afterID, its oldest such message, oldest first, at most limit. A chat
// is what the dispatcher paces: the answer to one button press, a private
// chat (by user), or a group chat. The dispatcher reads it behind a full batch
// of the oldest messages, so one busy chat cannot hide every other chat.
func (db *DB) PendingHeads(ctx context.Context, platform string, afterID int64, limit int) ([]OutboxMessage, error) {
	rows, err := db.readQuery(ctx, pendingHeadsQuery, platform, afterID, limit)
	if err != nil {
		return nil, err
	}
	return scanOutbox(rows)
}

// AnswerAsPost turns the answer to a button press into an ordinary post to
// its chat (the press could not take it as a toast), still pending.
func (db *DB) AnswerAsPost(ctx context.Context, id int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE outbox SET callback_id = '' WHERE id = ? AND status = 'pending'`, id)
		return err
	})
}

// scanOutbox reads rows of outboxColumns and closes them.
func scanOutbox(rows *sql.Rows) ([]OutboxMessage, error) {
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		var m OutboxMessage
		var buttons, also string
		var nb int64
		if err := rows.Scan(&m.ID, &m.CommunityID, &m.Platform, &m.ChatKey, &m.UserKey, &m.UserName, &m.Text, &buttons,
			&m.Ref, &m.EditRef, &m.CallbackID, &m.DedupeKey, &nb, &m.Attempts, &m.EditID, &m.BlobID, &also); err != nil {
			return nil, err
		}
		if also != "" {
			if err := json.Unmarshal([]byte(also), &m.Also); err != nil {
				return nil, fmt.Errorf("outbox %d: mentions: %w", m.ID, err)
			}
		}
		m.NotBefore = fromUnix(nb)
		if buttons != "" {
			if err := json.Unmarshal([]byte(buttons), &m.Buttons); err != nil {
				return nil, fmt.Errorf("outbox %d: buttons: %w", m.ID, err)
			}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
