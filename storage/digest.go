package storage

import (
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// The queries behind the daily digest and the weekly summary. They read the
// requests and polls tables in the words of vocabulary.go; windows are [from, to).

// KindCount is how many requests of a kind and category.
type KindCount struct {
	Kind, Category string
	N              int
}

// CountNewRequests counts a community's requests created in [from, to) by kind and category.
func (tx *Tx) CountNewRequests(communityID int64, from, to time.Time) ([]KindCount, error) {
	rows, err := tx.query(`SELECT kind, category, COUNT(*) FROM requests
		WHERE community_id = ? AND created_at >= ? AND created_at < ?
		GROUP BY kind, category ORDER BY kind, COUNT(*) DESC, category`, communityID, unix(from), unix(to))
	if err != nil {
		return nil, fmt.Errorf("count new requests: %w", err)
	}
	defer rows.Close()
	var out []KindCount
	for rows.Next() {
		var k KindCount
		if err := rows.Scan(&k.Kind, &k.Category, &k.N); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// CountTicketsByState counts a community's repairs and complaints that are not
// final (open, or resolved and waiting for a rating), by state.
func (tx *Tx) CountTicketsByState(communityID int64) (map[string]int, error) {
	states := append(OpenStates(KindRepair), StateResolved)
	rows, err := tx.query(`SELECT state, COUNT(*) FROM requests
		WHERE community_id = ? AND state IN (`+liveStates+`)
			AND kind IN (`+ticketKinds+`) AND state IN (`+qmarks(len(states))+`)
		GROUP BY state`, append([]any{communityID}, strArgs(states)...)...)
	if err != nil {
		return nil, fmt.Errorf("count tickets: %w", err)
	}
	return scanCounts(rows)
}

// scanCounts reads rows of (name, count) into a map and closes them.
func scanCounts(rows *sql.Rows) (map[string]int, error) {
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// OverdueRequest is an open request past its stage's time limit, with who holds it.
type OverdueRequest struct {
	ID                   int64
	Kind, Category, Text string
	State                string
	DueAt                time.Time
	Department, Assignee string // names; both "" while staff hold it
	Reporters            int    // residents who reported it: 1 + reports merged into it
	Urgent               bool
}

// OverdueRequests lists up to limit of a community's open requests whose stage
// was due before now, the urgent (紧急) ones first, then the longest overdue,
// and how many there are in all.
func (tx *Tx) OverdueRequests(communityID int64, now time.Time, limit int) ([]OverdueRequest, int, error) {
	open := `r.state IN (` + liveStates + `) AND ((r.kind IN (` + ticketKinds + `) AND r.state IN (` + qmarks(len(ticketOpenStates)) + `))
		OR (r.kind IN (` + requestKinds + `) AND r.state IN (` + qmarks(len(requestOpenStates)) + `)))`
	args := append([]any{communityID, unix(now)}, strArgs(ticketOpenStates)...)
	args = append(args, strArgs(requestOpenStates)...)
	var total, urgent int
	if err := tx.queryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE r.urgent) FROM requests r
		WHERE r.community_id = ? AND r.stage_due_at < ? AND `+open, args...).Scan(&total, &urgent); err != nil {
		return nil, 0, fmt.Errorf("count overdue: %w", err)
	}
	// The first limit are chosen from requests_live_due alone (covering since
	// 0016), in its order (stage_due_at): the urgent ones, then the others,
	// each branch stopping at its share instead of sorting every overdue
	// request (the count above says how many urgent ones there are). Only
	// they are read from the table.
	first := func(flag string) string {
		return `SELECT r.id FROM requests r WHERE r.community_id = ? AND r.stage_due_at < ? AND ` + open + ` AND ` + flag + `
			ORDER BY r.stage_due_at, r.id LIMIT ?`
	}
	urgentArgs := append(append([]any(nil), args...), min(urgent, limit))
	rows, err := tx.query(`WITH overdue(id) AS (
			SELECT id FROM (`+first(`r.urgent`)+`)
			UNION ALL
			SELECT id FROM (`+first(`NOT r.urgent`)+`))
		SELECT r.id, r.kind, r.category, r.text, r.state, r.stage_due_at, COALESCE(d.name, ''), COALESCE(p.name, ''),
			1 + (SELECT COUNT(*) FROM requests f WHERE f.duplicate_of = r.id), r.urgent
		FROM overdue CROSS JOIN requests r ON r.id = overdue.id
		LEFT JOIN departments d ON d.id = r.department_id
		LEFT JOIN people p ON p.id = r.assignee_id
		ORDER BY r.urgent DESC, r.stage_due_at, r.id`, append(append(urgentArgs, args...), max(limit-urgent, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("overdue requests: %w", err)
	}
	defer rows.Close()
	var out []OverdueRequest
	for rows.Next() {
		var o OverdueRequest
		var due int64
		if err := rows.Scan(&o.ID, &o.Kind, &o.Category, &o.Text, &o.State, &due, &o.Department, &o.Assignee, &o.Reporters, &o.Urgent); err != nil {
			return nil, 0, err
		}
		o.DueAt = fromUnix(due)
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// CountEvents counts the distinct requests of a community that had each of the
// given actions in [from, to) (request_events.action: resolve, answer, …).
func (tx *Tx) CountEvents(communityID int64, from, to time.Time, actions ...string) (map[string]int, error) {
	// CROSS JOIN keeps this order whatever the statistics say: the window's
	// events first, then each one's request. Without statistics SQLite
	// otherwise reads every request of the community and looks up its events,
	// a thousand times slower over years of history.
	rows, err := tx.query(`SELECT e.action, COUNT(DISTINCT e.request_id) FROM request_events e
		CROSS JOIN requests r ON r.id = e.request_id
		WHERE e.created_at >= ? AND e.created_at < ? AND e.action IN (`+qmarks(len(actions))+`) AND r.community_id = ?
		GROUP BY e.action`, append(append([]any{unix(from), unix(to)}, strArgs(actions)...), communityID)...)
	if err != nil {
		return nil, fmt.Errorf("count events: %w", err)
	}
	return scanCounts(rows)
}

// CountRatings counts a community's ratings given in [from, to).
func (tx *Tx) CountRatings(communityID int64, from, to time.Time) (Ratings, error) {
	var r Ratings
	err := tx.queryRow(`SELECT
			COALESCE(SUM(rating = ?), 0), COALESCE(SUM(rating = ?), 0), COALESCE(SUM(rating = ?), 0)
		FROM requests WHERE community_id = ? AND rated_at >= ? AND rated_at < ?`,
		RatingSatisfied, RatingBasic, RatingUnsatisfied, communityID, unix(from), unix(to)).
		Scan(&r.Satisfied, &r.Basic, &r.Unsatisfied)
	if err != nil {
		return r, fmt.Errorf("count ratings: %w", err)
	}
	return r, nil
}

// RatingComment is a rating with an improvement comment.
type RatingComment struct {
	ID           int64
	Kind, Rating string
	Note         string
}

// RatingComments lists up to limit comments given with ratings in [from, to),
// oldest first, and how many there are in all.
func (tx *Tx) RatingComments(communityID int64, from, to time.Time, limit int) ([]RatingComment, int, error) {
	var total int
	where := `FROM requests WHERE community_id = ? AND rated_at >= ? AND rated_at < ? AND rating_note <> ''`
	args := []any{communityID, unix(from), unix(to)}
	if err := tx.queryRow(`SELECT COUNT(*) `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count comments: %w", err)
	}
	rows, err := tx.query(`SELECT id, kind, rating, rating_note `+where+` ORDER BY rated_at, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("rating comments: %w", err)
	}
	defer rows.Close()
	var out []RatingComment
	for rows.Next() {
		var c RatingComment
		if err := rows.Scan(&c.ID, &c.Kind, &c.Rating, &c.Note); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// PollSummary is a poll with its turnout and, once closed, its tally.
type PollSummary struct {
	ID         int64
	Title      string
	Deadline   time.Time // zero: closed by hand
	ClosedAt   time.Time
	Voters     int  // rows of poll_voters
	Eligible   int  // members of the poll's groups (households for per-household polls)
	Configured bool // Eligible is the configured electorate of every group, not members seen
	MaxChoices int  // how many options win
	Options    []string
	Tally      []int // votes per option, same order as Options
}

// OpenPollSummaries lists a community's open polls with their turnout, those closing first first.
func (tx *Tx) OpenPollSummaries(communityID int64) ([]PollSummary, error) {
	return tx.pollSummaries(`p.community_id = ? AND p.state = 'open'`, false, communityID)
}

// ClosedPollSummaries lists a community's choice polls closed in [from, to), with their tallies.
func (tx *Tx) ClosedPollSummaries(communityID int64, from, to time.Time) ([]PollSummary, error) {
	// Scored evaluations have no tally of choices: their ranking is the polls handler's.
	return tx.pollSummaries(`p.community_id = ? AND p.state = 'closed' AND p.kind = 'choice' AND p.closed_at >= ? AND p.closed_at < ?`, true,
		communityID, unix(from), unix(to))
}

func (tx *Tx) pollSummaries(where string, tally bool, args ...any) ([]PollSummary, error) {
	// A household is a person's room; a person without one counts as their own.
	// CROSS JOIN: from the poll's groups to their members to each person,
	// never a scan of everyone (which small tables' statistics can suggest).
	rows, err := tx.query(`SELECT p.id, p.title, p.max_choices, COALESCE(p.deadline, 0), COALESCE(p.closed_at, 0),
			(SELECT COUNT(*) FROM poll_voters v WHERE v.poll_id = p.id AND v.voter_key NOT LIKE 'j:%'), -- not an evaluation's panel
			(SELECT COUNT(DISTINCT CASE WHEN p.per_household = 1 AND pe.room <> '' THEN 'h:' || pe.room ELSE 'p:' || pe.id END)
				FROM poll_groups pg CROSS JOIN members m ON m.group_id = pg.group_id CROSS JOIN people pe ON pe.id = m.person_id
				WHERE pg.poll_id = p.id),
			(SELECT COUNT(*) = COALESCE(SUM(CASE WHEN p.per_household = 1 THEN g.households ELSE g.residents END > 0), -1)
				FROM poll_groups pg JOIN groups g ON g.id = pg.group_id WHERE pg.poll_id = p.id),
			(SELECT COALESCE(SUM(CASE WHEN p.per_household = 1 THEN g.households ELSE g.residents END), 0)
				FROM poll_groups pg JOIN groups g ON g.id = pg.group_id WHERE pg.poll_id = p.id)
		FROM polls p WHERE `+where+`
		ORDER BY p.deadline IS NULL, p.deadline, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("polls: %w", err)
	}
	var out []PollSummary
	for rows.Next() {
		var p PollSummary
		var deadline, closed int64
		var configured int
		if err := rows.Scan(&p.ID, &p.Title, &p.MaxChoices, &deadline, &closed, &p.Voters, &p.Eligible, &p.Configured, &configured); err != nil {
			rows.Close()
			return nil, err
		}
		if p.Configured {
			p.Eligible = max(configured, p.Voters)
		}
		if deadline != 0 {
			p.Deadline = fromUnix(deadline)
		}
		if closed != 0 {
			p.ClosedAt = fromUnix(closed)
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if tally {
		for i := range out {
			if err := tx.tallyPoll(&out[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// tallyPoll fills in a poll's options and the votes each got (TallyPoll).
func (tx *Tx) tallyPoll(p *PollSummary) error {
	rows, err := tx.query(`SELECT text FROM poll_options WHERE poll_id = ? ORDER BY idx`, p.ID)
	if err != nil {
		return fmt.Errorf("poll %d options: %w", p.ID, err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		p.Options = append(p.Options, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	p.Tally, _, err = tx.TallyPoll(p.ID, len(p.Options))
	return err
}

func qmarks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func strArgs(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
