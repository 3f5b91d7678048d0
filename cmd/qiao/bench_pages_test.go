package main

import (
	"testing"
	"time"
)

// TestTakeDue: a worker takes every message that has arrived and is not yet
// taken, up to a page, or none and how long until the next arrives — on
// virtual times, no sleeps.
func TestTakeDue(t *testing.T) {
	ms := func(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }
	for _, c := range []struct {
		name            string
		next, n, page   int
		rate            float64
		elapsed         time.Duration
		wantTo          int
		wantWait        time.Duration
		wantNothingLeft bool
	}{
		{name: "all arrived: a full page", next: 0, n: 1000, page: 100, rate: 0, wantTo: 100},
		{name: "all arrived: the last, short page", next: 950, n: 1000, page: 100, rate: 0, wantTo: 1000},
		{name: "page 1 is one message", next: 7, n: 1000, page: 1, rate: 0, wantTo: 8},
		{name: "nothing left", next: 1000, n: 1000, page: 100, rate: 0, wantTo: 1000, wantNothingLeft: true},
		{name: "paced: only the first has arrived at the start", next: 0, n: 1000, page: 100, rate: 1000, elapsed: 0, wantTo: 1},
		{name: "paced: what arrived while busy", next: 3, n: 1000, page: 100, rate: 1000, elapsed: ms(7.5), wantTo: 8},
		{name: "paced: due exactly now counts", next: 3, n: 1000, page: 100, rate: 1000, elapsed: ms(8), wantTo: 9},
		{name: "paced: a long stall fills a page", next: 10, n: 1000, page: 100, rate: 1000, elapsed: ms(500), wantTo: 110},
		{name: "paced: page 1 while behind", next: 10, n: 1000, page: 1, rate: 1000, elapsed: ms(500), wantTo: 11},
		{name: "paced: none arrived yet: wait", next: 5, n: 1000, page: 100, rate: 1000, elapsed: ms(4.25), wantTo: 5, wantWait: ms(0.75)},
		{name: "paced: the end of the stream", next: 990, n: 1000, page: 100, rate: 1000, elapsed: ms(2000), wantTo: 1000},
		{name: "paced at a rate that does not divide a second", next: 0, n: 1000, page: 100, rate: 3, elapsed: ms(1000), wantTo: 4},
	} {
		to, wait := takeDue(c.next, c.n, c.page, c.rate, c.elapsed)
		if to != c.wantTo || wait != c.wantWait {
			t.Errorf("%s: takeDue = %d, %s; want %d, %s", c.name, to, wait, c.wantTo, c.wantWait)
		}
		if nothing := to == c.next && wait == 0; nothing != c.wantNothingLeft {
			t.Errorf("%s: nothing left = %v, want %v", c.name, nothing, c.wantNothingLeft)
		}
	}
}

// TestTakeDueTakesEachMessageOnce: walking a paced stream with irregular
// steps of virtual time, every message is taken exactly once, in order, never
// before it is due, and never later than the next take after it arrived.
func TestTakeDueTakesEachMessageOnce(t *testing.T) {
	const n, page, rate = 500, 7, 1000.0
	next, elapsed, steps := 0, time.Duration(0), []time.Duration{300 * time.Microsecond, 4 * time.Millisecond, 0, 11 * time.Millisecond}
	for k := 0; next < n; k++ {
		to, wait := takeDue(next, n, page, rate, elapsed)
		if to == next {
			if wait <= 0 {
				t.Fatalf("at %s: nothing taken and no wait with %d left", elapsed, n-next)
			}
			elapsed += wait
			continue
		}
		for i := next; i < to; i++ {
			if dueAfter(i, rate) > elapsed {
				t.Fatalf("message %d taken at %s, before it was due at %s", i, elapsed, dueAfter(i, rate))
			}
		}
		if to-next < page && to < n && dueAfter(to, rate) <= elapsed {
			t.Fatalf("at %s: took %d…%d but %d had arrived too", elapsed, next, to-1, to)
		}
		next = to
		elapsed += steps[k%len(steps)]
	}
}
