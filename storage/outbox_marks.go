package storage

import (
	"context"
	"fmt"
	"sync"
)

// deliveryMarks are deliveries waiting to be recorded by the writer's next
// transaction (see MarkSentBatch). Each has a sequence number, so a caller can
// wait until its own are committed.
type deliveryMarks struct {
	mu        sync.Mutex
	changed   *sync.Cond // a write transaction ended
	pending   []pendingMark
	seq       int64 // the last sequence number given
	committed int64 // every mark up to this one is committed
	writing   int   // Update calls in progress (waiting for the connection included)
}

type pendingMark struct {
	Delivery
	at, seq int64
}

// add queues deliveries and returns the last one's sequence number.
func (m *deliveryMarks) add(ds []Delivery, at int64) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range ds {
		m.seq++
		m.pending = append(m.pending, pendingMark{d, at, m.seq})
	}
	return m.seq
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

// begin and end bracket every Update; end records the marks it committed.
func (m *deliveryMarks) begin() {
	m.mu.Lock()
	m.writing++
	m.mu.Unlock()
}

func (m *deliveryMarks) end(committed []pendingMark) {
	m.mu.Lock()
	m.writing--
	n := len(committed)
	if n > 0 {
		m.committed = max(m.committed, committed[n-1].seq)
	}
	// A waiter (flushMarks) waits while its marks are not committed and a
	// write is under way: only this commit's marks or the writer falling idle
	// can end its wait. Waking it after every transaction cost the writer a
	// futex call inside the group commit's loop.
	wake := n > 0 || m.writing == 0
	m.mu.Unlock()
	if wake {
		m.changed.Broadcast()
	}
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

// flushMarks returns once every mark up to seq is committed. While other
// write transactions run or wait, one of them records the marks (they are
// applied just before a commit); only when the writer falls idle with marks
// still waiting does it run a transaction of its own.
func (db *DB) flushMarks(ctx context.Context, seq int64) error {
	m := &db.marks
	m.mu.Lock()
	for m.committed < seq && m.writing > 0 {
		m.changed.Wait()
	}
	done := m.committed >= seq
	m.mu.Unlock()
	if done {
		return nil
	}
	return db.Update(ctx, func(tx *Tx) error { return nil }) // applies them
}
