package storage

// MarkInbound records a platform message as handled. It reports false if the
// message was handled before (a redelivery), in which case nothing else should happen.
func (tx *Tx) MarkInbound(platform, chatKey, messageID string) (bool, error) {
	k := NewInboundKey(platform, chatKey, messageID)
	return tx.MarkInboundKey(&k)
}

// InboundKey is a message's dedupe key as MarkInbound's statement takes it,
// boxed once where the message arrives, off the single writer (three
// allocations a message there otherwise).
type InboundKey struct {
	args [4]any // platform, chat, message id, and the time the statement stores
}

// NewInboundKey boxes the key MarkInbound(platform, chatKey, messageID) stores.
func NewInboundKey(platform, chatKey, messageID string) InboundKey {
	return InboundKey{args: [4]any{platform, chatKey, messageID}}
}

// MarkInboundKey is MarkInbound of a key built with NewInboundKey. The key is
// not safe for concurrent use: it holds the running transaction's time.
func (tx *Tx) MarkInboundKey(k *InboundKey) (bool, error) {
	k.args[3] = tx.nowArg()
	res, err := tx.exec(`INSERT OR IGNORE INTO inbound (platform, chat_key, message_id, handled_at) VALUES (?, ?, ?, ?)`,
		k.args[:]...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
