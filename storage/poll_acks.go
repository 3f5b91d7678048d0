package storage

import (
	"time"
)

// AddPollAck notes a vote, change or withdrawal for the group's next coalesced
// acknowledgement. A change after a vote not yet acknowledged stays a vote; a
// withdrawal of a vote not yet acknowledged leaves nothing to say.
func (tx *Tx) AddPollAck(pollID, groupID, personID int64, action string) error {
	if action == AckWithdraw {
		res, err := tx.exec(`DELETE FROM poll_acks WHERE poll_id = ? AND group_id = ? AND person_id = ? AND action = 'vote'`,
			pollID, groupID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
	}
	_, err := tx.exec(`INSERT INTO poll_acks (poll_id, group_id, person_id, action, at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (poll_id, group_id, person_id) DO UPDATE SET
		action = CASE WHEN poll_acks.action = 'vote' AND excluded.action = 'change' THEN 'vote' ELSE excluded.action END`,
		pollID, groupID, personID, action, unix(tx.Now))
	return err
}

// PollAck is a pending acknowledgement.
type PollAck struct {
	PollID, GroupID int64
	Name, Action    string
}

// TakePollAcks removes and returns the pending acknowledgements of every (poll,
// group) whose oldest one was noted at or before due; all of a poll's when
// pollID is not 0. They come ordered by poll, group and time.
func (tx *Tx) TakePollAcks(due time.Time, pollID int64) ([]PollAck, error) {
	where := `(a.poll_id, a.group_id) IN (SELECT poll_id, group_id FROM poll_acks GROUP BY poll_id, group_id HAVING MIN(at) <= ?)`
	arg := unix(due)
	if pollID != 0 {
		where, arg = `a.poll_id = ?`, pollID
	}
	rows, err := tx.query(`SELECT a.poll_id, a.group_id, p.name, a.action FROM poll_acks a JOIN people p ON p.id = a.person_id
		WHERE `+where+` ORDER BY a.poll_id, a.group_id, a.at, a.rowid`, arg)
	if err != nil {
		return nil, err
	}
	var out []PollAck
	for rows.Next() {
		var a PollAck
		if err := rows.Scan(&a.PollID, &a.GroupID, &a.Name, &a.Action); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, a := range out {
		if _, err := tx.exec(`DELETE FROM poll_acks WHERE poll_id = ? AND group_id = ?`, a.PollID, a.GroupID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
