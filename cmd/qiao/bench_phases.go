package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// Phases of a slow message's time, from when it was due to when Handle
// returned: what a message over tailSlow spent most of it on.
const (
	phaseLate     = "handed over late"     // no worker was free when it was due, and the writer was idle
	phaseQueue    = "behind other commits" // the writer ran other batches' transactions
	phaseIdle     = "writer not running"   // queued, no writer step: routing, hand-off, scheduler, GC
	phaseOwnTx    = "own transaction"      // its batch's statements
	phaseOwnCommi = "own commit"           // its batch's COMMIT
	phaseAfter    = "after its commit"     // the caller waking up and returning
)

// phaseReport counts the slow messages by the phase that took most of their
// time, and by what that phase was held by when it was the wait for the
// writer (the checkpointer's gate, a truncate); background counts the slow
// messages during which a background checkpoint ran.
type phaseReport struct {
	slow       int
	by         map[string]int
	background int
	gc         int // slow messages during which the collector stopped the world
}

// explainPhases needs every writer step (stepRecorder.all), not only the long
// ones; gc are the collector's pauses (gcPausesSince).
func explainPhases(spans []messageSpan, steps []stepSpan, gc []stepSpan) phaseReport {
	gc = slices.Clone(gc)
	slices.SortFunc(gc, func(a, b stepSpan) int { return a.start.Compare(b.start) })
	r := phaseReport{by: map[string]int{}}
	var commits, txs, held, bg []stepSpan
	for _, s := range steps {
		switch s.name {
		case storage.StepCommit:
			commits = append(commits, s)
		case storage.StepTransaction:
			txs = append(txs, s)
		case storage.StepCheckpoint, storage.StepRestart, storage.StepFlush:
			bg = append(bg, s)
		default: // the writer held: the gate, a checkpoint wait, a truncate
			held = append(held, s)
		}
	}
	for _, l := range [][]stepSpan{commits, txs, held, bg} {
		slices.SortFunc(l, func(a, b stepSpan) int { return a.start.Compare(b.start) })
	}
	for _, m := range spans {
		if m.done.Sub(m.due) < tailSlow {
			continue
		}
		r.slow++
		if overlapping(bg, m.due, m.done) > 0 {
			r.background++
		}
		if overlapping(gc, m.due, m.done) > 0 {
			r.gc++
		}
		phases := map[string]time.Duration{}
		// The batch that carried it: the last commit to end before Handle returned.
		c := lastEndingBy(commits, m.done)
		txStart := m.done
		if c >= 0 && !commits[c].end.Before(m.started) {
			commit := commits[c]
			txStart = commit.start
			if t := lastEndingBy(txs, commit.start.Add(time.Microsecond)); t >= 0 {
				txStart = txs[t].start
				phases[phaseOwnTx] = txs[t].end.Sub(txs[t].start)
			}
			phases[phaseOwnCommi] = commit.end.Sub(commit.start)
			phases[phaseAfter] = m.done.Sub(commit.end)
		}
		// Until its transaction began it waited: for a worker to take it (a
		// stall earlier held them all up), then for the writer. Either way
		// the writer was running other batches, was held, or did not run.
		if txStart.After(m.due) {
			busy := overlapping(txs, m.due, txStart) + overlapping(commits, m.due, txStart)
			phases[phaseQueue] = busy
			rest := txStart.Sub(m.due) - busy
			for _, h := range held {
				if d := overlap(h, m.due, txStart); d > 0 {
					phases[h.name] += d
					rest -= d
				}
			}
			late := min(max(m.started.Sub(m.due), 0), max(rest, 0))
			phases[phaseLate] = late
			phases[phaseIdle] = max(rest-late, 0)
		}
		r.by[largest(phases)]++
	}
	return r
}

// lastEndingBy is the index of the last step (sorted by start) that ended by t, or -1.
func lastEndingBy(steps []stepSpan, t time.Time) int {
	i, _ := slices.BinarySearchFunc(steps, t, func(s stepSpan, t time.Time) int { return s.start.Compare(t) })
	for i--; i >= 0; i-- {
		if !steps[i].end.After(t) {
			return i
		}
	}
	return -1
}

// overlapping is how much of [from, to) the steps (sorted by start) cover.
func overlapping(steps []stepSpan, from, to time.Time) time.Duration {
	var d time.Duration
	i, _ := slices.BinarySearchFunc(steps, to, func(s stepSpan, t time.Time) int { return s.start.Compare(t) })
	for i--; i >= 0 && to.Sub(steps[i].start) < 10*time.Second; i-- {
		d += overlap(steps[i], from, to)
	}
	return d
}

func overlap(s stepSpan, from, to time.Time) time.Duration {
	return max(0, time.Duration(min(s.end.UnixNano(), to.UnixNano())-max(s.start.UnixNano(), from.UnixNano())))
}

// largest is the phase with the most time (the first in name order on a tie).
func largest(phases map[string]time.Duration) string {
	best, most := "", time.Duration(-1)
	for _, k := range slices.Sorted(maps.Keys(phases)) {
		if phases[k] > most {
			best, most = k, phases[k]
		}
	}
	return best
}

// String lists the phases, most frequent first.
func (r phaseReport) String() string {
	keys := make([]string, 0, len(r.by))
	for k := range r.by {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if r.by[a] != r.by[b] {
			return r.by[b] - r.by[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, r.by[k])
	}
	return strings.Join(parts, ", ")
}
