package storage

import (
	"fmt"
	"strings"
	"time"
)

// CreateWebLink records a one-time login link (by its nonce) for a person.
func (tx *Tx) CreateWebLink(nonce string, personID int64, expires time.Time) error {
	_, err := tx.exec(`INSERT INTO web_links (nonce, person_id, expires_at) VALUES (?, ?, ?)`, nonce, personID, unix(expires))
	if err != nil {
		return fmt.Errorf("create web link: %w", err)
	}
	return nil
}

// UseWebLink marks a link used, once: it reports false when the nonce is
// unknown, belongs to someone else, has expired or was used before. Old links
// are deleted on the way.
func (tx *Tx) UseWebLink(nonce string, personID int64, now time.Time) (bool, error) {
	if _, err := tx.exec(`DELETE FROM web_links WHERE expires_at < ?`, unix(now.Add(-24*time.Hour))); err != nil {
		return false, err
	}
	res, err := tx.exec(`UPDATE web_links SET used_at = ? WHERE nonce = ? AND person_id = ? AND used_at IS NULL AND expires_at > ?`,
		unix(now), nonce, personID, unix(now))
	if err != nil {
		return false, fmt.Errorf("use web link: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CreateWebSession stores a session under the hash of its id.
func (tx *Tx) CreateWebSession(idHash string, personID int64, expires time.Time) error {
	if _, err := tx.exec(`DELETE FROM web_sessions WHERE expires_at < ?`, unix(tx.Now)); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO web_sessions (id_hash, person_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		idHash, personID, unix(tx.Now), unix(expires))
	if err != nil {
		return fmt.Errorf("create web session: %w", err)
	}
	return nil
}

// WebSessionPerson returns the person of a live session, or ErrNotFound.
func (tx *Tx) WebSessionPerson(idHash string, now time.Time) (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT person_id FROM web_sessions WHERE id_hash = ? AND expires_at > ?`, idHash, unix(now)).Scan(&id)
	if err != nil {
		return 0, ErrNotFound
	}
	return id, nil
}

// DeleteWebSession ends a session (logout).
func (tx *Tx) DeleteWebSession(idHash string) error {
	_, err := tx.exec(`DELETE FROM web_sessions WHERE id_hash = ?`, idHash)
	return err
}

// SearchRequests finds requests of the communities whose text contains q,
// newest first: through the FTS5 trigram index for three characters or more
// (and the requests not yet indexed, directly), compared folded (Fold: Ｒ１８
// is r18); by a plain scan for shorter words (the trigram index cannot match
// them), exact.
func (tx *Tx) SearchRequests(communityIDs []int64, q string, limit int) ([]Request, error) {
	q = strings.TrimSpace(q)
	if q == "" || len(communityIDs) == 0 {
		return nil, nil
	}
	if limit <= 0 {
		limit = 100
	}
	args := anys(communityIDs)
	where := `community_id IN (` + qmarks(len(communityIDs)) + `)`
	var query string
	if len([]rune(q)) >= 3 {
		// The tail not yet in the index (normally less than a batch) is
		// searched directly, folded as the index is (Fold).
		f := Fold(q)
		query = `SELECT ` + requestColumns + ` WHERE id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH ?
			UNION ALL ` + trigramTail + ` AND instr(` + foldFunction + `(text), ?) > 0) AND +` + where
		args = append([]any{`"` + strings.ReplaceAll(f, `"`, `""`) + `"`, f}, args...)
	} else {
		query = `SELECT ` + requestColumns + ` WHERE instr(text, ?) > 0 AND ` + where
		args = append([]any{q}, args...)
	}
	rows, err := tx.query(query+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("search requests: %w", err)
	}
	return scanRequests(rows)
}

// MaxOutboxID is the newest outbox row's id (0 when empty).
func (tx *Tx) MaxOutboxID() (int64, error) {
	var id int64
	err := tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM outbox`).Scan(&id)
	return id, err
}

// DirectTexts lists the texts of direct messages to a person enqueued after
// the outbox row after, oldest first: what the bot answered a message.
func (tx *Tx) DirectTexts(platform, userKey string, after int64) ([]string, error) {
	return tx.queryStrings(`SELECT text FROM outbox WHERE id > ? AND platform = ? AND user_key = ? AND chat_key = '' ORDER BY id`,
		after, platform, userKey)
}

// queryStrings runs a query of one text column and returns its rows.
func (tx *Tx) queryStrings(query string, args ...any) ([]string, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// RecentPolls lists a community's polls, newest first.
func (tx *Tx) RecentPolls(communityID int64, limit int) ([]Poll, error) {
	return tx.polls(`SELECT `+pollColumns+` WHERE community_id = ? ORDER BY id DESC LIMIT ?`, communityID, limit)
}

// RoleStreet is a 街道 officer's role: scope is the key of a community they
// oversee; one person holds it once per community.
const RoleStreet = "street"
