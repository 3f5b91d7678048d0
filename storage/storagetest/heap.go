package storagetest

import (
	"runtime"
	"sync/atomic"
	"time"
)

// PeakHeap runs fn and returns the most heap in use above the level before it
// (runtime.MemStats.HeapInuse, sampled every millisecond), for benchmarks that
// state how much memory an export takes.
func PeakHeap(fn func()) uint64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak.Load() - min(peak.Load(), base.HeapInuse)
}
