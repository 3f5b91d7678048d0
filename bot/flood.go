package bot

import (
	"sync"
	"time"
)

// FloodConfig is per-person flood control (the config's flood: section).
type FloodConfig struct {
	// PerMinute is how many messages one person may send in a minute before the
	// rest wait; 0 turns flood control off.
	PerMinute int `yaml:"per_minute"`
}

// DefaultFloodPerMinute is the default limit: far above anyone typing, far
// below a script or a paste storm.
const DefaultFloodPerMinute = 30

// floodWindow is the period PerMinute refers to.
const floodWindow = time.Minute

// Flood verdicts.
type floodVerdict int

const (
	floodOK   floodVerdict = iota // serve as usual
	floodWarn                     // the first message over the limit: record it, answer with a warning
	floodDrop                     // over the limit again: record it as handled, do nothing else
)

// FloodGuard limits how fast one person is served, with a token bucket per
// person: a bucket holds PerMinute tokens and refills at PerMinute a minute; a
// message takes one. A person with an empty bucket is flooding: the first such
// message gets one warning, the rest are recorded and dropped until tokens come
// back, so a flooder is served at PerMinute a minute at most and everyone else
// is unaffected. The warning is given again only after a whole window without
// a drop. Times come from the caller (the transaction's clock), so tests are
// deterministic. It is safe for concurrent use.
type FloodGuard struct {
	perMinute int
	mu        sync.Mutex
	people    map[string]*bucket
	calls     int
}

type bucket struct {
	tokens   float64
	at       time.Time // when tokens was computed
	warned   bool
	lastDrop time.Time
}

// NewFloodGuard returns a guard, or nil (no limit) when cfg.PerMinute is 0.
func NewFloodGuard(cfg FloodConfig) *FloodGuard {
	if cfg.PerMinute <= 0 {
		return nil
	}
	return &FloodGuard{perMinute: cfg.PerMinute, people: map[string]*bucket{}}
}

// check takes a token for the person key at time now.
func (g *FloodGuard) check(key string, now time.Time) floodVerdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	if g.calls%4096 == 0 {
		g.sweep(now)
	}
	limit := float64(g.perMinute)
	b := g.people[key]
	if b == nil {
		b = &bucket{tokens: limit, at: now}
		g.people[key] = b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(limit, b.tokens+limit*d.Seconds()/floodWindow.Seconds())
		b.at = now
	}
	if b.warned && now.Sub(b.lastDrop) >= floodWindow {
		b.warned = false // a quiet window since the last drop: a new flood gets a new warning
	}
	if b.tokens >= 1 {
		b.tokens--
		return floodOK
	}
	b.lastDrop = now
	if !b.warned {
		b.warned = true
		return floodWarn
	}
	return floodDrop
}

// sweep forgets people whose bucket is full again and who owe no warning reset,
// so memory stays proportional to the recently active.
func (g *FloodGuard) sweep(now time.Time) {
	for k, b := range g.people {
		if now.Sub(b.at) >= floodWindow && now.Sub(b.lastDrop) >= floodWindow {
			delete(g.people, k)
		}
	}
}
