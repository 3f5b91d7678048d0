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

// TestExplainPhasesSplitsASlowMessage: a message that waited for the
// checkpointer's gate is put down to it; one queued behind a long transaction
// to the other commits; one whose own commit was long to that; one whose
// worker only took it late, the writer idle meanwhile, to the bench.
func TestExplainPhasesSplitsASlowMessage(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	steps := []stepSpan{
		{name: "checkpoint gate", start: at(1), end: at(9)},
		{name: "transaction", start: at(9), end: at(10)}, {name: "commit", start: at(10), end: at(11)},
		{name: "transaction", start: at(20), end: at(28)}, {name: "commit", start: at(28), end: at(29)},
		{name: "transaction", start: at(29), end: at(30)}, {name: "commit", start: at(30), end: at(31)},
		{name: "transaction", start: at(40), end: at(41)}, {name: "commit", start: at(41), end: at(48)},
		{name: "transaction", start: at(60), end: at(61)}, {name: "commit", start: at(61), end: at(62)},
		{name: "checkpoint", start: at(40), end: at(50)}, // the writer goes on meanwhile
	}
	spans := []messageSpan{
		{due: at(0), started: at(0), done: at(11)},      // the gate
		{due: at(21), started: at(21), done: at(31)},    // behind the long transaction
		{due: at(40), started: at(40), done: at(48)},    // its own commit
		{due: at(52), started: at(59), done: at(62)},    // handed over late
		{due: at(100), started: at(100), done: at(101)}, // fast
	}
	gc := []stepSpan{{name: "gc pause", start: at(45), end: at(46)}}
	r := explainPhases(spans, steps, gc)
	want := map[string]int{"checkpoint gate": 1, phaseQueue: 1, phaseOwnCommi: 1, phaseLate: 1}
	if r.slow != 4 || len(r.by) != len(want) {
		t.Fatalf("slow %d, phases %v; want 4, %v", r.slow, r.by, want)
	}
	for k, n := range want {
		if r.by[k] != n {
			t.Errorf("phases %v; want %v", r.by, want)
		}
	}
	if r.background != 1 || r.gc != 1 {
		t.Errorf("%d slow messages beside a background checkpoint, %d spanning a GC pause; want 1, 1", r.background, r.gc)
	}
}
