package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Project states.
const (
	ProjectBuilding  = "building"  // under way: #进展 posts updates
	ProjectReviewing = "reviewing" // completed: residents rate it (评议) until the deadline
	ProjectDone      = "done"      // 评议 closed
)

// Project link kinds.
const (
	LinkRequest = "request"
	LinkPoll    = "poll"
)

// Why someone follows a project. None of them says what a voter chose.
const (
	FollowCreator   = "creator"
	FollowReporter  = "reporter"  // reported a linked suggestion or need
	FollowSupporter = "supporter" // reported one merged into a linked request
	FollowVoter     = "voter"     // voted in a linked poll (whatever they chose)
	FollowSelf      = "self"      // #关注
)

// Project is something the community builds, with its milestones.
type Project struct {
	ID, CommunityID, CreatorID int64
	Title                      string
	DepartmentID               int64
	Budget, Place              string
	DueAt                      time.Time // expected completion; zero: none given
	Progress                   int       // percent
	PerHousehold               bool      // 评议 counts one rating per household
	State                      string
	CreatedAt, CompletedAt     time.Time
	ReviewDueAt                time.Time
	ReviewClosedAt             time.Time
	Milestones                 []Milestone
	GroupIDs                   []int64
}

// Milestone is a dated step of a project; Index is 1-based.
type Milestone struct {
	Index  int
	Title  string
	DueAt  time.Time
	DoneAt time.Time
}

// Done reports whether the milestone was reached.
func (m Milestone) Done() bool { return !m.DoneAt.IsZero() }

// CreateProject stores a project with its milestones and groups and returns its id.
func (tx *Tx) CreateProject(p Project) (int64, error) {
	if p.Title == "" || p.CommunityID == 0 {
		return 0, errors.New("create project: title and community are required")
	}
	res, err := tx.exec(`INSERT INTO projects (community_id, creator_id, title, department_id, budget, place, due_at,
		per_household, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'building', ?)`,
		p.CommunityID, p.CreatorID, p.Title, nullID(p.DepartmentID), p.Budget, p.Place, nullTime(p.DueAt),
		p.PerHousehold, unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("create project: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for i, m := range p.Milestones {
		if _, err := tx.exec(`INSERT INTO project_milestones (project_id, idx, title, due_at) VALUES (?, ?, ?, ?)`,
			id, i+1, m.Title, nullTime(m.DueAt)); err != nil {
			return 0, fmt.Errorf("create project milestone: %w", err)
		}
	}
	return id, tx.AddProjectGroups(id, p.GroupIDs)
}

// AddProjectGroups adds groups a project reports to; adding one twice changes nothing.
func (tx *Tx) AddProjectGroups(projectID int64, groupIDs []int64) error {
	for _, g := range groupIDs {
		if _, err := tx.exec(`INSERT OR IGNORE INTO project_groups (project_id, group_id) VALUES (?, ?)`, projectID, g); err != nil {
			return fmt.Errorf("add project group: %w", err)
		}
	}
	return nil
}

const projectColumns = `id, community_id, creator_id, title, COALESCE(department_id, 0), budget, place, due_at, progress,
	per_household, state, created_at, completed_at, review_due_at, review_closed_at FROM projects`

// FindProject returns a community's project with its milestones and groups;
// another community's project is not found.
func (tx *Tx) FindProject(communityID, id int64) (Project, error) {
	list, err := tx.projects(`SELECT `+projectColumns+` WHERE community_id = ? AND id = ?`, communityID, id)
	if err != nil {
		return Project{}, err
	}
	if len(list) == 0 {
		return Project{}, ErrNotFound
	}
	return list[0], nil
}

// Projects lists a community's projects in the given states (all when none), oldest first.
func (tx *Tx) Projects(communityID int64, states ...string) ([]Project, error) {
	if len(states) == 0 {
		return tx.projects(`SELECT `+projectColumns+` WHERE community_id = ? ORDER BY id`, communityID)
	}
	return tx.projects(`SELECT `+projectColumns+` WHERE community_id = ? AND state IN (`+qmarks(len(states))+`) ORDER BY id`,
		append([]any{communityID}, strArgs(states)...)...)
}

// ReviewsDue lists the projects of every community whose 评议 deadline is not after now.
func (tx *Tx) ReviewsDue(now time.Time) ([]Project, error) {
	return tx.projects(`SELECT `+projectColumns+` WHERE state = 'reviewing' AND review_due_at <= ? ORDER BY id`, unix(now))
}

// ReviewingProjects lists the projects of every community being rated.
func (tx *Tx) ReviewingProjects() ([]Project, error) {
	return tx.projects(`SELECT ` + projectColumns + ` WHERE state = 'reviewing' ORDER BY id`)
}

func (tx *Tx) projects(query string, args ...any) ([]Project, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("projects: %w", err)
	}
	var out []Project
	for rows.Next() {
		var p Project
		var due, completed, reviewDue, reviewClosed sql.NullInt64
		var created int64
		if err := rows.Scan(&p.ID, &p.CommunityID, &p.CreatorID, &p.Title, &p.DepartmentID, &p.Budget, &p.Place, &due,
			&p.Progress, &p.PerHousehold, &p.State, &created, &completed, &reviewDue, &reviewClosed); err != nil {
			rows.Close()
			return nil, err
		}
		p.DueAt, p.CreatedAt, p.CompletedAt = fromNull(due), fromUnix(created), fromNull(completed)
		p.ReviewDueAt, p.ReviewClosedAt = fromNull(reviewDue), fromNull(reviewClosed)
		out = append(out, p)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := tx.loadProjectParts(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

func (tx *Tx) loadProjectParts(p *Project) error {
	rows, err := tx.query(`SELECT idx, title, due_at, done_at FROM project_milestones WHERE project_id = ? ORDER BY idx`, p.ID)
	if err != nil {
		return fmt.Errorf("project milestones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m Milestone
		var due, done sql.NullInt64
		if err := rows.Scan(&m.Index, &m.Title, &due, &done); err != nil {
			return err
		}
		m.DueAt, m.DoneAt = fromNull(due), fromNull(done)
		p.Milestones = append(p.Milestones, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	p.GroupIDs, err = tx.int64s(`SELECT group_id FROM project_groups WHERE project_id = ? ORDER BY group_id`, p.ID)
	return err
}

// SetProjectProgress records a project's progress in percent.
func (tx *Tx) SetProjectProgress(id int64, progress int) error {
	_, err := tx.exec(`UPDATE projects SET progress = ? WHERE id = ?`, progress, id)
	return err
}

// CompleteMilestone marks a milestone reached now; it reports false when there
// is no such milestone or it was reached before.
func (tx *Tx) CompleteMilestone(projectID int64, idx int) (bool, error) {
	res, err := tx.exec(`UPDATE project_milestones SET done_at = ? WHERE project_id = ? AND idx = ? AND done_at IS NULL`,
		unix(tx.Now), projectID, idx)
	if err != nil {
		return false, fmt.Errorf("complete milestone: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// CompleteProject ends construction and opens the 评议 until reviewDue; it
// reports false when the project was not under way.
func (tx *Tx) CompleteProject(id int64, reviewDue time.Time) (bool, error) {
	res, err := tx.exec(`UPDATE projects SET state = 'reviewing', progress = 100, completed_at = ?, review_due_at = ?
		WHERE id = ? AND state = 'building'`, unix(tx.Now), unix(reviewDue), id)
	if err != nil {
		return false, fmt.Errorf("complete project: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// CloseReview ends a project's 评议 as of at (its deadline: a job catching
// up later still dates the close when it happened); it reports false when it
// was not open.
func (tx *Tx) CloseReview(id int64, at time.Time) (bool, error) {
	res, err := tx.exec(`UPDATE projects SET state = 'done', review_closed_at = ? WHERE id = ? AND state = 'reviewing'`,
		unix(at), id)
	if err != nil {
		return false, fmt.Errorf("close review: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ProjectUpdate is one #进展 post.
type ProjectUpdate struct {
	ID, ProjectID, AuthorID int64
	Progress                int
	Milestone               int // the milestone reached with it (0: none)
	Text                    string
	BlobID                  int64
	CreatedAt               time.Time
}

// AddProjectUpdate records an update and sets the project's progress.
func (tx *Tx) AddProjectUpdate(u ProjectUpdate) (int64, error) {
	res, err := tx.exec(`INSERT INTO project_updates (project_id, author_id, progress, milestone, text, blob_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.ProjectID, u.AuthorID, u.Progress, u.Milestone, u.Text, nullID(u.BlobID), unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("add project update: %w", err)
	}
	if err := tx.SetProjectProgress(u.ProjectID, u.Progress); err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// ProjectUpdates lists a project's updates, oldest first.
func (tx *Tx) ProjectUpdates(projectID int64) ([]ProjectUpdate, error) {
	rows, err := tx.query(`SELECT id, project_id, author_id, progress, milestone, text, COALESCE(blob_id, 0), created_at
		FROM project_updates WHERE project_id = ? ORDER BY id`, projectID)
	if err != nil {
		return nil, fmt.Errorf("project updates: %w", err)
	}
	defer rows.Close()
	var out []ProjectUpdate
	for rows.Next() {
		var u ProjectUpdate
		var at int64
		if err := rows.Scan(&u.ID, &u.ProjectID, &u.AuthorID, &u.Progress, &u.Milestone, &u.Text, &u.BlobID, &at); err != nil {
			return nil, err
		}
		u.CreatedAt = fromUnix(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// LinkProject records what a project came from; linking twice changes nothing.
func (tx *Tx) LinkProject(projectID int64, kind string, refID int64) error {
	_, err := tx.exec(`INSERT OR IGNORE INTO project_links (project_id, kind, ref_id) VALUES (?, ?, ?)`, projectID, kind, refID)
	if err != nil {
		return fmt.Errorf("link project: %w", err)
	}
	return nil
}

// ProjectLinks lists the ids a project links to of one kind, in id order.
func (tx *Tx) ProjectLinks(projectID int64, kind string) ([]int64, error) {
	return tx.int64s(`SELECT ref_id FROM project_links WHERE project_id = ? AND kind = ? ORDER BY ref_id`, projectID, kind)
}
