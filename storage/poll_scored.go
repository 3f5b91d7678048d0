package storage

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Scale is the range of a score: 1–5 or 0–10.
type Scale struct{ Min, Max int }

// Criterion is one thing a scored evaluation scores (卫生) and its weight as
// given (卫生40); weights are normalised by their sum when scoring.
type Criterion struct {
	Name   string
	Weight int
}

// NoScore marks a criterion a sheet has not scored yet.
const NoScore = -1

// Sheet is one score sheet: a person's (or household's, or panel member's)
// scores of the candidates they scored. Scores[i] holds one score per
// criterion for candidate i (1-based), NoScore where none was given.
type Sheet struct {
	Panel  bool
	Scores map[int][]int
}

// Partial lists the candidates of a sheet with a criterion not scored yet.
func (s Sheet) Partial() []int {
	var out []int
	for _, c := range s.Candidates() {
		if slices.Contains(s.Scores[c], NoScore) {
			out = append(out, c)
		}
	}
	return out
}

// Candidates lists the candidates a sheet scored, in order.
func (s Sheet) Candidates() []int {
	out := make([]int, 0, len(s.Scores))
	for c := range s.Scores {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// FormatSheet is the stored form of a sheet, kept in ballots.choices:
// "R|3:5,4,5;7:5,-,4" (P| for the panel's sheets). Candidates are in order, so
// one sheet has one form.
func FormatSheet(s Sheet) string {
	var b strings.Builder
	if s.Panel {
		b.WriteString("P|")
	} else {
		b.WriteString("R|")
	}
	for i, c := range s.Candidates() {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(c))
		b.WriteByte(':')
		for j, v := range s.Scores[c] {
			if j > 0 {
				b.WriteByte(',')
			}
			if v == NoScore {
				b.WriteByte('-')
			} else {
				b.WriteString(strconv.Itoa(v))
			}
		}
	}
	return b.String()
}

// IsSheet reports whether a stored ballot is a score sheet.
func IsSheet(stored string) bool {
	return strings.HasPrefix(stored, "P|") || strings.HasPrefix(stored, "R|")
}

// ParseSheet reads the stored form of a sheet.
func ParseSheet(stored string) (Sheet, error) {
	if !IsSheet(stored) {
		return Sheet{}, fmt.Errorf("bad sheet %q", stored)
	}
	s := Sheet{Panel: stored[0] == 'P', Scores: map[int][]int{}}
	body := stored[2:]
	if body == "" {
		return s, nil
	}
	for entry := range strings.SplitSeq(body, ";") {
		cand, scores, ok := strings.Cut(entry, ":")
		c, err := strconv.Atoi(cand)
		if !ok || err != nil || c < 1 {
			return Sheet{}, fmt.Errorf("bad sheet %q", stored)
		}
		for part := range strings.SplitSeq(scores, ",") {
			v := NoScore
			if part != "-" {
				if v, err = strconv.Atoi(part); err != nil || v < 0 {
					return Sheet{}, fmt.Errorf("bad sheet %q", stored)
				}
			}
			s.Scores[c] = append(s.Scores[c], v)
		}
	}
	return s, nil
}

// createScoredParts stores a scored evaluation's criteria, intros and panel.
func (tx *Tx) createScoredParts(p Poll) error {
	if len(p.Criteria) == 0 || p.Scale.Max <= p.Scale.Min {
		return errors.New("create evaluation: criteria and a scale are required")
	}
	for i, c := range p.Criteria {
		if _, err := tx.exec(`INSERT INTO poll_criteria (poll_id, idx, name, weight) VALUES (?, ?, ?, ?)`,
			p.ID, i+1, c.Name, c.Weight); err != nil {
			return fmt.Errorf("create evaluation criterion: %w", err)
		}
	}
	for i, intro := range p.Intros {
		if intro == "" {
			continue
		}
		if _, err := tx.exec(`UPDATE poll_options SET intro = ? WHERE poll_id = ? AND idx = ?`, intro, p.ID, i+1); err != nil {
			return fmt.Errorf("create evaluation intro: %w", err)
		}
	}
	return tx.SetPollPanel(p.ID, p.Panel)
}

// SetPollPanel replaces the panel of a scored evaluation.
func (tx *Tx) SetPollPanel(pollID int64, people []int64) error {
	if _, err := tx.exec(`DELETE FROM poll_panel WHERE poll_id = ?`, pollID); err != nil {
		return fmt.Errorf("set panel: %w", err)
	}
	for _, id := range people {
		if _, err := tx.exec(`INSERT OR IGNORE INTO poll_panel (poll_id, person_id) VALUES (?, ?)`, pollID, id); err != nil {
			return fmt.Errorf("set panel: %w", err)
		}
	}
	return nil
}

// SetPollPanelWeight changes the share of the panel in the final score.
func (tx *Tx) SetPollPanelWeight(pollID int64, percent int) error {
	_, err := tx.exec(`UPDATE polls SET panel_weight = ? WHERE id = ?`, percent, pollID)
	return err
}

func (tx *Tx) loadScoredParts(p *Poll) error {
	rows, err := tx.query(`SELECT name, weight FROM poll_criteria WHERE poll_id = ? ORDER BY idx`, p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c Criterion
		if err := rows.Scan(&c.Name, &c.Weight); err != nil {
			rows.Close()
			return err
		}
		p.Criteria = append(p.Criteria, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if p.Intros, err = tx.texts(`SELECT intro FROM poll_options WHERE poll_id = ? ORDER BY idx`, p.ID); err != nil {
		return err
	}
	p.Panel, err = tx.int64s(`SELECT person_id FROM poll_panel WHERE poll_id = ? ORDER BY person_id`, p.ID)
	return err
}

// OnPanel reports whether a person is on the poll's panel.
func (p Poll) OnPanel(personID int64) bool { return slices.Contains(p.Panel, personID) }

// FindSheet returns the sheet stored under a ballot key, or ErrNotFound.
func (tx *Tx) FindSheet(pollID int64, ballotKey string) (Sheet, error) {
	s, err := tx.ballotText(pollID, ballotKey)
	if err != nil {
		return Sheet{}, err
	}
	return ParseSheet(s)
}

// CastSheet records a score sheet as CastBallot records choices.
func (tx *Tx) CastSheet(v PollVoter, ballotKey string, s Sheet, castAt time.Time) (replaced bool, err error) {
	if len(s.Scores) == 0 {
		return false, errors.New("cast sheet: no score")
	}
	return tx.castBallot(v, ballotKey, FormatSheet(s), castAt)
}

// PollSheets returns every score sheet of a poll, in key order.
func (tx *Tx) PollSheets(pollID int64) ([]Sheet, error) {
	rows, err := tx.query(`SELECT choices FROM ballots WHERE poll_id = ? ORDER BY ballot_key`, pollID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Sheet
	for rows.Next() {
		var stored string
		if err := rows.Scan(&stored); err != nil {
			return nil, err
		}
		s, err := ParseSheet(stored)
		if err != nil {
			return nil, fmt.Errorf("poll %d: %w", pollID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
