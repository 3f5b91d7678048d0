package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qiao-community/qiao/bot"
)

// defaultBenchPage is how many messages the adapters hand the engine at most
// in one HandleBatch call: a Telegram getUpdates page (≤ 100 updates), a
// WeChat sync (maxSyncBatch).
const defaultBenchPage = 100

// dueAfter is when message i is due, counted from the run's start: at rate a
// second, or at once when rate is 0 (everything has arrived).
func dueAfter(i int, rate float64) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(float64(i) / rate * float64(time.Second))
}

// takeDue is an adapter's receive loop in one step: messages next…n-1 are not
// yet taken, and elapsed has passed since the run began. It takes every one
// that has arrived, at most page, as next…to-1; when none has arrived it
// takes none (to == next) and says how long until the next one does. With
// next ≥ n there is nothing left (to == next, wait 0).
func takeDue(next, n, page int, rate float64, elapsed time.Duration) (to int, wait time.Duration) {
	if next >= n {
		return next, 0
	}
	if d := dueAfter(next, rate); d > elapsed {
		return next, d - elapsed
	}
	to = min(n, next+page)
	if rate <= 0 {
		return to, 0
	}
	// Arrived: every i with dueAfter(i) ≤ elapsed. Start from the estimate and
	// correct it by the same rounding as dueAfter.
	arrived := min(to, max(next+1, int(elapsed.Seconds()*rate)+1))
	for arrived > next+1 && dueAfter(arrived-1, rate) > elapsed {
		arrived--
	}
	for arrived < to && dueAfter(arrived, rate) <= elapsed {
		arrived++
	}
	return arrived, 0
}

// pageTaker hands out messages 0…n-1 to the bench's workers as pages. One
// worker at a time holds it while it waits for the next message to arrive,
// as one receive loop would; the others wait for it and then take what
// arrived meanwhile.
type pageTaker struct {
	mu      sync.Mutex
	next, n int
	page    int
	rate    float64
	start   time.Time
	calls   atomic.Int64 // pages taken
}

// take returns the next page, [from, to), and when it was taken; ok is false
// when every message is taken or ctx is done.
func (t *pageTaker) take(ctx context.Context) (from, to int, taken time.Time, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for ctx.Err() == nil {
		now := time.Now()
		to, wait := takeDue(t.next, t.n, t.page, t.rate, now.Sub(t.start))
		if to > t.next {
			from, t.next = t.next, to
			t.calls.Add(1)
			return from, to, now, true
		}
		if wait <= 0 {
			return 0, 0, now, false
		}
		time.Sleep(wait)
	}
	return 0, 0, time.Time{}, false
}

// driveResult is what drive measured: each message's latency (from when it
// was due to when its page was committed), the messages whose HandleBatch
// error was not nil, and the pages handed over.
type driveResult struct {
	latencies []time.Duration
	errors    int64
	calls     int64 // HandleBatch calls
}

// meanPage is the mean number of messages a HandleBatch call.
func (r driveResult) meanPage(n int) float64 {
	if r.calls == 0 {
		return 0
	}
	return float64(n) / float64(r.calls)
}

// drive hands messages 0…n-1 to the engine from workers goroutines, each
// taking, like an adapter's receive loop, every message that has arrived and
// not yet been taken, up to page, and handing them over in one HandleBatch
// call. Messages are offered at rate a second from start (0: all have arrived
// at the start, so pages are full). A message's latency runs from when it was
// due (with rate 0, when its page was taken) to when its batch returned.
// spans, if not nil, gets each message's times.
func drive(ctx context.Context, e *bot.Engine, n, workers, page int, rate float64, start time.Time,
	message func(i int) bot.Message, spans []messageSpan) driveResult {
	latencies := make([]time.Duration, n)
	var errs atomic.Int64
	t := &pageTaker{n: n, page: page, rate: rate, start: start}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msgs := make([]bot.Message, 0, page)
			for {
				from, to, taken, ok := t.take(ctx)
				if !ok {
					return
				}
				msgs = msgs[:0]
				for i := from; i < to; i++ {
					msgs = append(msgs, message(i))
				}
				for _, err := range e.HandleBatch(ctx, msgs) {
					if err != nil {
						errs.Add(1)
					}
				}
				done := time.Now()
				for i := from; i < to; i++ {
					due := taken
					if rate > 0 {
						due = start.Add(dueAfter(i, rate))
					}
					latencies[i] = done.Sub(due)
					if spans != nil {
						spans[i] = messageSpan{due: due, started: taken, done: done}
					}
				}
				benchRecorded.Add(int64(to - from))
			}
		}()
	}
	wg.Wait()
	return driveResult{latencies: latencies, errors: errs.Load(), calls: t.calls.Load()}
}
