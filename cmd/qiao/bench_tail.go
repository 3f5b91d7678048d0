package main

import (
	"bufio"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// tailSlow is the latency from which a message counts as slow: the target p99.
const tailSlow = 5 * time.Millisecond

// tailKeep is the shortest step kept to explain slow messages; shorter ones
// are only counted, so a million messages cost a few counters, not a list.
const tailKeep = time.Millisecond

// stepRecorder collects the writer's and the checkpointer's steps during a
// run (storage.Tracer.Step): a summary of each, and the long ones.
type stepRecorder struct {
	mu    sync.Mutex
	steps map[string]*stepSummary
	long  []stepSpan // steps of tailKeep or more (all of them if all), in the order they ended
	all   bool       // keep every step: with -rate, to split slow messages into phases
}

type stepSummary struct {
	n, over1ms, over5ms int
	total, max          time.Duration
}

type stepSpan struct {
	name       string
	start, end time.Time
}

func (r *stepRecorder) record(step string, start time.Time, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.steps == nil {
		r.steps = map[string]*stepSummary{}
	}
	s := r.steps[step]
	if s == nil {
		s = &stepSummary{}
		r.steps[step] = s
	}
	s.n++
	s.total += d
	s.max = max(s.max, d)
	if d >= time.Millisecond {
		s.over1ms++
	}
	if d >= tailSlow {
		s.over5ms++
	}
	if d >= tailKeep || r.all {
		r.long = append(r.long, stepSpan{name: step, start: start, end: start.Add(d)})
	}
}

// messageSpan is one message's time in the pipeline: due is when it was
// offered, started when a worker handed it to the engine (later than due
// when the bench's own pacing fell behind), done when it was committed.
type messageSpan struct{ due, started, done time.Time }

// tailReport says what the messages slower than tailSlow waited on: for each,
// the step overlapping most of its time from when it was due to when it was
// committed (a stalled writer holds up the workers too, so the messages due
// meanwhile are handed over late), or "none recorded" (the queue behind other
// messages, the scheduler, the garbage collector). late counts the slow
// messages the bench handed over tailSlow/2 or more after they were due.
type tailReport struct {
	slow, late int
	waited     map[string]int
	ordered    []string // the keys of waited, most frequent first
}

func explainTail(spans []messageSpan, long []stepSpan) tailReport {
	r := tailReport{waited: map[string]int{}}
	sorted := slices.Clone(long)
	slices.SortFunc(sorted, func(a, b stepSpan) int { return a.start.Compare(b.start) })
	for _, m := range spans {
		if m.done.Sub(m.due) < tailSlow {
			continue
		}
		r.slow++
		if m.started.Sub(m.due) >= tailSlow/2 {
			r.late++
		}
		// The writer's own steps first: a background checkpoint is blamed
		// only when the writer was not busy or held meanwhile.
		why, most, mostBackground := "none recorded", time.Duration(0), time.Duration(0)
		// Steps that began before the message ended; a step is at most a
		// few seconds long, so the scan back stops early.
		end, _ := slices.BinarySearchFunc(sorted, m.done, func(s stepSpan, t time.Time) int { return s.start.Compare(t) })
		for i := end - 1; i >= 0 && m.due.Sub(sorted[i].start) < 10*time.Second; i-- {
			s := sorted[i]
			overlap := time.Duration(min(s.end.UnixNano(), m.done.UnixNano()) - max(s.start.UnixNano(), m.due.UnixNano()))
			switch {
			case background(s.name):
				if most == 0 && overlap > mostBackground {
					why, mostBackground = s.name, overlap
				}
			case overlap > most:
				why, most = s.name, overlap
			}
		}
		r.waited[why]++
	}
	for k := range r.waited {
		r.ordered = append(r.ordered, k)
	}
	slices.SortFunc(r.ordered, func(a, b string) int { return r.waited[b] - r.waited[a] })
	return r
}

// background reports whether the checkpointer, not the writer, runs a step.
func background(step string) bool {
	return step == storage.StepCheckpoint || step == storage.StepRestart || step == storage.StepFlush
}

// printTail prints the steps' summaries and what the slow messages waited on.
func printTail(w *bufio.Writer, rec *stepRecorder, spans []messageSpan, gc []stepSpan) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	printSteps(w, rec)
	long := rec.long
	if rec.all {
		long = slices.DeleteFunc(slices.Clone(long), func(s stepSpan) bool { return s.end.Sub(s.start) < tailKeep })
	}
	t := explainTail(spans, long)
	parts := make([]string, len(t.ordered))
	for i, k := range t.ordered {
		parts[i] = fmt.Sprintf("%s %d", k, t.waited[k])
	}
	fmt.Fprintf(w, "tail:       %d of %d messages took ≥ %s (%d handed over late); the step each overlapped most: %s\n",
		t.slow, len(spans), tailSlow, t.late, strings.Join(parts, ", "))
	if rec.all {
		p := explainPhases(spans, rec.long, gc)
		fmt.Fprintf(w, "phases:     of the %d, what took most of each one's time: %s; %d of them with a background checkpoint running, %d spanning a GC pause\n",
			p.slow, p, p.background, p.gc)
	}
}

// printSteps prints each step's summary (the caller holds rec.mu).
func printSteps(w *bufio.Writer, rec *stepRecorder) {
	for _, name := range []string{storage.StepTransaction, storage.StepCommit, storage.StepGateWait, storage.StepCkptWait,
		storage.StepTruncate, storage.StepCheckpoint, storage.StepFlush, storage.StepRestart} {
		s := rec.steps[name]
		if s == nil {
			continue
		}
		fmt.Fprintf(w, "  step %-16s %7d× mean %8s max %8s  ≥1 ms %5d  ≥5 ms %5d\n", name, s.n,
			(s.total / time.Duration(s.n)).Round(time.Microsecond), s.max.Round(time.Microsecond), s.over1ms, s.over5ms)
	}
}
