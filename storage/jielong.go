package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Jielong is a 接龙: the canonical list of one group, title and day.
type Jielong struct {
	ID, CommunityID, GroupID int64
	Title, Day               string
	Description, Example     string
	Deadline, ClosedAt       time.Time // zero: none, open
	CreatorID                int64
	CreatedAt                time.Time
	Posts                    int
}

// Open reports whether the 接龙 still takes lines.
func (j Jielong) Open() bool { return j.ClosedAt.IsZero() }

// JielongLine is one line of a 接龙's canonical list.
type JielongLine struct {
	ID, JielongID     int64
	Pos               int
	Key, Name, Text   string
	Count             int
	Note              string
	AuthorID          int64
	AddedAt, EditedAt time.Time
	RemovedAt, LostAt time.Time
	AuthorName        string // filled by JielongLines
}

const jielongCols = `id, community_id, group_id, title, day, description, example, deadline, closed_at,
	COALESCE(creator_id, 0), created_at, posts`

func scanJielong(row interface{ Scan(...any) error }) (Jielong, error) {
	var j Jielong
	var deadline, closed sql.NullInt64
	var created int64
	err := row.Scan(&j.ID, &j.CommunityID, &j.GroupID, &j.Title, &j.Day, &j.Description, &j.Example, &deadline, &closed,
		&j.CreatorID, &created, &j.Posts)
	if errors.Is(err, sql.ErrNoRows) {
		return j, ErrNotFound
	}
	j.Deadline, j.ClosedAt, j.CreatedAt = fromNull(deadline), fromNull(closed), fromUnix(created)
	return j, err
}

// CreateJielong starts a 接龙; ErrDuplicate when the group has one of this title that day.
func (tx *Tx) CreateJielong(j Jielong) (int64, error) {
	res, err := tx.exec(`INSERT INTO jielong (community_id, group_id, title, day, description, example, deadline, creator_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, j.CommunityID, j.GroupID, j.Title, j.Day, j.Description, j.Example,
		nullTime(j.Deadline), nullID(j.CreatorID), unix(tx.Now))
	if err != nil {
		if isConstraint(err) {
			return 0, ErrDuplicate
		}
		return 0, fmt.Errorf("create jielong: %w", err)
	}
	return res.LastInsertId()
}

// FindJielong finds a 接龙 by id.
func (tx *Tx) FindJielong(id int64) (Jielong, error) {
	return scanJielong(tx.queryRow(`SELECT `+jielongCols+` FROM jielong WHERE id = ?`, id))
}

// LatestJielong finds the group's newest 接龙 of a title: the one a re-post continues.
func (tx *Tx) LatestJielong(groupID int64, title string) (Jielong, error) {
	return scanJielong(tx.queryRow(`SELECT `+jielongCols+` FROM jielong WHERE group_id = ? AND title = ?
		ORDER BY created_at DESC, id DESC LIMIT 1`, groupID, title))
}

// GroupJielongs lists a group's 接龙 created since since, newest first.
func (tx *Tx) GroupJielongs(groupID int64, since time.Time) ([]Jielong, error) {
	return tx.jielongs(`SELECT `+jielongCols+` FROM jielong WHERE group_id = ? AND created_at >= ? ORDER BY created_at DESC, id DESC`,
		groupID, unix(since))
}

// CommunityJielongs lists a community's 接龙 created in [from, to), oldest first.
func (tx *Tx) CommunityJielongs(communityID int64, from, to time.Time) ([]Jielong, error) {
	return tx.jielongs(`SELECT `+jielongCols+` FROM jielong WHERE community_id = ? AND created_at >= ? AND created_at < ?
		ORDER BY created_at, id`, communityID, unix(from), unix(to))
}

// DueJielongs lists open 接龙 whose deadline is at or before now.
func (tx *Tx) DueJielongs(now time.Time) ([]Jielong, error) {
	return tx.jielongs(`SELECT `+jielongCols+` FROM jielong WHERE closed_at IS NULL AND deadline IS NOT NULL AND deadline <= ?
		ORDER BY deadline, id`, unix(now))
}

func (tx *Tx) jielongs(query string, args ...any) ([]Jielong, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("jielongs: %w", err)
	}
	defer rows.Close()
	var out []Jielong
	for rows.Next() {
		j, err := scanJielong(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// TouchJielong counts a post and keeps the newest description and example.
func (tx *Tx) TouchJielong(id int64, description, example string) error {
	_, err := tx.exec(`UPDATE jielong SET posts = posts + 1, description = ?, example = ? WHERE id = ?`, description, example, id)
	return err
}

// CloseJielong closes an open 接龙; it reports false when it was closed already.
func (tx *Tx) CloseJielong(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE jielong SET closed_at = ? WHERE id = ? AND closed_at IS NULL`, unix(tx.Now), id)
	if err != nil {
		return false, fmt.Errorf("close jielong: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// JielongLines lists a 接龙's lines in order, withdrawn ones included, with their authors' names.
func (tx *Tx) JielongLines(jielongID int64) ([]JielongLine, error) {
	rows, err := tx.query(`SELECT l.id, l.jielong_id, l.pos, l.key, l.name, l.text, l.count, l.note, COALESCE(l.author_id, 0),
		l.added_at, l.edited_at, l.removed_at, l.lost_at, COALESCE(p.name, '')
		FROM jielong_lines l LEFT JOIN people p ON p.id = l.author_id WHERE l.jielong_id = ? ORDER BY l.pos, l.id`, jielongID)
	if err != nil {
		return nil, fmt.Errorf("jielong lines: %w", err)
	}
	defer rows.Close()
	var out []JielongLine
	for rows.Next() {
		var l JielongLine
		var added int64
		var edited, removed, lost sql.NullInt64
		if err := rows.Scan(&l.ID, &l.JielongID, &l.Pos, &l.Key, &l.Name, &l.Text, &l.Count, &l.Note, &l.AuthorID,
			&added, &edited, &removed, &lost, &l.AuthorName); err != nil {
			return nil, err
		}
		l.AddedAt, l.EditedAt, l.RemovedAt, l.LostAt = fromUnix(added), fromNull(edited), fromNull(removed), fromNull(lost)
		out = append(out, l)
	}
	return out, rows.Err()
}

// AddJielongLine appends a line after the last one.
func (tx *Tx) AddJielongLine(l JielongLine) (int64, error) {
	res, err := tx.exec(`INSERT INTO jielong_lines (jielong_id, pos, key, name, text, count, note, author_id, added_at)
		VALUES (?, (SELECT COALESCE(MAX(pos), 0) + 1 FROM jielong_lines WHERE jielong_id = ?), ?, ?, ?, ?, ?, ?, ?)`,
		l.JielongID, l.JielongID, l.Key, l.Name, l.Text, l.Count, l.Note, nullID(l.AuthorID), unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("add jielong line: %w", err)
	}
	return res.LastInsertId()
}

// EditJielongLine replaces a line's text (and brings back a withdrawn line).
func (tx *Tx) EditJielongLine(id int64, text string, count int, note string) error {
	_, err := tx.exec(`UPDATE jielong_lines SET text = ?, count = ?, note = ?, edited_at = ?, removed_at = NULL WHERE id = ?`,
		text, count, note, unix(tx.Now), id)
	return err
}

// RestoreJielongLine brings back a withdrawn line posted again unchanged.
func (tx *Tx) RestoreJielongLine(id int64) error {
	_, err := tx.exec(`UPDATE jielong_lines SET removed_at = NULL WHERE id = ?`, id)
	return err
}

// RemoveJielongLine marks a line withdrawn by its author.
func (tx *Tx) RemoveJielongLine(id int64) error {
	_, err := tx.exec(`UPDATE jielong_lines SET removed_at = ? WHERE id = ?`, unix(tx.Now), id)
	return err
}

// MarkJielongLineLost records that a line's loss was told; it reports false
// when it had been told before.
func (tx *Tx) MarkJielongLineLost(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE jielong_lines SET lost_at = ? WHERE id = ? AND lost_at IS NULL`, unix(tx.Now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
