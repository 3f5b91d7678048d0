package main

import (
	"math"
	"runtime"
	"runtime/metrics"
	"time"
)

// gcSample is the garbage collector's count of cycles and its histogram of
// stop-the-world pauses, read before and after a run to tell what the
// collector cost it.
type gcSample struct {
	cycles uint64
	pauses *metrics.Float64Histogram
	// How long goroutines waited, runnable, for a processor to run on.
	runnable *metrics.Float64Histogram
}

func readGC() gcSample {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/sched/pauses/total/gc:seconds"},
		{Name: "/sched/latencies:seconds"}}
	metrics.Read(s)
	g := gcSample{}
	if s[0].Value.Kind() == metrics.KindUint64 {
		g.cycles = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindFloat64Histogram {
		g.pauses = s[1].Value.Float64Histogram()
	}
	if s[2].Value.Kind() == metrics.KindFloat64Histogram {
		g.runnable = s[2].Value.Float64Histogram()
	}
	return g
}

// gcCost is what the collector did between two samples: cycles, pauses,
// pauses of a millisecond or more, and the upper bound of the longest one's bucket.
type gcCost struct {
	cycles, pauses, over1ms uint64
	longest                 time.Duration
	// Goroutines made runnable, and how many of them waited 1 ms or more
	// (5 ms or more) for a processor: the scheduler's share of the tail.
	scheduled, waited1ms, waited5ms uint64
}

func (after gcSample) since(before gcSample) gcCost {
	c := gcCost{cycles: after.cycles - before.cycles}
	c.scheduled, c.waited1ms = countSince(after.runnable, before.runnable, 0.001)
	_, c.waited5ms = countSince(after.runnable, before.runnable, 0.005)
	if after.pauses == nil || before.pauses == nil || len(after.pauses.Counts) != len(before.pauses.Counts) {
		return c
	}
	for i, n := range after.pauses.Counts {
		n -= before.pauses.Counts[i]
		if n == 0 {
			continue
		}
		c.pauses += n
		low, high := after.pauses.Buckets[i], after.pauses.Buckets[i+1]
		if low >= 0.001 {
			c.over1ms += n
		}
		if !math.IsInf(high, 1) {
			c.longest = max(c.longest, time.Duration(high*float64(time.Second)))
		}
	}
	return c
}

// countSince is how many samples a histogram gained between two reads, and how
// many of them in buckets starting at from seconds or more.
func countSince(after, before *metrics.Float64Histogram, from float64) (all, over uint64) {
	if after == nil || before == nil || len(after.Counts) != len(before.Counts) {
		return 0, 0
	}
	for i, n := range after.Counts {
		n -= before.Counts[i]
		all += n
		if after.Buckets[i] >= from {
			over += n
		}
	}
	return all, over
}

// gcPausesSince are the collector's stop-the-world pauses (each cycle's, summed,
// ending at its mark termination) since the start, the last 256 at most, as
// spans named "gc pause": a slow message spanning one ran during a GC cycle.
func gcPausesSince(start time.Time) []stepSpan {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var spans []stepSpan
	for i := range min(ms.NumGC, uint32(len(ms.PauseEnd))) {
		k := (ms.NumGC - 1 - i) % uint32(len(ms.PauseEnd))
		end := time.Unix(0, int64(ms.PauseEnd[k]))
		if end.Before(start) {
			break
		}
		spans = append(spans, stepSpan{name: "gc pause", start: end.Add(-time.Duration(ms.PauseNs[k])), end: end})
	}
	return spans
}
