package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Poll states.
const (
	PollOpen   = "open"
	PollClosed = "closed"
)

// Poll acknowledgement actions (see AddPollAck).
const (
	AckVote     = "vote"
	AckChange   = "change"
	AckWithdraw = "withdraw"
)

// Poll is a vote announced in one or more groups and tallied together.
type Poll struct {
	ID, CommunityID, CreatorID int64
	GroupID                    int64 // where it was created (0: a private chat)
	Title                      string
	MaxChoices                 int // 1: single choice
	Anonymous                  bool
	PerHousehold               bool
	HideResults                bool
	Deadline                   time.Time // zero: closed by hand
	State                      string
	CreatedAt, ClosedAt        time.Time
	Options                    []string // option i+1 is Options[i]
	GroupIDs                   []int64  // the scope, in id order
}

// Open reports whether the poll still takes votes.
func (p Poll) Open() bool { return p.State == PollOpen }

// PollVoter is one row of poll_voters: who voted (never what).
type PollVoter struct {
	PollID   int64
	VoterKey string // "p:<person id>", or "h:<room>" for one vote per household
	PersonID int64
	GroupID  int64
	VotedAt  time.Time
}

// CreatePoll stores a poll with its options and groups and returns its id.
func (tx *Tx) CreatePoll(p Poll) (int64, error) {
	if p.Title == "" || len(p.Options) < 2 || len(p.GroupIDs) == 0 {
		return 0, errors.New("create poll: title, two options and a group are required")
	}
	var deadline sql.NullInt64
	if !p.Deadline.IsZero() {
		deadline = sql.NullInt64{Int64: unix(p.Deadline), Valid: true}
	}
	res, err := tx.exec(`INSERT INTO polls (community_id, creator_id, group_id, title, max_choices, anonymous, per_household,
		hide_results, deadline, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
		p.CommunityID, p.CreatorID, nullID(p.GroupID), p.Title, max(p.MaxChoices, 1), p.Anonymous, p.PerHousehold,
		p.HideResults, deadline, unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("create poll: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for i, o := range p.Options {
		if _, err := tx.exec(`INSERT INTO poll_options (poll_id, idx, text) VALUES (?, ?, ?)`, id, i+1, o); err != nil {
			return 0, fmt.Errorf("create poll option: %w", err)
		}
	}
	for _, g := range p.GroupIDs {
		if _, err := tx.exec(`INSERT OR IGNORE INTO poll_groups (poll_id, group_id) VALUES (?, ?)`, id, g); err != nil {
			return 0, fmt.Errorf("create poll group: %w", err)
		}
	}
	return id, nil
}

const pollColumns = `id, community_id, creator_id, COALESCE(group_id, 0), title, max_choices, anonymous, per_household,
	hide_results, deadline, state, created_at, closed_at FROM polls`

// FindPoll returns a community's poll with its options and groups; another
// community's poll is not found.
func (tx *Tx) FindPoll(communityID, id int64) (Poll, error) {
	polls, err := tx.polls(`SELECT `+pollColumns+` WHERE community_id = ? AND id = ?`, communityID, id)
	if err != nil {
		return Poll{}, err
	}
	if len(polls) == 0 {
		return Poll{}, ErrNotFound
	}
	return polls[0], nil
}

// OpenPollsInGroup lists the open polls announced in a group, oldest first.
func (tx *Tx) OpenPollsInGroup(groupID int64) ([]Poll, error) {
	return tx.polls(`SELECT `+pollColumns+` WHERE state = 'open' AND id IN (SELECT poll_id FROM poll_groups WHERE group_id = ?)
		ORDER BY id`, groupID)
}

// LatestPollInGroup returns the most recent poll announced in a group, open or
// closed, or ErrNotFound.
func (tx *Tx) LatestPollInGroup(groupID int64) (Poll, error) {
	polls, err := tx.polls(`SELECT `+pollColumns+` WHERE id = (SELECT MAX(poll_id) FROM poll_groups WHERE group_id = ?)`, groupID)
	if err != nil {
		return Poll{}, err
	}
	if len(polls) == 0 {
		return Poll{}, ErrNotFound
	}
	return polls[0], nil
}

// OpenPollsOfMember lists the open polls of a community whose groups the person
// has been seen in, oldest first.
func (tx *Tx) OpenPollsOfMember(communityID, personID int64) ([]Poll, error) {
	return tx.polls(`SELECT `+pollColumns+` WHERE community_id = ? AND state = 'open' AND id IN (
		SELECT pg.poll_id FROM poll_groups pg JOIN members m ON m.group_id = pg.group_id WHERE m.person_id = ?)
		ORDER BY id`, communityID, personID)
}

// OpenPolls lists every open poll of every community, oldest first.
func (tx *Tx) OpenPolls() ([]Poll, error) {
	return tx.polls(`SELECT ` + pollColumns + ` WHERE state = 'open' ORDER BY id`)
}

func (tx *Tx) polls(query string, args ...any) ([]Poll, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	var out []Poll
	for rows.Next() {
		var p Poll
		var deadline, closed sql.NullInt64
		var created int64
		if err := rows.Scan(&p.ID, &p.CommunityID, &p.CreatorID, &p.GroupID, &p.Title, &p.MaxChoices, &p.Anonymous,
			&p.PerHousehold, &p.HideResults, &deadline, &p.State, &created, &closed); err != nil {
			rows.Close()
			return nil, err
		}
		p.CreatedAt = fromUnix(created)
		if deadline.Valid {
			p.Deadline = fromUnix(deadline.Int64)
		}
		if closed.Valid {
			p.ClosedAt = fromUnix(closed.Int64)
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := tx.loadPollParts(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (tx *Tx) loadPollParts(p *Poll) error {
	rows, err := tx.query(`SELECT text FROM poll_options WHERE poll_id = ? ORDER BY idx`, p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		p.Options = append(p.Options, s)
	}
	rows.Close()
	p.GroupIDs, err = tx.int64s(`SELECT group_id FROM poll_groups WHERE poll_id = ? ORDER BY group_id`, p.ID)
	return err
}

func (tx *Tx) int64s(query string, args ...any) ([]int64, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ClosePoll closes an open poll. It reports false when the poll was already closed.
func (tx *Tx) ClosePoll(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE polls SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'`, unix(tx.Now), id)
	if err != nil {
		return false, fmt.Errorf("close poll: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// PollMemberGroup returns the first of the poll's groups the person has been seen
// in, preferring prefer; ErrNotFound when the person is not in the electorate.
func (tx *Tx) PollMemberGroup(pollID, personID, prefer int64) (int64, error) {
	var g int64
	err := tx.queryRow(`SELECT m.group_id FROM members m JOIN poll_groups pg ON pg.group_id = m.group_id
		WHERE pg.poll_id = ? AND m.person_id = ? ORDER BY m.group_id = ? DESC, m.group_id LIMIT 1`,
		pollID, personID, prefer).Scan(&g)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return g, err
}

// FindPollVoter returns who cast the vote under voterKey, or ErrNotFound.
func (tx *Tx) FindPollVoter(pollID int64, voterKey string) (PollVoter, error) {
	v := PollVoter{PollID: pollID, VoterKey: voterKey}
	var at int64
	err := tx.queryRow(`SELECT person_id, COALESCE(group_id, 0), voted_at FROM poll_voters WHERE poll_id = ? AND voter_key = ?`,
		pollID, voterKey).Scan(&v.PersonID, &v.GroupID, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	v.VotedAt = fromUnix(at)
	return v, err
}

// FindBallot returns the choices stored under a ballot key, or ErrNotFound.
func (tx *Tx) FindBallot(pollID int64, ballotKey string) ([]int, error) {
	var s string
	err := tx.queryRow(`SELECT choices FROM ballots WHERE poll_id = ? AND ballot_key = ?`, pollID, ballotKey).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return ParseChoices(s)
}

// CastBallot records a vote: who voted (v) and what was chosen, under ballotKey
// (the voter key for named polls, a keyed hash for anonymous ones). castAt is
// stored with the ballot; anonymous polls pass a time that says nothing about
// the voter. Voting again replaces the earlier choices and reports replaced.
func (tx *Tx) CastBallot(v PollVoter, ballotKey string, choices []int, castAt time.Time) (replaced bool, err error) {
	if len(choices) == 0 {
		return false, errors.New("cast ballot: no choice")
	}
	res, err := tx.exec(`INSERT INTO poll_voters (poll_id, voter_key, person_id, group_id, voted_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (poll_id, voter_key) DO UPDATE SET person_id = excluded.person_id, group_id = excluded.group_id,
		voted_at = excluded.voted_at`, v.PollID, v.VoterKey, v.PersonID, nullID(v.GroupID), unix(tx.Now))
	if err != nil {
		return false, fmt.Errorf("cast ballot: %w", err)
	}
	_ = res
	res, err = tx.exec(`UPDATE ballots SET choices = ? WHERE poll_id = ? AND ballot_key = ?`, FormatChoices(choices), v.PollID, ballotKey)
	if err != nil {
		return false, fmt.Errorf("cast ballot: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	if _, err := tx.exec(`INSERT INTO ballots (poll_id, ballot_key, choices, cast_at) VALUES (?, ?, ?, ?)`,
		v.PollID, ballotKey, FormatChoices(choices), unix(castAt)); err != nil {
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

// GroupTurnout is how many of a group's members (or households) voted in a poll.
type GroupTurnout struct {
	GroupID         int64
	Name            string
	Voters          int
	Eligible        int
	NonVoters       []string // names (or rooms) of those who have not voted
	NonVotersHidden int      // how many more were left off the list
}

// electorate is the SQL of a poll's eligible voter keys (as column k, with a name n and group g).
func electorate(perHousehold bool) string {
	if perHousehold {
		return `SELECT DISTINCT 'h:' || p.room AS k, p.room AS n, m.group_id AS g FROM poll_groups pg
			CROSS JOIN members m ON m.group_id = pg.group_id CROSS JOIN people p ON p.id = m.person_id
			WHERE pg.poll_id = ? AND p.room <> ''`
	}
	// CROSS JOIN: the poll's groups, their members, each person; whatever the statistics say.
	return `SELECT DISTINCT 'p:' || p.id AS k, p.name AS n, m.group_id AS g FROM poll_groups pg
		CROSS JOIN members m ON m.group_id = pg.group_id CROSS JOIN people p ON p.id = m.person_id
		WHERE pg.poll_id = ?`
}

// PollTurnout returns the number of voters and of eligible voters (distinct
// members, or households, of the poll's groups).
func (tx *Tx) PollTurnout(pollID int64, perHousehold bool) (voters, eligible int, err error) {
	if err := tx.queryRow(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ?`, pollID).Scan(&voters); err != nil {
		return 0, 0, err
	}
	err = tx.queryRow(`SELECT COUNT(DISTINCT k) FROM (`+electorate(perHousehold)+`)`, pollID).Scan(&eligible)
	// Someone whose household was registered after voting still counts as a voter.
	return voters, max(eligible, voters), err
}

// PollTurnoutByGroup returns each group's turnout, with up to listLimit names of
// members (or households) who have not voted yet. It never says what anyone chose.
func (tx *Tx) PollTurnoutByGroup(pollID int64, perHousehold bool, listLimit int) ([]GroupTurnout, error) {
	rows, err := tx.query(`SELECT e.g, gr.name, e.k, e.n, EXISTS (SELECT 1 FROM poll_voters v WHERE v.poll_id = ? AND v.voter_key = e.k)
		FROM (`+electorate(perHousehold)+`) e JOIN groups gr ON gr.id = e.g ORDER BY e.g, e.n`, pollID, pollID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GroupTurnout
	for rows.Next() {
		var g int64
		var name, key, who string
		var voted bool
		if err := rows.Scan(&g, &name, &key, &who, &voted); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].GroupID != g {
			out = append(out, GroupTurnout{GroupID: g, Name: name})
		}
		t := &out[len(out)-1]
		t.Eligible++
		switch {
		case voted:
			t.Voters++
		case len(t.NonVoters) < listLimit:
			t.NonVoters = append(t.NonVoters, who)
		default:
			t.NonVotersHidden++
		}
	}
	return out, rows.Err()
}

// NamedBallot is one vote of a named poll, for the staff's export.
type NamedBallot struct {
	Name, Room, Group string
	Choices           []int
	CastAt            time.Time
}

// NamedBallots lists who chose what in a named poll (ballot key = voter key).
// Anonymous polls have no such link: the list is empty.
func (tx *Tx) NamedBallots(pollID int64) ([]NamedBallot, error) {
	rows, err := tx.query(`SELECT p.name, p.room, COALESCE(g.name, ''), b.choices, b.cast_at FROM poll_voters v
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
		if err := rows.Scan(&b.Name, &b.Room, &b.Group, &choices, &at); err != nil {
			return nil, err
		}
		if b.Choices, err = ParseChoices(choices); err != nil {
			return nil, err
		}
		b.CastAt = fromUnix(at)
		out = append(out, b)
	}
	return out, rows.Err()
}

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
