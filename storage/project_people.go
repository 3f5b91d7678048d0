package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// FollowProject makes a person follow a project. An automatic follow (any
// reason but FollowSelf) never brings back someone who left; FollowSelf does.
// It reports whether the person follows now and did not before.
func (tx *Tx) FollowProject(projectID, personID int64, reason string) (bool, error) {
	var res sql.Result
	var err error
	if reason == FollowSelf {
		res, err = tx.exec(`INSERT INTO project_followers (project_id, person_id, reason, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (project_id, person_id) DO UPDATE SET left = 0 WHERE left = 1`, projectID, personID, reason, unix(tx.Now))
	} else {
		res, err = tx.exec(`INSERT OR IGNORE INTO project_followers (project_id, person_id, reason, created_at) VALUES (?, ?, ?, ?)`,
			projectID, personID, reason, unix(tx.Now))
	}
	if err != nil {
		return false, fmt.Errorf("follow project: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// UnfollowProject stops a person following a project; it reports false when they did not.
func (tx *Tx) UnfollowProject(projectID, personID int64) (bool, error) {
	res, err := tx.exec(`UPDATE project_followers SET left = 1 WHERE project_id = ? AND person_id = ? AND left = 0`, projectID, personID)
	if err != nil {
		return false, fmt.Errorf("unfollow project: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ProjectFollowers lists the people following a project, in id order.
func (tx *Tx) ProjectFollowers(projectID int64) ([]Person, error) {
	return tx.findPeople(`SELECT person_id FROM project_followers WHERE project_id = ? AND left = 0 ORDER BY person_id`, projectID)
}

// CountProjectFollowers is how many people follow a project.
func (tx *Tx) CountProjectFollowers(projectID int64) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM project_followers WHERE project_id = ? AND left = 0`, projectID).Scan(&n)
	return n, err
}

// FollowsProject reports whether a person follows a project.
func (tx *Tx) FollowsProject(projectID, personID int64) (bool, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM project_followers WHERE project_id = ? AND person_id = ? AND left = 0`,
		projectID, personID).Scan(&n)
	return n > 0, err
}

// MayReviewProject reports whether a person may rate a project: a member of
// one of its groups, or a follower.
func (tx *Tx) MayReviewProject(projectID, personID int64) (bool, error) {
	var n int
	err := tx.queryRow(`SELECT EXISTS (SELECT 1 FROM project_groups pg JOIN members m ON m.group_id = pg.group_id
			WHERE pg.project_id = ? AND m.person_id = ?)
		OR EXISTS (SELECT 1 FROM project_followers WHERE project_id = ? AND person_id = ? AND left = 0)`,
		projectID, personID, projectID, personID).Scan(&n)
	return n > 0, err
}

// PollVoterIDs lists the people who voted in a poll (who, never what), in id order.
func (tx *Tx) PollVoterIDs(pollID int64) ([]int64, error) {
	return tx.int64s(`SELECT DISTINCT person_id FROM poll_voters WHERE poll_id = ? ORDER BY person_id`, pollID)
}

// ProjectReview is one 评议 rating.
type ProjectReview struct {
	ProjectID int64
	VoterKey  string // "p:<person id>" or "h:<room>"
	PersonID  int64
	Rating    string
	Note      string
	At        time.Time
}

// AddProjectReview records a rating; a second one under the same voter key
// returns ErrDuplicate and changes nothing.
func (tx *Tx) AddProjectReview(r ProjectReview) error {
	res, err := tx.exec(`INSERT OR IGNORE INTO project_reviews (project_id, voter_key, person_id, rating, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ProjectID, r.VoterKey, r.PersonID, r.Rating, r.Note, unix(tx.Now))
	if err != nil {
		return fmt.Errorf("add project review: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrDuplicate
	}
	return nil
}

// FindProjectReview returns the rating filed under a voter key, or ErrNotFound.
func (tx *Tx) FindProjectReview(projectID int64, voterKey string) (ProjectReview, error) {
	r := ProjectReview{ProjectID: projectID, VoterKey: voterKey}
	var at int64
	err := tx.queryRow(`SELECT person_id, rating, note, created_at FROM project_reviews WHERE project_id = ? AND voter_key = ?`,
		projectID, voterKey).Scan(&r.PersonID, &r.Rating, &r.Note, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	r.At = fromUnix(at)
	return r, err
}

// ProjectReviews lists a project's ratings, oldest first.
func (tx *Tx) ProjectReviews(projectID int64) ([]ProjectReview, error) {
	rows, err := tx.query(`SELECT voter_key, person_id, rating, note, created_at FROM project_reviews
		WHERE project_id = ? ORDER BY created_at, voter_key`, projectID)
	if err != nil {
		return nil, fmt.Errorf("project reviews: %w", err)
	}
	defer rows.Close()
	var out []ProjectReview
	for rows.Next() {
		r := ProjectReview{ProjectID: projectID}
		var at int64
		if err := rows.Scan(&r.VoterKey, &r.PersonID, &r.Rating, &r.Note, &at); err != nil {
			return nil, err
		}
		r.At = fromUnix(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ProjectRatings counts a project's 评议 ratings.
func (tx *Tx) ProjectRatings(projectID int64) (Ratings, error) {
	var r Ratings
	err := tx.queryRow(`SELECT COALESCE(SUM(rating = 'satisfied'), 0), COALESCE(SUM(rating = 'basic'), 0),
		COALESCE(SUM(rating = 'unsatisfied'), 0) FROM project_reviews WHERE project_id = ?`, projectID).
		Scan(&r.Satisfied, &r.Basic, &r.Unsatisfied)
	return r, err
}

// ProjectReviewSummary is a project's 评议 result for statistics and digests.
type ProjectReviewSummary struct {
	ID           int64
	Title        string
	State        string
	PerHousehold bool
	ClosedAt     time.Time // zero while the 评议 runs
	Ratings
}

// ProjectReviewSummaries lists the 评议 results of a community's projects
// completed in [from, to), in id order (zero from: since the beginning).
func (tx *Tx) ProjectReviewSummaries(communityID int64, from, to time.Time) ([]ProjectReviewSummary, error) {
	rows, err := tx.query(`SELECT p.id, p.title, p.state, p.per_household, p.review_closed_at,
		COALESCE(SUM(r.rating = 'satisfied'), 0), COALESCE(SUM(r.rating = 'basic'), 0), COALESCE(SUM(r.rating = 'unsatisfied'), 0)
		FROM projects p LEFT JOIN project_reviews r ON r.project_id = p.id
		WHERE p.community_id = ? AND p.completed_at >= ? AND p.completed_at < ?
		GROUP BY p.id ORDER BY p.id`, communityID, unix(from), unix(to))
	if err != nil {
		return nil, fmt.Errorf("project review summaries: %w", err)
	}
	defer rows.Close()
	var out []ProjectReviewSummary
	for rows.Next() {
		var s ProjectReviewSummary
		var closed sql.NullInt64
		if err := rows.Scan(&s.ID, &s.Title, &s.State, &s.PerHousehold, &closed, &s.Satisfied, &s.Basic, &s.Unsatisfied); err != nil {
			return nil, err
		}
		s.ClosedAt = fromNull(closed)
		out = append(out, s)
	}
	return out, rows.Err()
}

// OverdueMilestone is a milestone of a project under way past its date.
type OverdueMilestone struct {
	ProjectID int64
	Project   string
	Milestone
}

// OverdueMilestones lists the milestones of a community's projects under way
// whose date passed before now and that are not reached, oldest date first.
func (tx *Tx) OverdueMilestones(communityID int64, now time.Time) ([]OverdueMilestone, error) {
	rows, err := tx.query(`SELECT p.id, p.title, m.idx, m.title, m.due_at FROM project_milestones m
		JOIN projects p ON p.id = m.project_id
		WHERE p.community_id = ? AND p.state = 'building' AND m.done_at IS NULL AND m.due_at < ?
		ORDER BY m.due_at, p.id, m.idx`, communityID, unix(now))
	if err != nil {
		return nil, fmt.Errorf("overdue milestones: %w", err)
	}
	defer rows.Close()
	var out []OverdueMilestone
	for rows.Next() {
		var o OverdueMilestone
		var due int64
		if err := rows.Scan(&o.ProjectID, &o.Project, &o.Index, &o.Title, &due); err != nil {
			return nil, err
		}
		o.DueAt = fromUnix(due)
		out = append(out, o)
	}
	return out, rows.Err()
}
