package storage

import "database/sql"

// MarkInbound records a platform message as handled. It reports false if the
// message was handled before (a redelivery), in which case nothing else should happen.
//
// In an optimistic pass the message is assumed new and the write handed over:
// a redelivery fails the pass, and the savepoint pass asks again.
func (tx *Tx) MarkInbound(platform, chatKey, messageID string) (bool, error) {
	args := []any{platform, chatKey, messageID, tx.nowArg()}
	var res sql.Result
	var err error
	if tx.async != nil {
		tx.traceStmt(markInbound, args)
		tx.noteWrites(markInbound, numSections)
		res, err = tx.execAsync(markInbound, args, true)
		if _, assumed := res.(*op); assumed {
			return err == nil, err
		}
	} else {
		res, err = tx.exec(markInbound, args...)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const markInbound = `INSERT OR IGNORE INTO inbound (platform, chat_key, message_id, handled_at) VALUES (?, ?, ?, ?)`
