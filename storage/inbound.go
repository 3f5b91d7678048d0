package storage

// MarkInbound records a platform message as handled. It reports false if the
// message was handled before (a redelivery), in which case nothing else should happen.
func (tx *Tx) MarkInbound(platform, chatKey, messageID string) (bool, error) {
	res, err := tx.exec(`INSERT OR IGNORE INTO inbound (platform, chat_key, message_id, handled_at) VALUES (?, ?, ?, ?)`,
		platform, chatKey, messageID, tx.nowArg())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
