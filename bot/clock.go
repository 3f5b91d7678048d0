package bot

import (
	"sort"
	"sync"
	"time"
)

// Clock is the one source of time. Production uses SystemClock; tests and the
// console's :time directive use a VirtualClock.
type Clock interface {
	Now() time.Time
	// After fires once the clock has passed d from now.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time                         { return time.Now() }
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// VirtualClock is a clock that moves only when told to.
type VirtualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewVirtualClock returns a clock standing at t.
func NewVirtualClock(t time.Time) *VirtualClock { return &VirtualClock{now: t} }

func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *VirtualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	at := c.now.Add(d)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: at, ch: ch})
	return ch
}

// Set moves the clock to t (never backwards) and fires the timers now due.
func (c *VirtualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	sort.Slice(c.waiters, func(i, j int) bool { return c.waiters[i].at.Before(c.waiters[j].at) })
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// Advance moves the clock forward by d.
func (c *VirtualClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Waiters is the number of pending timers (tests wait for a goroutine to block).
func (c *VirtualClock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

var locations sync.Map // time zone name → *time.Location

// Location returns the named time zone (UTC when it is unknown: the config
// validated every name). Zones are loaded once; time.LoadLocation reads the
// zone file on every call, which showed in the profile of every request.
func Location(name string) *time.Location {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	locations.Store(name, l)
	return l
}
