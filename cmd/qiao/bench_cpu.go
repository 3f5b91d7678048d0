package main

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/qiao-community/qiao/internal/cputime"
)

// cpuMeter measures the process's CPU time (user + system, every goroutine,
// the garbage collector's too) and heap allocations over a stretch of work.
// On a loaded machine wall-clock rates swing with the neighbours; CPU time
// per message moves much less, so qiao/ideal is also printed as a CPU ratio.
type cpuMeter struct {
	cpu    time.Duration
	allocs uint64
}

// cpuNow reads the process's CPU time and allocation count.
func cpuNow() cpuMeter {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return cpuMeter{cpu: cputime.Process(), allocs: ms.Mallocs}
}

// since is what was spent from m to now.
func (m cpuMeter) since() cpuMeter {
	now := cpuNow()
	return cpuMeter{cpu: now.cpu - m.cpu, allocs: now.allocs - m.allocs}
}

// perMessage formats CPU µs and allocations per message.
func (m cpuMeter) perMessage(n int) string {
	if n <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f µs CPU, %.0f allocations a message", float64(m.cpu.Microseconds())/float64(n), float64(m.allocs)/float64(n))
}

// medianCPU is the replay with the median CPU time.
func medianCPU(ms []cpuMeter) cpuMeter {
	if len(ms) == 0 {
		return cpuMeter{}
	}
	s := slices.Clone(ms)
	slices.SortFunc(s, func(a, b cpuMeter) int { return cmp.Compare(a.cpu, b.cpu) })
	return s[len(s)/2]
}

// cpuRatio is the ideal's CPU a message over the pipeline's (0 if unmeasured).
func cpuRatio(ideal cpuMeter, idealN int, pipeline cpuMeter, n int) float64 {
	if ideal.cpu <= 0 || pipeline.cpu <= 0 || idealN <= 0 || n <= 0 {
		return 0
	}
	return (float64(ideal.cpu) / float64(idealN)) / (float64(pipeline.cpu) / float64(n))
}
