package main

import (
	"testing"
	"time"
)

// TestExplainTailBlamesTheOverlappingStep: a message held up by a writer's
// truncate is put down to it, even when the stall made the bench hand it over
// late and a longer background checkpoint ran meanwhile; a fast message is
// not counted; a slow one with no long step is "none recorded".
func TestExplainTailBlamesTheOverlappingStep(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	steps := []stepSpan{
		{name: "checkpoint", start: at(0), end: at(40)}, // the writer goes on meanwhile
		{name: "truncate", start: at(10), end: at(30)},
		{name: "commit", start: at(31), end: at(32)},
	}
	spans := []messageSpan{
		{due: at(12), started: at(25), done: at(31)},    // late, waited on the truncate
		{due: at(100), started: at(100), done: at(101)}, // fast
		{due: at(200), started: at(200), done: at(210)}, // slow, nothing recorded
	}
	r := explainTail(spans, steps)
	if r.slow != 2 || r.late != 1 {
		t.Errorf("slow %d, late %d; want 2, 1", r.slow, r.late)
	}
	// The checkpoint overlaps the first message longer (19 ms against 18),
	// but the writer did not wait for it.
	if r.waited["truncate"] != 1 || r.waited["checkpoint"] != 0 {
		t.Errorf("waited %v; want the truncate blamed", r.waited)
	}
	if r.waited["none recorded"] != 1 {
		t.Errorf("waited %v; want one none recorded", r.waited)
	}
}
