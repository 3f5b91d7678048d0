package bot

import "testing"

// TestWriterWaitsForTheCallersItReleased: after a commit the writer waits for
// as many callers as it released; the last of them to queue wakes it, once,
// and a signal it did not wait for never ends its next wait early.
func TestWriterWaitsForTheCallersItReleased(t *testing.T) {
	var c committer
	c.expect(2) // a commit releasing two callers
	c.mu.Lock()
	c.arrived()
	if !c.waiting || len(c.wake) != 0 {
		t.Fatalf("after one of two callers: waiting %v, %d signals; want waiting, none", c.waiting, len(c.wake))
	}
	c.arrived()
	if c.waiting || len(c.wake) != 1 {
		t.Fatalf("after both callers: waiting %v, %d signals; want the wait ended by one signal", c.waiting, len(c.wake))
	}
	c.arrived() // a third caller: no second signal
	c.mu.Unlock()
	if len(c.wake) != 1 {
		t.Fatalf("%d signals after a third caller, want 1", len(c.wake))
	}
	c.awaitCallers() // returns at once: everyone is back
	if len(c.wake) != 0 || c.timer != nil {
		t.Fatalf("the signal was left (%d) or a timer armed (%v) though every caller was back", len(c.wake), c.timer != nil)
	}

	// Callers that do not come back: the wait ends by itself and leaves
	// nothing behind for the next one.
	c.expect(1)
	c.awaitCallers()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waiting || len(c.wake) != 0 {
		t.Fatalf("after a wait nobody ended: waiting %v, %d signals", c.waiting, len(c.wake))
	}
	// Then the next commits only yield, and waiting resumes after them.
	for i := range yieldsAfterTimeout {
		c.mu.Unlock()
		c.expect(1)
		c.mu.Lock()
		if c.waiting {
			t.Fatalf("commit %d after a timeout waits; want a yield", i+1)
		}
	}
	c.mu.Unlock()
	c.expect(1)
	c.mu.Lock()
	if !c.waiting {
		t.Fatalf("still not waiting %d commits after a timeout", yieldsAfterTimeout+1)
	}
}

// TestWriterWaitsForNoOneBehindAFullBatch: with a whole group commit queued,
// the next commit starts at once.
func TestWriterWaitsForNoOneBehindAFullBatch(t *testing.T) {
	var c committer
	c.queue = make([]*commitJob, maxGroupCommit)
	c.expect(3)
	if c.waiting {
		t.Fatal("the writer would wait with a full batch queued")
	}
}
