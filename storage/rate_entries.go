package storage

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// RateEntry is a resolve, rate or callback audit entry with what the 三率
// count of its ticket now, as rate_entries keeps it (migration 0023, read by
// CountDue and CountRated).
type RateEntry struct {
	EventID, RequestID int64
	Measure            string    // "resolve", or "rate" for rate and callback entries
	At                 time.Time // the entry's time
	PrevAt             time.Time // the ticket's previous entry of the measure; zero: none
	First              bool      // no previous entry
	DepartmentID       int64     // the ticket's; a merged follower's rating: its original's
	BuildingID         int64
	Urgent, Solved     bool // Solved: resolved or closed now
	Rating             string
	Commented          bool // a rating comment is stored
}

// RateEntries lists a community's rate entries by audit entry, as the
// triggers of migration 0023 keep them (for tests that recount them).
func (tx *Tx) RateEntries(communityID int64) ([]RateEntry, error) {
	rows, err := tx.query(`SELECT event_id, request_id, measure, at, prev_at, department_id, building_id, urgent, solved, rating, commented
		FROM rate_entries WHERE community_id = ? ORDER BY event_id`, communityID)
	if err != nil {
		return nil, fmt.Errorf("rate entries: %w", err)
	}
	defer rows.Close()
	var out []RateEntry
	for rows.Next() {
		var e RateEntry
		var at int64
		var prev *int64
		if err := rows.Scan(&e.EventID, &e.RequestID, &e.Measure, &at, &prev, &e.DepartmentID, &e.BuildingID,
			&e.Urgent, &e.Solved, &e.Rating, &e.Commented); err != nil {
			return nil, err
		}
		e.At, e.First = fromUnix(at), prev == nil
		if prev != nil {
			e.PrevAt = fromUnix(*prev)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecountRateEntries computes what RateEntries must list from the audit
// entries and the requests themselves, in Go: the recount tests compare.
func (tx *Tx) RecountRateEntries(communityID int64) ([]RateEntry, error) {
	rows, err := tx.query(`SELECT e.id, e.request_id, e.action, e.created_at, COALESCE(r.department_id, 0), COALESCE(r.building_id, 0),
			r.urgent, r.state, r.rating, r.rating_note, COALESCE(r.duplicate_of, 0), COALESCE(o.department_id, 0)
		FROM request_events e JOIN requests r ON r.id = e.request_id LEFT JOIN requests o ON o.id = r.duplicate_of
		WHERE r.community_id = ? AND e.action IN (?, ?, ?)`, communityID, "resolve", "rate", "callback")
	if err != nil {
		return nil, fmt.Errorf("recount rate entries: %w", err)
	}
	defer rows.Close()
	var out []RateEntry
	for rows.Next() {
		var e RateEntry
		var action, state, note string
		var at, duplicateOf, originalDepartment int64
		if err := rows.Scan(&e.EventID, &e.RequestID, &action, &at, &e.DepartmentID, &e.BuildingID,
			&e.Urgent, &state, &e.Rating, &note, &duplicateOf, &originalDepartment); err != nil {
			return nil, err
		}
		e.Measure, e.At = "rate", fromUnix(at)
		if action == "resolve" {
			e.Measure = "resolve"
		} else if duplicateOf != 0 {
			e.DepartmentID = originalDepartment
		}
		e.Solved, e.Commented = state == StateResolved || state == StateClosed, note != ""
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Each entry's previous one: the ticket's entries of the measure by time, then id.
	slices.SortFunc(out, func(a, b RateEntry) int {
		return cmp.Or(cmp.Compare(a.RequestID, b.RequestID), cmp.Compare(a.Measure, b.Measure),
			a.At.Compare(b.At), cmp.Compare(a.EventID, b.EventID))
	})
	for i := range out {
		out[i].First = i == 0 || out[i-1].RequestID != out[i].RequestID || out[i-1].Measure != out[i].Measure
		if !out[i].First {
			out[i].PrevAt = out[i-1].At
		}
	}
	slices.SortFunc(out, func(a, b RateEntry) int { return cmp.Compare(a.EventID, b.EventID) })
	return out, nil
}
