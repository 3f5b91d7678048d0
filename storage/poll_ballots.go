package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FindPollVoter returns who cast the vote under voterKey, or ErrNotFound.
func (tx *Tx) FindPollVoter(pollID int64, voterKey string) (PollVoter, error) {
	v := PollVoter{PollID: pollID, VoterKey: voterKey}
	var at int64
	err := tx.queryRow(`SELECT person_id, COALESCE(group_id, 0), voted_at, source, collector FROM poll_voters
		WHERE poll_id = ? AND voter_key = ?`, pollID, voterKey).Scan(&v.PersonID, &v.GroupID, &at, &v.Source, &v.Collector)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	v.VotedAt = fromUnix(at)
	return v, err
}

// FindBallot returns the choices stored under a ballot key, or ErrNotFound.
func (tx *Tx) FindBallot(pollID int64, ballotKey string) ([]int, error) {
	s, err := tx.ballotText(pollID, ballotKey)
	if err != nil {
		return nil, err
	}
	if IsSheet(s) {
		return nil, nil // a score sheet is there; it has no choices
	}
	return ParseChoices(s)
}

// ballotText is the stored form of a ballot (choices or a score sheet), or ErrNotFound.
func (tx *Tx) ballotText(pollID int64, ballotKey string) (string, error) {
	var s string
	err := tx.queryRow(`SELECT choices FROM ballots WHERE poll_id = ? AND ballot_key = ?`, pollID, ballotKey).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return s, err
}

// CastBallot records a vote: who voted (v) and what was chosen, under ballotKey
// (the voter key for named polls, a keyed hash for anonymous ones). castAt is
// stored with the ballot; anonymous polls pass a time that says nothing about
// the voter. Voting again replaces the earlier choices and reports replaced.
func (tx *Tx) CastBallot(v PollVoter, ballotKey string, choices []int, castAt time.Time) (replaced bool, err error) {
	if len(choices) == 0 {
		return false, errors.New("cast ballot: no choice")
	}
	return tx.castBallot(v, ballotKey, FormatChoices(choices), castAt)
}

// castBallot records who voted (with the ballot's source) and the stored
// ballot, replacing an earlier one under the same keys.
func (tx *Tx) castBallot(v PollVoter, ballotKey, stored string, castAt time.Time) (replaced bool, err error) {
	if v.Source == "" {
		v.Source = SourceOnline
	}
	_, err = tx.exec(`INSERT INTO poll_voters (poll_id, voter_key, person_id, group_id, voted_at, source, collector)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (poll_id, voter_key) DO UPDATE SET person_id = excluded.person_id, group_id = excluded.group_id,
		voted_at = excluded.voted_at, source = excluded.source, collector = excluded.collector`,
		v.PollID, v.VoterKey, v.PersonID, nullID(v.GroupID), unix(tx.Now), v.Source, v.Collector)
	if err != nil {
		return false, fmt.Errorf("cast ballot: %w", err)
	}
	res, err := tx.exec(`UPDATE ballots SET choices = ? WHERE poll_id = ? AND ballot_key = ?`, stored, v.PollID, ballotKey)
	if err != nil {
		return false, fmt.Errorf("cast ballot: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	if _, err := tx.exec(`INSERT INTO ballots (poll_id, ballot_key, choices, cast_at) VALUES (?, ?, ?, ?)`,
		v.PollID, ballotKey, stored, unix(castAt)); err != nil {
		return false, fmt.Errorf("cast ballot: %w", err)
	}
	return false, nil
}

// WithdrawBallot removes a vote and its ballot. It reports false when there was none.
func (tx *Tx) WithdrawBallot(pollID int64, voterKey, ballotKey string) (bool, error) {
	res, err := tx.exec(`DELETE FROM poll_voters WHERE poll_id = ? AND voter_key = ?`, pollID, voterKey)
	if err != nil {
		return false, fmt.Errorf("withdraw ballot: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if _, err := tx.exec(`DELETE FROM ballots WHERE poll_id = ? AND ballot_key = ?`, pollID, ballotKey); err != nil {
		return false, fmt.Errorf("withdraw ballot: %w", err)
	}
	return true, nil
}

// TallyPoll counts a poll's ballots: counts[i] is the number of ballots choosing
// option i+1 (of n options); ballots is the number of ballots.
func (tx *Tx) TallyPoll(pollID int64, n int) (counts []int, ballots int, err error) {
	counts = make([]int, n)
	rows, err := tx.query(`SELECT choices FROM ballots WHERE poll_id = ?`, pollID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var s string
	for rows.Next() {
		if err := rows.Scan(&s); err != nil {
			return nil, 0, err
		}
		ballots++
		for part := range strings.SplitSeq(s, ",") {
			i, err := strconv.Atoi(part)
			if err != nil || i < 1 || i > n {
				return nil, 0, fmt.Errorf("tally poll %d: bad ballot %q", pollID, s)
			}
			counts[i-1]++
		}
	}
	return counts, ballots, rows.Err()
}

// SealBallots rewrites a closed anonymous poll's ballots in the order of their
// keys, so not even the row order of the file hints at who voted when.
func (tx *Tx) SealBallots(pollID int64) error {
	if _, err := tx.exec(`CREATE TEMP TABLE IF NOT EXISTS sealed_ballots (ballot_key TEXT, choices TEXT, cast_at INTEGER)`); err != nil {
		return err
	}
	steps := []string{
		`DELETE FROM temp.sealed_ballots`,
		`INSERT INTO temp.sealed_ballots SELECT ballot_key, choices, cast_at FROM ballots WHERE poll_id = ?`,
		`DELETE FROM ballots WHERE poll_id = ?`,
		`INSERT INTO ballots (poll_id, ballot_key, choices, cast_at) SELECT ?, ballot_key, choices, cast_at
			FROM temp.sealed_ballots ORDER BY ballot_key`,
		`DELETE FROM temp.sealed_ballots`,
	}
	for _, q := range steps {
		var args []any
		if strings.Contains(q, "?") {
			args = []any{pollID}
		}
		if _, err := tx.exec(q, args...); err != nil {
			return fmt.Errorf("seal ballots: %w", err)
		}
	}
	return nil
}

// NamedBallot is one vote of a named poll, for the staff's export.
type NamedBallot struct {
	Name, Room, Group string
	Choices           []int
	Sheet             string // a score sheet's stored form (scored evaluations), else ""
	CastAt            time.Time
	// Source is online or paper; a paper ballot's Name is who entered it,
	// Room the household it counts for, Collector who collected it.
	Source, Collector string
}

// NamedBallots lists who chose what in a named poll (ballot key = voter key).
// Anonymous polls have no such link: the list is empty.
func (tx *Tx) NamedBallots(pollID int64) ([]NamedBallot, error) {
	rows, err := tx.query(`SELECT p.name, CASE WHEN v.voter_key LIKE 'h:%' THEN substr(v.voter_key, 3) ELSE p.room END,
		COALESCE(g.name, ''), b.choices, b.cast_at, v.source, v.collector FROM poll_voters v
		JOIN ballots b ON b.poll_id = v.poll_id AND b.ballot_key = v.voter_key
		JOIN people p ON p.id = v.person_id LEFT JOIN groups g ON g.id = v.group_id
		WHERE v.poll_id = ? ORDER BY v.group_id, p.name`, pollID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NamedBallot
	for rows.Next() {
		var b NamedBallot
		var choices string
		var at int64
		if err := rows.Scan(&b.Name, &b.Room, &b.Group, &choices, &at, &b.Source, &b.Collector); err != nil {
			return nil, err
		}
		if IsSheet(choices) {
			b.Sheet = choices
		} else if b.Choices, err = ParseChoices(choices); err != nil {
			return nil, err
		}
		b.CastAt = fromUnix(at)
		out = append(out, b)
	}
	return out, rows.Err()
}

// FormatChoices is the stored form of choices: "1,3".
func FormatChoices(choices []int) string {
	parts := make([]string, len(choices))
	for i, c := range choices {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// ParseChoices reads the stored form of choices.
func ParseChoices(s string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		i, err := strconv.Atoi(part)
		if err != nil {
			return nil, fmt.Errorf("bad choices %q", s)
		}
		out = append(out, i)
	}
	return out, nil
}
