package storage

// LastClosedPollInGroup returns the poll of a group that closed last (not the
// one created last: a late "投 2" is about the poll that just ended), or ErrNotFound.
func (tx *Tx) LastClosedPollInGroup(groupID int64) (Poll, error) {
	polls, err := tx.polls(`SELECT `+pollColumns+` WHERE state = 'closed' AND id IN (SELECT poll_id FROM poll_groups WHERE group_id = ?)
		ORDER BY closed_at DESC, id DESC LIMIT 1`, groupID)
	if err != nil {
		return Poll{}, err
	}
	if len(polls) == 0 {
		return Poll{}, ErrNotFound
	}
	return polls[0], nil
}
