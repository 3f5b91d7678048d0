package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// deliveryMarks are deliveries waiting to be recorded by the next write
// transaction (see MarkSentBatch).
type deliveryMarks struct {
	mu      sync.Mutex
	pending []pendingMark
}

type pendingMark struct {
	Delivery
	at int64
}

func (m *deliveryMarks) add(ds []Delivery, at int64) {
	m.mu.Lock()
	for _, d := range ds {
		m.pending = append(m.pending, pendingMark{d, at})
	}
	m.mu.Unlock()
}

func (m *deliveryMarks) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pending)
}

// take removes and returns the marks waiting now: they belong to the
// transaction that records them, which gives them back if it fails.
func (m *deliveryMarks) take() []pendingMark {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.pending
	m.pending = nil
	return out
}

// giveBack returns marks a transaction could not commit, ahead of newer ones.
func (m *deliveryMarks) giveBack(ms []pendingMark) {
	if len(ms) == 0 {
		return
	}
	m.mu.Lock()
	m.pending = append(ms, m.pending...)
	m.mu.Unlock()
}

// applyMarks records the waiting deliveries in tx and returns them: the
// caller gives them back unless tx commits.
func (db *DB) applyMarks(tx *Tx) ([]pendingMark, error) {
	marks := db.marks.take()
	for _, d := range marks {
		if _, err := tx.exec(`UPDATE outbox SET status = 'sent', sent_at = ?, platform_msg_id = ?, attempts = attempts + 1, `+scrubbed+`
			WHERE id = ?`, d.at, d.PlatformMsgID, d.ID); err != nil {
			return marks, fmt.Errorf("mark sent %d: %w", d.ID, err)
		}
	}
	return marks, nil
}

// errNothingToMark ends a flush that found its marks already committed.
var errNothingToMark = errors.New("storage: no deliveries to mark")

// flushMarks returns once every mark queued before the call is committed: by
// the transaction running now, which applies them before it commits, or else
// by a transaction of its own.
func (db *DB) flushMarks(ctx context.Context) error {
	err := db.Update(ctx, func(tx *Tx) error {
		if db.marks.len() == 0 {
			return errNothingToMark // a group commit took them: nothing to commit
		}
		return nil
	})
	if errors.Is(err, errNothingToMark) {
		return nil
	}
	return err
}
