package storage

import (
	"errors"
	"fmt"
	"time"
)

// Notice is an announcement posted to groups (N1, N2, … per community); one
// that NeedsAck asks every member to confirm they read it.
type Notice struct {
	ID, CommunityID, CreatorID int64
	Number                     int64
	Text                       string
	NeedsAck                   bool
	ClosesAt, CreatedAt        time.Time
	GroupIDs                   []int64
}

// Open reports whether confirmations are still taken at t.
func (n Notice) Open(t time.Time) bool { return t.Before(n.ClosesAt) }

// CreateNotice stores a notice with its groups and the next number of its community.
func (tx *Tx) CreateNotice(n Notice) (Notice, error) {
	if n.Text == "" || len(n.GroupIDs) == 0 || n.ClosesAt.IsZero() {
		return n, errors.New("create notice: text, closing time and a group are required")
	}
	if err := tx.queryRow(`SELECT COALESCE(MAX(number), 0) + 1 FROM notices WHERE community_id = ?`, n.CommunityID).Scan(&n.Number); err != nil {
		return n, err
	}
	res, err := tx.exec(`INSERT INTO notices (community_id, number, creator_id, text, needs_ack, closes_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, n.CommunityID, n.Number, n.CreatorID, n.Text, n.NeedsAck, unix(n.ClosesAt), unix(tx.Now))
	if err != nil {
		return n, fmt.Errorf("create notice: %w", err)
	}
	if n.ID, err = res.LastInsertId(); err != nil {
		return n, err
	}
	for _, g := range n.GroupIDs {
		if _, err := tx.exec(`INSERT OR IGNORE INTO notice_groups (notice_id, group_id) VALUES (?, ?)`, n.ID, g); err != nil {
			return n, fmt.Errorf("create notice group: %w", err)
		}
	}
	n.CreatedAt = tx.Now
	return n, nil
}

const noticeColumns = `SELECT id, community_id, number, creator_id, text, needs_ack, closes_at, created_at FROM notices`

// FindNotice returns a community's notice by its number.
func (tx *Tx) FindNotice(communityID, number int64) (Notice, error) {
	list, err := tx.notices(noticeColumns+` WHERE community_id = ? AND number = ?`, communityID, number)
	if err != nil {
		return Notice{}, err
	}
	if len(list) == 0 {
		return Notice{}, ErrNotFound
	}
	return list[0], nil
}

// OpenAckNoticesInGroup lists the notices awaiting confirmation in a group at t, newest first.
func (tx *Tx) OpenAckNoticesInGroup(groupID int64, t time.Time) ([]Notice, error) {
	return tx.notices(noticeColumns+` WHERE needs_ack = 1 AND closes_at > ?
		AND id IN (SELECT notice_id FROM notice_groups WHERE group_id = ?) ORDER BY id DESC`, unix(t), groupID)
}

// OpenAckNotices lists every community's notices awaiting confirmation at t, oldest first.
func (tx *Tx) OpenAckNotices(t time.Time) ([]Notice, error) {
	return tx.notices(noticeColumns+` WHERE needs_ack = 1 AND closes_at > ? ORDER BY id`, unix(t))
}

func (tx *Tx) notices(query string, args ...any) ([]Notice, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	var out []Notice
	for rows.Next() {
		var n Notice
		var closes, created int64
		if err := rows.Scan(&n.ID, &n.CommunityID, &n.Number, &n.CreatorID, &n.Text, &n.NeedsAck, &closes, &created); err != nil {
			rows.Close()
			return nil, err
		}
		n.ClosesAt, n.CreatedAt = fromUnix(closes), fromUnix(created)
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].GroupIDs, err = tx.int64s(`SELECT group_id FROM notice_groups WHERE notice_id = ? ORDER BY group_id`, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AckNotice records that a person confirmed a notice; it reports false when
// they had already.
func (tx *Tx) AckNotice(noticeID, personID, groupID int64) (bool, error) {
	res, err := tx.exec(`INSERT OR IGNORE INTO notice_acks (notice_id, person_id, group_id, at) VALUES (?, ?, ?, ?)`,
		noticeID, personID, nullID(groupID), unix(tx.Now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// NoticeTurnout is a notice's confirmations in one group: counts, and the
// names of members who have not confirmed (up to a limit). With a configured
// number of residents (config: residents) Eligible is that number.
type NoticeTurnout struct {
	GroupTurnout
	Building   string // the group's building name, "" for other groups
	Configured bool
}

// NoticeTurnoutByGroup returns each group's confirmations against its members
// (the people seen there, as for polls, less staff and the notice's author),
// with up to listLimit names of those who have not confirmed.
func (tx *Tx) NoticeTurnoutByGroup(noticeID int64, listLimit int) ([]NoticeTurnout, error) {
	rows, err := tx.query(`SELECT ng.group_id, g.name, COALESCE(b.name, ''), g.residents, p.name,
		EXISTS (SELECT 1 FROM notice_acks a WHERE a.notice_id = ng.notice_id AND a.person_id = p.id)
		FROM notice_groups ng CROSS JOIN groups g ON g.id = ng.group_id LEFT JOIN buildings b ON b.id = g.building_id
		CROSS JOIN members m ON m.group_id = ng.group_id
		CROSS JOIN people p ON p.id = m.person_id
		WHERE ng.notice_id = ? AND p.id <> (SELECT creator_id FROM notices WHERE id = ng.notice_id)
		AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.person_id = p.id AND r.role IN ('staff', 'admin'))
		ORDER BY ng.group_id, p.name`, noticeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NoticeTurnout
	for rows.Next() {
		var g int64
		var residents int
		var group, building, who string
		var acked bool
		if err := rows.Scan(&g, &group, &building, &residents, &who, &acked); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].GroupID != g {
			out = append(out, NoticeTurnout{GroupTurnout: GroupTurnout{GroupID: g, Name: group, Eligible: residents},
				Building: building, Configured: residents > 0})
		}
		t := &out[len(out)-1]
		if !t.Configured {
			t.Eligible++
		}
		switch {
		case acked:
			t.Voters++
		case len(t.NonVoters) < listLimit:
			t.NonVoters = append(t.NonVoters, who)
		default:
			t.NonVotersHidden++
		}
	}
	for i := range out {
		// Someone who confirmed beyond the configured count still counts.
		out[i].Eligible = max(out[i].Eligible, out[i].Voters)
	}
	return out, rows.Err()
}

// NoticeUnconfirmed lists the members of a notice's groups who have not
// confirmed it (each person once), for private reminders.
func (tx *Tx) NoticeUnconfirmed(noticeID int64) ([]Person, error) {
	return tx.findPeople(`SELECT DISTINCT m.person_id FROM notice_groups ng JOIN members m ON m.group_id = ng.group_id
		WHERE ng.notice_id = ? AND m.person_id NOT IN (SELECT person_id FROM notice_acks WHERE notice_id = ?)
		AND m.person_id NOT IN (SELECT person_id FROM roles WHERE role IN ('staff', 'admin'))
		AND m.person_id <> (SELECT creator_id FROM notices WHERE id = ?)
		ORDER BY m.person_id`, noticeID, noticeID, noticeID)
}
