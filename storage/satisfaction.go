package storage

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// The month's satisfaction from the per-request rating summaries (migration
// 0021: request_ratings, kept by triggers in every writing transaction): one
// short index row per request rated in the window, not its ratings.

// RatingSummary is a rated request's first and latest rating and how many it
// was given, as request_ratings keeps them.
type RatingSummary struct {
	RequestID   int64
	First, Last RatingEvent // RequestID, Rating and At only
	Given       int
}

// SatisfactionIn is SatisfactionOf(RatingEvents(communityID, to), from, to)
// read from the summaries: a request whose ratings all fall in [from, to)
// adds its first and latest rating and its count; one rated both before or
// after the window and in it (re-rated across an edge: few) is read rating
// by rating and counted by SatisfactionOf itself.
func (tx *Tx) SatisfactionIn(communityID int64, from, to time.Time) (Satisfaction, error) {
	var s Satisfaction
	// Ratings are stored in whole seconds, and RatingEvents(to) lists those
	// before to's whole second: a second is in [from, to) as they count it
	// when it is in [ceil(from), floor(to)).
	to = fromUnix(unix(to))
	lo, hi := ceilUnix(from), unix(to)
	// Every rating in the window: first_at >= from, last_at < to.
	err := tx.queryRow(`SELECT COALESCE(SUM(given), 0),
			COALESCE(SUM(first_rating = ?), 0), COALESCE(SUM(first_rating = ?), 0), COALESCE(SUM(first_rating = ?), 0),
			COALESCE(SUM(last_rating = ?), 0), COALESCE(SUM(last_rating = ?), 0), COALESCE(SUM(last_rating = ?), 0)
		FROM request_ratings INDEXED BY request_ratings_window
		WHERE community_id = ? AND last_at >= ? AND last_at < ? AND first_at >= ?`,
		RatingSatisfied, RatingBasic, RatingUnsatisfied, RatingSatisfied, RatingBasic, RatingUnsatisfied,
		communityID, lo, hi, lo).Scan(&s.Given,
		&s.First.Satisfied, &s.First.Basic, &s.First.Unsatisfied, &s.Final.Satisfied, &s.Final.Basic, &s.Final.Unsatisfied)
	if err != nil {
		return s, fmt.Errorf("satisfaction: %w", err)
	}
	// Rated in the window and before it (last_at in it, first_at earlier), or
	// in it and after it (last_at >= to, first_at before to).
	rows, err := tx.query(`SELECT request_id FROM request_ratings INDEXED BY request_ratings_window
		WHERE community_id = ? AND last_at >= ? AND first_at < ? AND (first_at < ? OR last_at >= ?)`,
		communityID, lo, hi, lo, hi)
	if err != nil {
		return s, fmt.Errorf("satisfaction: %w", err)
	}
	var across []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return s, err
		}
		across = append(across, id)
	}
	if err := rows.Close(); err != nil {
		return s, err
	}
	for _, id := range across {
		events, err := tx.requestRatings(id)
		if err != nil {
			return s, err
		}
		one := SatisfactionOf(events, from, to)
		s.Given += one.Given
		s.First = s.First.plus(one.First)
		s.Final = s.Final.plus(one.Final)
	}
	return s, nil
}

// ceilUnix is t in Unix seconds, rounded up.
func ceilUnix(t time.Time) int64 {
	if s := t.Unix(); time.Unix(s, 0).Before(t) {
		return s + 1
	}
	return t.Unix()
}

// requestRatings lists one request's ratings, oldest first (the view of
// migration 0021: its audit entries, or its stored rating when it has none).
func (tx *Tx) requestRatings(requestID int64) ([]RatingEvent, error) {
	rows, err := tx.query(`SELECT request_id, rating, at FROM request_rating_events WHERE request_id = ? ORDER BY at, ord`, requestID)
	if err != nil {
		return nil, fmt.Errorf("request ratings: %w", err)
	}
	defer rows.Close()
	var out []RatingEvent
	for rows.Next() {
		var e RatingEvent
		var at int64
		if err := rows.Scan(&e.RequestID, &e.Rating, &at); err != nil {
			return nil, err
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RatingSummaries lists a community's rating summaries by request, as the
// triggers of migration 0021 keep them (for tests that recount them).
func (tx *Tx) RatingSummaries(communityID int64) ([]RatingSummary, error) {
	rows, err := tx.query(`SELECT request_id, first_at, first_rating, last_at, last_rating, given
		FROM request_ratings WHERE community_id = ? ORDER BY request_id`, communityID)
	if err != nil {
		return nil, fmt.Errorf("rating summaries: %w", err)
	}
	defer rows.Close()
	var out []RatingSummary
	for rows.Next() {
		var r RatingSummary
		var first, last int64
		if err := rows.Scan(&r.RequestID, &first, &r.First.Rating, &last, &r.Last.Rating, &r.Given); err != nil {
			return nil, err
		}
		r.First.RequestID, r.Last.RequestID = r.RequestID, r.RequestID
		r.First.At, r.Last.At = fromUnix(first), fromUnix(last)
		out = append(out, r)
	}
	return out, rows.Err()
}

// SummariseRatings recounts summaries from a community's rating events
// (oldest first, as RatingEvents lists them), by request: what
// RatingSummaries must equal.
func SummariseRatings(events []RatingEvent) []RatingSummary {
	index := map[int64]int{}
	var out []RatingSummary
	for _, e := range events {
		one := RatingEvent{RequestID: e.RequestID, Rating: e.Rating, At: e.At}
		i, seen := index[e.RequestID]
		if !seen {
			index[e.RequestID] = len(out)
			out = append(out, RatingSummary{RequestID: e.RequestID, First: one, Last: one, Given: 1})
			continue
		}
		out[i].Last = one
		out[i].Given++
	}
	slices.SortFunc(out, func(a, b RatingSummary) int { return cmp.Compare(a.RequestID, b.RequestID) })
	return out
}

// plus is r and o counted together.
func (r Ratings) plus(o Ratings) Ratings {
	return Ratings{r.Satisfied + o.Satisfied, r.Basic + o.Basic, r.Unsatisfied + o.Unsatisfied}
}
