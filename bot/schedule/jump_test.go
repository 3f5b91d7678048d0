package schedule_test

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot/schedule"
)

// jumpClock is a clock that can be set back, as a server's clock is when an
// operator or NTP corrects it; it records the waits asked of it.
type jumpClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *jumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *jumpClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// After never fires: the tests drive the scheduler's passes themselves.
func (c *jumpClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	return make(chan time.Time)
}

func (c *jumpClock) asked() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

func TestClockSetForwardThenBackDoesNotFreezeTheSchedule(t *testing.T) {
	inUTC(t)
	ctx := context.Background()
	e := newEnv(t, at(1, 9, 0))
	clock := &jumpClock{now: at(1, 9, 0)}
	r := newRecorder()
	s := &schedule.Scheduler{DB: e.db, Clock: clock, Location: shanghai, CatchUp: 3 * time.Hour,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := s.Add(schedule.Job{Name: "digest", Spec: "30 8 * * *", Run: r.run}); err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUpTo(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	// Set forward by mistake: like downtime, the latest occurrence runs once.
	clock.set(at(20, 9, 0))
	if err := s.CatchUpTo(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	expect(t, r.times(), "12-20 08:30")

	// Corrected: the next run is tomorrow morning, not December 21st.
	clock.set(at(2, 7, 0))
	next, err := s.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := at(2, 8, 30); !next.Equal(want) {
		t.Fatalf("next run after the correction: %s, want %s", next.In(shanghai), want)
	}
	if err := s.RunDue(ctx, at(2, 8, 30)); err != nil {
		t.Fatal(err)
	}
	expect(t, r.times(), "12-20 08:30", "12-02 08:30")
}

func TestRunNeverSleepsLongerThanAMinute(t *testing.T) {
	inUTC(t)
	e := newEnv(t, at(1, 9, 0))
	clock := &jumpClock{now: at(1, 9, 0)}
	r := newRecorder()
	s := &schedule.Scheduler{DB: e.db, Clock: clock, Location: shanghai, CatchUp: 3 * time.Hour,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := s.Add(schedule.Job{Name: "digest", Spec: "30 8 * * *", Run: r.run}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	for len(clock.asked()) == 0 {
		runtime.Gosched()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The next run is 23½ hours away; a wall clock set forward meanwhile must
	// be noticed within a minute, not after 23½ hours of monotonic time.
	if got := clock.asked()[0]; got > time.Minute {
		t.Errorf("the loop slept %s at once", got)
	}
}
