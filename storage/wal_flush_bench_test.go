package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkFinalPass measures how long a restart's final pass holds the writer
// off while another goroutine commits about a thousand rows a second, with the
// database file flushed beside the writer before it (as restartWAL does) and
// without (as before: the final pass synced every page the passes had
// written). The two alternate, restart after restart, on one database.
//
//	go test -run '^$' -bench FinalPass -benchtime 1x ./storage
func BenchmarkFinalPass(b *testing.B) {
	ctx := context.Background()
	db := openTemp(b)
	var stop atomic.Bool
	done := make(chan struct{})
	go func() { // the writer: a row of ~3 KB on a random one of 20,000 keys, back to back
		defer close(done)
		value := strings.Repeat("水", 1000)
		for i := 0; !stop.Load(); i++ {
			db.SetValue(ctx, fmt.Sprint("k", rand.IntN(20000)), value)
			time.Sleep(250 * time.Microsecond)
		}
	}()
	defer func() { stop.Store(true); <-done }()
	holds := map[bool][]time.Duration{}
	for range b.N {
		for round := range 32 {
			flush := round%2 == 0
			for db.walLogSize() < 8<<20 { // a restart's worth of log, as at walLimit/2, smaller
				time.Sleep(10 * time.Millisecond)
			}
			if flush {
				db.catchUp()
			} else {
				db.checkpointing.Lock()
				for range restartPasses {
					logFrames, done := db.passiveCheckpoint()
					if done == 0 || logFrames-done <= restartFrames {
						break
					}
				}
				db.checkpointing.Unlock()
			}
			db.gate.Lock()
			db.checkpointing.Lock()
			start := time.Now()
			db.emptyWAL(ctx, "RESTART", "PRAGMA busy_timeout(1)", StepRestart)
			holds[flush] = append(holds[flush], time.Since(start))
			db.checkpointing.Unlock()
			db.gate.Unlock()
		}
	}
	for _, flush := range []bool{false, true} {
		h := holds[flush]
		slices.Sort(h)
		var sum time.Duration
		over5ms := 0
		for _, d := range h {
			sum += d
			if d >= 5*time.Millisecond {
				over5ms++
			}
		}
		name := map[bool]string{false: "unflushed", true: "flushed"}[flush]
		b.ReportMetric(float64(sum.Microseconds())/float64(len(h))/1000, name+"-mean-ms")
		b.ReportMetric(float64(h[len(h)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(h[len(h)-1].Microseconds())/1000, name+"-max-ms")
		b.ReportMetric(float64(over5ms), name+"-holds≥5ms")
	}
}
