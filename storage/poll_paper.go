package storage

// BallotSources counts a poll's ballots by where they came from: residents
// online and on paper, and the panel's sheets (scored evaluations).
type BallotSources struct {
	Online, Paper, Panel int
}

// PollBallotSources counts who voted by source; it never says what anyone chose.
func (tx *Tx) PollBallotSources(pollID int64) (BallotSources, error) {
	var s BallotSources
	err := tx.queryRow(`SELECT
		COALESCE(SUM(voter_key NOT LIKE 'j:%' AND source = 'online'), 0),
		COALESCE(SUM(voter_key NOT LIKE 'j:%' AND source = 'paper'), 0),
		COALESCE(SUM(voter_key LIKE 'j:%'), 0)
		FROM poll_voters WHERE poll_id = ?`, pollID).Scan(&s.Online, &s.Paper, &s.Panel)
	return s, err
}

// PollVoters lists who voted in a poll (never what), by voter key.
func (tx *Tx) PollVoters(pollID int64) ([]PollVoter, error) {
	rows, err := tx.query(`SELECT voter_key, person_id, COALESCE(group_id, 0), voted_at, source, collector FROM poll_voters
		WHERE poll_id = ? ORDER BY voter_key`, pollID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PollVoter
	for rows.Next() {
		v := PollVoter{PollID: pollID}
		var at int64
		if err := rows.Scan(&v.VoterKey, &v.PersonID, &v.GroupID, &at, &v.Source, &v.Collector); err != nil {
			return nil, err
		}
		v.VotedAt = fromUnix(at)
		out = append(out, v)
	}
	return out, rows.Err()
}
