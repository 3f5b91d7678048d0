package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// sliceMessages is how many messages each of the soak's slice lines covers.
const sliceMessages = 100000

// sliceWatch writes a line each sliceMessages messages: that slice's rate and
// the writer's busy time a message over it, so that a soak which slows as the
// database grows shows where, and whether the writer is what slows.
type sliceWatch struct {
	stop chan struct{}
	once sync.Once
	done sync.WaitGroup
}

func watchSlices(out io.Writer, db *storage.DB) *sliceWatch {
	w := &sliceWatch{stop: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		from, at, busy := benchRecorded.Load(), time.Now(), db.WriterBusy()
		line := func(n int64) {
			now, b := time.Now(), db.WriterBusy()
			fmt.Fprintf(out, "bench: slice to %d messages: %.0f msg/s, writer busy %.0f µs a message\n", n,
				float64(n-from)/now.Sub(at).Seconds(), float64((b-busy).Microseconds())/float64(n-from))
			from, at, busy = n, now, b
		}
		for {
			select {
			case <-w.stop:
				if n := benchRecorded.Load(); n > from { // the last, shorter slice
					line(n)
				}
				return
			case <-tick.C:
			}
			if n := benchRecorded.Load(); n/sliceMessages != from/sliceMessages {
				line(n)
			}
		}
	}()
	return w
}

// Stop ends the watch; stopping twice is fine.
func (w *sliceWatch) Stop() {
	w.once.Do(func() { close(w.stop) })
	w.done.Wait()
}
