package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Poll states.
const (
	PollOpen   = "open"
	PollClosed = "closed"
)

// Poll kinds: a choice among options, or a scored evaluation of candidates.
const (
	PollChoice = "choice"
	PollScored = "scored"
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
	// Kind is PollChoice or PollScored; the rest is only for scored
	// evaluations (see poll_scored.go): MaxChoices is then the top N.
	Kind        string
	Scale       Scale
	PanelWeight int // percent of the final score from the panel (0: residents only)
	Criteria    []Criterion
	Intros      []string // a candidate's self-presentation, as Options
	Panel       []int64  // person ids of the panel
}

// Open reports whether the poll still takes votes.
func (p Poll) Open() bool { return p.State == PollOpen }

// PollVoter is one row of poll_voters: who voted (never what).
type PollVoter struct {
	PollID    int64
	VoterKey  string // "p:<person id>", or "h:<room>" for one vote per household
	PersonID  int64  // for a paper ballot: who entered it
	GroupID   int64
	VotedAt   time.Time
	Source    string // SourceOnline (default) or SourcePaper
	Collector string // who collected a paper ballot
}

// Ballot sources.
const (
	SourceOnline = "online"
	SourcePaper  = "paper"
)

// CreatePoll stores a poll with its options and groups and returns its id.
func (tx *Tx) CreatePoll(p Poll) (int64, error) {
	if p.Title == "" || len(p.Options) < 2 || len(p.GroupIDs) == 0 {
		return 0, errors.New("create poll: title, two options and a group are required")
	}
	var deadline sql.NullInt64
	if !p.Deadline.IsZero() {
		deadline = sql.NullInt64{Int64: unix(p.Deadline), Valid: true}
	}
	if p.Kind == "" {
		p.Kind = PollChoice
	}
	res, err := tx.exec(`INSERT INTO polls (community_id, creator_id, group_id, title, max_choices, anonymous, per_household,
		hide_results, deadline, state, created_at, kind, scale_min, scale_max, panel_weight)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
		p.CommunityID, p.CreatorID, nullID(p.GroupID), p.Title, max(p.MaxChoices, 1), p.Anonymous, p.PerHousehold,
		p.HideResults, deadline, unix(tx.Now), p.Kind, p.Scale.Min, p.Scale.Max, p.PanelWeight)
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
	if p.Kind == PollScored {
		p.ID = id
		if err := tx.createScoredParts(p); err != nil {
			return 0, err
		}
	}
	return id, nil
}

const pollColumns = `id, community_id, creator_id, COALESCE(group_id, 0), title, max_choices, anonymous, per_household,
	hide_results, deadline, state, created_at, closed_at, kind, scale_min, scale_max, panel_weight FROM polls`

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

// polls reads polls with their parts; a vote reads the same ones each time,
// so they are cached by query and arguments until a poll table is written.
// A query that reads another table (a member's polls read members) is not.
func (tx *Tx) polls(query string, args ...any) ([]Poll, error) {
	if !readsOnly(query, secPolls) {
		return tx.readPolls(query, args...)
	}
	key := pollsKey(query, args)
	if v, ok := tx.cachedRow(secPolls, key); ok {
		return clonePolls(v.([]Poll)), nil
	}
	out, err := tx.readPolls(query, args...)
	if err == nil {
		tx.cacheRow(secPolls, key, clonePolls(out))
	}
	return out, err
}

// pollsKey is the cache key of a polls query: its ids as numbers when they
// are (every caller's are), else formatted.
func pollsKey(query string, args []any) rowKey {
	k := rowKey{s: query}
	for i, a := range args {
		id, ok := a.(int64)
		switch {
		case ok && i == 0:
			k.a = id
		case ok && i == 1:
			k.b = id
		default:
			return rowKey{s: query, t: fmt.Sprintf("%#v", args)}
		}
	}
	return k
}

func clonePolls(ps []Poll) []Poll {
	out := slices.Clone(ps)
	for i := range out {
		p := &out[i]
		p.Options, p.GroupIDs, p.Criteria = slices.Clone(p.Options), slices.Clone(p.GroupIDs), slices.Clone(p.Criteria)
		p.Intros, p.Panel = slices.Clone(p.Intros), slices.Clone(p.Panel)
	}
	return out
}

func (tx *Tx) readPolls(query string, args ...any) ([]Poll, error) {
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
			&p.PerHousehold, &p.HideResults, &deadline, &p.State, &created, &closed, &p.Kind, &p.Scale.Min, &p.Scale.Max,
			&p.PanelWeight); err != nil {
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
	var err error
	if p.Options, err = tx.texts(`SELECT text FROM poll_options WHERE poll_id = ? ORDER BY idx`, p.ID); err != nil {
		return err
	}
	p.GroupIDs, err = tx.int64s(`SELECT group_id FROM poll_groups WHERE poll_id = ? ORDER BY group_id`, p.ID)
	if err != nil || p.Kind != PollScored {
		return err
	}
	return tx.loadScoredParts(p)
}

func (tx *Tx) texts(query string, args ...any) ([]string, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
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
