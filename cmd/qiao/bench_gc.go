package main

import (
	"math"
	"runtime/metrics"
	"time"
)

// gcSample is the garbage collector's count of cycles and its histogram of
// stop-the-world pauses, read before and after a run to tell what the
// collector cost it.
type gcSample struct {
	cycles uint64
	pauses *metrics.Float64Histogram
}

func readGC() gcSample {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(s)
	g := gcSample{}
	if s[0].Value.Kind() == metrics.KindUint64 {
		g.cycles = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindFloat64Histogram {
		g.pauses = s[1].Value.Float64Histogram()
	}
	return g
}

// gcCost is what the collector did between two samples: cycles, pauses,
// pauses of a millisecond or more, and the upper bound of the longest one's bucket.
type gcCost struct {
	cycles, pauses, over1ms uint64
	longest                 time.Duration
}

func (after gcSample) since(before gcSample) gcCost {
	c := gcCost{cycles: after.cycles - before.cycles}
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
