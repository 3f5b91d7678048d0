package storage

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrCrossMerge is returned when two people cannot be one row: they belong to
// different communities or platforms.
var ErrCrossMerge = errors.New("storage: people in different communities or platforms")

// FindPeopleByName lists a community's people with a display name or platform
// identity equal to name (staff type the name they see).
func (tx *Tx) FindPeopleByName(communityID int64, name string) ([]Person, error) {
	return tx.findPeople(`SELECT id FROM people WHERE community_id = ? AND (name = ? OR user_key = ?) ORDER BY id`,
		communityID, name, name)
}

// mergeStep is one statement of MergePeople.
type mergeStep struct {
	q    string
	args []any
}

// MergePeople folds person gone into person keep: gone's requests, events,
// roles, memberships and votes become keep's, keep takes gone's platform
// identity and name (gone is the newer identity of someone who renamed
// themselves), and gone is deleted. Where both voted in one poll, keep's vote stays.
func (tx *Tx) MergePeople(keep, gone int64) error {
	if keep == gone {
		return fmt.Errorf("merge people: %d into itself", keep)
	}
	g, err := tx.FindPerson(gone)
	if err != nil {
		return err
	}
	k, err := tx.FindPerson(keep)
	if err != nil {
		return err
	}
	if k.CommunityID != g.CommunityID || k.Platform != g.Platform {
		return fmt.Errorf("merge people %d and %d: %w", keep, gone, ErrCrossMerge)
	}
	// Per-person voter keys are "p:<id>" (see PollVoter.VoterKey); household keys stay.
	keepKey, goneKey := "p:"+strconv.FormatInt(keep, 10), "p:"+strconv.FormatInt(gone, 10)
	// A panel member's sheet of a scored evaluation is keyed "j:<id>".
	keepPanel, gonePanel := "j:"+strconv.FormatInt(keep, 10), "j:"+strconv.FormatInt(gone, 10)
	ballotSteps := func(keepKey, goneKey string) []mergeStep {
		return []mergeStep{
			{`UPDATE OR IGNORE ballots SET ballot_key = ? WHERE ballot_key = ? AND poll_id IN (SELECT poll_id FROM poll_voters WHERE person_id = ? AND voter_key = ?)`, []any{keepKey, goneKey, gone, goneKey}},
			{`DELETE FROM ballots WHERE ballot_key = ? AND poll_id IN (SELECT poll_id FROM poll_voters WHERE person_id = ? AND voter_key = ?)`, []any{goneKey, gone, goneKey}},
		}
	}
	steps := []mergeStep{
		{`UPDATE requests SET person_id = ? WHERE person_id = ?`, []any{keep, gone}},
		{`UPDATE requests SET assignee_id = ? WHERE assignee_id = ?`, []any{keep, gone}},
		{`UPDATE request_events SET actor_id = ? WHERE actor_id = ?`, []any{keep, gone}},
		{`UPDATE polls SET creator_id = ? WHERE creator_id = ?`, []any{keep, gone}},
		{`INSERT OR IGNORE INTO roles (person_id, role, scope, source) SELECT ?, role, scope, source FROM roles WHERE person_id = ?`, []any{keep, gone}},
		{`DELETE FROM roles WHERE person_id = ?`, []any{gone}},
		{`INSERT INTO members (group_id, person_id, first_seen, last_seen) SELECT group_id, ?, first_seen, last_seen FROM members WHERE person_id = ?
			ON CONFLICT (group_id, person_id) DO UPDATE SET first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)`, []any{keep, gone}},
		{`DELETE FROM members WHERE person_id = ?`, []any{gone}},
		{`DELETE FROM conversations WHERE person_id = ?`, []any{gone}},
		{`DELETE FROM room_claims WHERE person_id = ?`, []any{gone}},
		{`UPDATE jielong SET creator_id = ? WHERE creator_id = ?`, []any{keep, gone}},
		{`UPDATE jielong_lines SET author_id = ? WHERE author_id = ?`, []any{keep, gone}},
		{`UPDATE OR IGNORE vol_members SET person_id = ? WHERE person_id = ?`, []any{keep, gone}},
		{`DELETE FROM vol_members WHERE person_id = ?`, []any{gone}},
		{`UPDATE OR IGNORE vol_shifts SET person_id = ? WHERE person_id = ?`, []any{keep, gone}},
		{`DELETE FROM vol_shifts WHERE person_id = ?`, []any{gone}},
		{`UPDATE vol_swaps SET from_id = ? WHERE from_id = ?`, []any{keep, gone}},
		{`UPDATE vol_swaps SET to_id = ? WHERE to_id = ?`, []any{keep, gone}},
		{`UPDATE projects SET creator_id = ? WHERE creator_id = ?`, []any{keep, gone}},
		{`UPDATE project_updates SET author_id = ? WHERE author_id = ?`, []any{keep, gone}},
		{`INSERT OR IGNORE INTO project_followers (project_id, person_id, reason, left, created_at)
			SELECT project_id, ?, reason, left, created_at FROM project_followers WHERE person_id = ?`, []any{keep, gone}},
		{`DELETE FROM project_followers WHERE person_id = ?`, []any{gone}},
		{`UPDATE OR IGNORE project_reviews SET person_id = ?, voter_key = CASE WHEN voter_key = ? THEN ? ELSE voter_key END WHERE person_id = ?`, []any{keep, goneKey, keepKey, gone}},
		{`DELETE FROM project_reviews WHERE person_id = ?`, []any{gone}},
		// Activities and notices (0010): one sign-up and one confirmation per person.
		{`UPDATE activities SET creator_id = ? WHERE creator_id = ?`, []any{keep, gone}},
		{`UPDATE notices SET creator_id = ? WHERE creator_id = ?`, []any{keep, gone}},
		{`UPDATE OR IGNORE activity_signups SET person_id = ? WHERE person_id = ?`, []any{keep, gone}},
		{`DELETE FROM activity_signups WHERE person_id = ?`, []any{gone}},
		{`UPDATE OR IGNORE notice_acks SET person_id = ? WHERE person_id = ?`, []any{keep, gone}},
		{`DELETE FROM notice_acks WHERE person_id = ?`, []any{gone}},
	}
	steps = append(steps, ballotSteps(keepKey, goneKey)...)
	steps = append(steps, ballotSteps(keepPanel, gonePanel)...)
	steps = append(steps, []mergeStep{
		{`UPDATE OR IGNORE poll_voters SET person_id = ?, voter_key = CASE WHEN voter_key = ? THEN ? WHEN voter_key = ? THEN ? ELSE voter_key END
			WHERE person_id = ?`, []any{keep, goneKey, keepKey, gonePanel, keepPanel, gone}},
		{`DELETE FROM poll_voters WHERE person_id = ?`, []any{gone}},
		{`INSERT OR IGNORE INTO poll_panel (poll_id, person_id) SELECT poll_id, ? FROM poll_panel WHERE person_id = ?`, []any{keep, gone}},
		{`DELETE FROM poll_panel WHERE person_id = ?`, []any{gone}},
		{`DELETE FROM people WHERE id = ?`, []any{gone}},
		{`UPDATE people SET platform = ?, user_key = ?, name = ?, room = CASE WHEN room = '' THEN ? ELSE room END WHERE id = ?`,
			[]any{g.Platform, g.UserKey, g.Name, g.Room, keep}},
	}...)
	for _, s := range steps {
		if _, err := tx.exec(s.q, s.args...); err != nil {
			return fmt.Errorf("merge people: %w", err)
		}
	}
	return nil
}
