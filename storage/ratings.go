package storage

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RatingEvent is one rating a reporter gave. Every rating is kept: each is
// an entry of the request's audit trail (action "rate", or "callback" for a
// 回访 staff recorded on the resident's behalf; note "RATING COMMENT"),
// so a second rating after rework never rewrites the first.
type RatingEvent struct {
	RequestID int64
	Kind      string
	Rating    string // satisfied, basic, unsatisfied
	Note      string // the comment given with it
	At        time.Time
}

// RatingEvents lists every rating given to a community's requests before to,
// oldest first. A request rated without an audit entry (written by an older
// Qiao or imported) contributes its stored rating as one event.
func (tx *Tx) RatingEvents(communityID int64, to time.Time) ([]RatingEvent, error) {
	rows, err := tx.query(`SELECT request_id, kind, note, at FROM (
			SELECT e.id AS ord, e.request_id, r.kind, e.note, e.created_at AS at FROM request_events e
			JOIN requests r ON r.id = e.request_id
			WHERE r.community_id = ? AND e.action IN ('rate', 'callback')
			UNION ALL
			SELECT 0, r.id, r.kind, r.rating || ' ' || r.rating_note, r.rated_at FROM requests r
			WHERE r.community_id = ? AND r.rating <> '' AND r.rated_at IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.action IN ('rate', 'callback')))
		WHERE at < ? ORDER BY at, ord`, communityID, communityID, unix(to))
	if err != nil {
		return nil, fmt.Errorf("rating events: %w", err)
	}
	return scanRatingEvents(rows)
}

// RatingEventsIn lists, oldest first, every rating given before to to the
// community's requests rated in [from, to): all SatisfactionOf and the
// digest's comments need of [from, to), without reading years of ratings.
//
// A month of ratings is read from indexes alone (migration 0019), never a
// table row per rated request: the requests whose stored rating is of the
// window come from requests_rated with their kind and comment, each one's
// audit entries from request_events_rating. Only a request rated in the
// window whose stored rating is older (none that Qiao wrote: a rating sets
// rated_at) is read from the table, and only when there is one: when the
// requests above account for every rating event of the window (counted from
// request_events_action), there is none to look for.
func (tx *Tx) RatingEventsIn(communityID int64, from, to time.Time) ([]RatingEvent, error) {
	stored := `stored(id, kind, note, at) AS (
			SELECT id, kind, CASE WHEN rating <> '' THEN rating || ' ' || rating_note END, rated_at FROM requests
			WHERE community_id = ? AND rated_at >= ? AND rated_at < ?)`
	// rated's audit entries, or its stored rating when it has none.
	events := `SELECT rated.id, rated.kind, COALESCE(x.note, rated.note), COALESCE(x.created_at, rated.at), COALESCE(x.id, 0)
		FROM rated LEFT JOIN request_events x INDEXED BY request_events_rating
			ON x.request_id = rated.id AND x.action IN ('rate', 'callback')
		WHERE COALESCE(x.note, rated.note) IS NOT NULL AND COALESCE(x.created_at, rated.at) < ?`
	all, err := tx.ratingEventRows(`WITH `+stored+`, rated AS (SELECT * FROM stored) `+events,
		communityID, unix(from), unix(to), unix(to))
	if err != nil {
		return nil, err
	}
	seen := 0
	for _, o := range all {
		if o.id != 0 && o.at >= unix(from) {
			seen++
		}
	}
	var inWindow int
	if err := tx.queryRow(`SELECT COUNT(*) FROM request_events e INDEXED BY request_events_action
		WHERE e.action IN ('rate', 'callback') AND e.created_at >= ? AND e.created_at < ?`, unix(from), unix(to)).Scan(&inWindow); err != nil {
		return nil, fmt.Errorf("rating events: %w", err)
	}
	if seen < inWindow { // another community's, or a request whose stored rating is older
		older, err := tx.ratingEventRows(`WITH `+stored+`,
			older(id) AS (
				SELECT e.request_id FROM request_events e INDEXED BY request_events_action
				WHERE e.action IN ('rate', 'callback') AND e.created_at >= ? AND e.created_at < ?
				EXCEPT SELECT id FROM stored),
			rated(id, kind, note, at) AS (
				SELECT r.id, r.kind, CASE WHEN r.rating <> '' AND r.rated_at IS NOT NULL THEN r.rating || ' ' || r.rating_note END, r.rated_at
				FROM older CROSS JOIN requests r ON r.id = older.id WHERE r.community_id = ?) `+events,
			communityID, unix(from), unix(to), unix(from), unix(to), communityID, unix(to))
		if err != nil {
			return nil, err
		}
		all = append(all, older...)
	}
	// Sorted here: Go sorts a month of them faster than SQLite's sorter.
	slices.SortFunc(all, func(a, b orderedRating) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.id, b.id)) })
	out := make([]RatingEvent, len(all))
	for i, o := range all {
		out[i] = o.RatingEvent
	}
	return out, nil
}

// orderedRating is a rating with what orders it: its time, then its audit
// entry's id (0 for a stored rating).
type orderedRating struct {
	RatingEvent
	at, id int64
}

// ratingEventRows runs a query of (request, kind, "RATING COMMENT", at, event
// id or 0 for a stored rating) and reads its rows.
func (tx *Tx) ratingEventRows(query string, args ...any) ([]orderedRating, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("rating events: %w", err)
	}
	defer rows.Close()
	var all []orderedRating
	for rows.Next() {
		var o orderedRating
		var note string
		if err := rows.Scan(&o.RequestID, &o.Kind, &note, &o.at, &o.id); err != nil {
			return nil, err
		}
		o.RatingEvent = ratingEvent(o.RatingEvent, note, o.at)
		all = append(all, o)
	}
	return all, rows.Err()
}

// scanRatingEvents reads rows of (request, kind, "RATING COMMENT", at) and closes them.
func scanRatingEvents(rows *sql.Rows) ([]RatingEvent, error) {
	defer rows.Close()
	var out []RatingEvent
	for rows.Next() {
		var e RatingEvent
		var note string
		var at int64
		if err := rows.Scan(&e.RequestID, &e.Kind, &note, &at); err != nil {
			return nil, err
		}
		out = append(out, ratingEvent(e, note, at))
	}
	return out, rows.Err()
}

// ratingEvent fills in e from its "RATING COMMENT" note and time.
func ratingEvent(e RatingEvent, note string, at int64) RatingEvent {
	e.Rating, e.Note, _ = strings.Cut(note, " ")
	e.Note = strings.TrimSpace(e.Note)
	e.At = fromUnix(at)
	return e
}

// Satisfaction is the satisfaction of rated requests, both ways: First counts
// each request's first rating (first-time satisfaction: was it done right the
// first time), Final its latest (final satisfaction: how it ended). Given is
// how many ratings were given in all, every re-rating included. The rate of
// either is Ratings.Good() / Ratings.Rated().
type Satisfaction struct {
	First, Final Ratings
	Given        int
}

// SatisfactionOf is the one definition of first-time and final satisfaction
// over events (oldest first): a request's first rating counts in First when
// it was given in [from, to); its latest rating before to counts in Final when
// that was given in [from, to). A zero from counts from the beginning.
func SatisfactionOf(events []RatingEvent, from, to time.Time) Satisfaction {
	var s Satisfaction
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	// Per request, in order of first rating: its latest rating before to.
	// One map of indexes (a month of ratings is some ten thousand requests).
	index := make(map[int64]int, len(events))
	var last []*RatingEvent
	for i := range events {
		e := &events[i]
		if !e.At.Before(to) {
			continue
		}
		if in(e.At) {
			s.Given++
		}
		j, seen := index[e.RequestID]
		if !seen {
			index[e.RequestID] = len(last)
			last = append(last, e)
			if in(e.At) {
				s.First.Add(e.Rating)
			}
			continue
		}
		last[j] = e
	}
	for _, e := range last {
		if in(e.At) {
			s.Final.Add(e.Rating)
		}
	}
	return s
}
