package storage

import (
	"database/sql"
	"errors"
	"time"
)

// Conversation is a question the bot asked one person in one chat, waiting for
// their next message there (a confirmation, a missing detail).
type Conversation struct {
	CommunityID int64
	GroupID     int64 // 0 for a private chat
	PersonID    int64
	Kind        string
	Data        string
	ExpiresAt   time.Time
}

// SetConversation starts (or replaces) the person's conversation in a chat.
func (tx *Tx) SetConversation(c Conversation) error {
	_, err := tx.exec(`INSERT INTO conversations (community_id, group_id, person_id, kind, data, expires_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (group_id, person_id) DO UPDATE SET community_id = excluded.community_id, kind = excluded.kind,
			data = excluded.data, expires_at = excluded.expires_at`,
		c.CommunityID, c.GroupID, c.PersonID, c.Kind, c.Data, unix(c.ExpiresAt))
	return err
}

// FindConversation returns the person's unexpired conversation in a chat, or ErrNotFound.
// Most messages have none: that answer is cached (rows only expire, and a new
// one is a write to conversations, which empties the cache).
func (tx *Tx) FindConversation(groupID, personID int64) (Conversation, error) {
	c := Conversation{GroupID: groupID, PersonID: personID}
	key := rowKey{a: groupID, b: personID}
	if _, none := tx.cachedRow(secNoConversation, key); none {
		return c, ErrNotFound
	}
	var exp int64
	err := tx.queryRow(`SELECT community_id, kind, data, expires_at FROM conversations WHERE group_id = ? AND person_id = ? AND expires_at > ?`,
		groupID, personID, unix(tx.Now)).Scan(&c.CommunityID, &c.Kind, &c.Data, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		tx.cacheRow(secNoConversation, key, true)
		return c, ErrNotFound
	}
	c.ExpiresAt = fromUnix(exp)
	return c, err
}

// FindLapsedConversation returns the person's conversation in a chat that
// expired at most within ago: a late answer to a question the bot asked.
func (tx *Tx) FindLapsedConversation(groupID, personID int64, within time.Duration) (Conversation, error) {
	c := Conversation{GroupID: groupID, PersonID: personID}
	var exp int64
	err := tx.queryRow(`SELECT community_id, kind, data, expires_at FROM conversations
		WHERE group_id = ? AND person_id = ? AND expires_at <= ? AND expires_at > ?`,
		groupID, personID, unix(tx.Now), unix(tx.Now.Add(-within))).Scan(&c.CommunityID, &c.Kind, &c.Data, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	c.ExpiresAt = fromUnix(exp)
	return c, err
}

// EndConversation removes the person's conversation in a chat.
func (tx *Tx) EndConversation(groupID, personID int64) error {
	_, err := tx.exec(`DELETE FROM conversations WHERE group_id = ? AND person_id = ?`, groupID, personID)
	return err
}
