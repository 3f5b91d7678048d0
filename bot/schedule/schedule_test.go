package schedule_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/schedule"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a time in Shanghai on December 2026.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 12, day, hour, minute, 0, 0, shanghai)
}

// TestMain runs the package in UTC, as on a server, whatever the machine's
// zone. It is set once, before any goroutine starts: changing time.Local while
// a database's background goroutines read the clock is a data race.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

// inUTC marks a test that depends on the process running in UTC (TestMain).
func inUTC(t *testing.T) {
	t.Helper()
	if time.Local != time.UTC {
		t.Fatal("the process's zone is not UTC")
	}
}

// recorder is a job that remembers the occurrences it ran for.
type recorder struct {
	mu   sync.Mutex
	runs []time.Time
	ran  chan time.Time
}

func newRecorder() *recorder { return &recorder{ran: make(chan time.Time, 100)} }

func (r *recorder) run(_ context.Context, now time.Time) error {
	r.mu.Lock()
	r.runs = append(r.runs, now)
	r.mu.Unlock()
	r.ran <- now
	return nil
}

func (r *recorder) times() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, t := range r.runs {
		out = append(out, t.In(shanghai).Format("01-02 15:04"))
	}
	return out
}

type env struct {
	db    *storage.DB
	clock *bot.VirtualClock
	path  string
}

func newEnv(t *testing.T, start time.Time) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "qiao.db")
	e := &env{clock: bot.NewVirtualClock(start), path: path}
	e.db = e.open(t)
	return e
}

func (e *env) open(t *testing.T) *storage.DB {
	t.Helper()
	db := storagetest.OpenAt(t, e.path)
	db.Now = e.clock.Now
	return db
}

// scheduler is one process lifetime's scheduler over the env's database.
func (e *env) scheduler(t *testing.T, catchUp time.Duration, jobs ...schedule.Job) *schedule.Scheduler {
	t.Helper()
	s := &schedule.Scheduler{DB: e.db, Clock: e.clock, Location: shanghai, CatchUp: catchUp,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, j := range jobs {
		if err := s.Add(j); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func expect(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("runs = [%s], want [%s]", strings.Join(got, ", "), strings.Join(want, ", "))
	}
}

func TestRunDueAt0830ShanghaiWhileTheProcessRunsInUTC(t *testing.T) {
	inUTC(t)
	e := newEnv(t, at(1, 8, 0))
	digest := newRecorder()
	s := e.scheduler(t, time.Hour, schedule.Job{Name: "digest", Spec: "30 8 * * *", Run: digest.run})
	ctx := context.Background()
	if err := s.RunDue(ctx, at(1, 8, 0)); err != nil { // first sight: starts counting
		t.Fatal(err)
	}
	if err := s.RunDue(ctx, at(1, 8, 29)); err != nil {
		t.Fatal(err)
	}
	expect(t, digest.times())
	if err := s.RunDue(ctx, at(1, 8, 30)); err != nil {
		t.Fatal(err)
	}
	expect(t, digest.times(), "12-01 08:30")
	if got := digest.runs[0]; !got.Equal(time.Date(2026, 12, 1, 0, 30, 0, 0, time.UTC)) {
		t.Errorf("ran for %v, want 00:30 UTC", got.UTC())
	}
}

func TestRunDueReplaysDailyOccurrencesAndCoalescesFrequentOnes(t *testing.T) {
	e := newEnv(t, at(1, 9, 0))
	daily, weekly, tick := newRecorder(), newRecorder(), newRecorder()
	var order []string
	var mu sync.Mutex
	note := func(name string, r *recorder) schedule.Func {
		return func(ctx context.Context, now time.Time) error {
			mu.Lock()
			order = append(order, name+" "+now.In(shanghai).Format("01-02 15:04"))
			mu.Unlock()
			return r.run(ctx, now)
		}
	}
	s := e.scheduler(t, time.Hour,
		schedule.Job{Name: "digest", Spec: "30 8 * * *", Run: note("digest", daily)},
		schedule.Job{Name: "weekly", Spec: "0 19 * * 0", Run: note("weekly", weekly)},
		schedule.Job{Name: "polls", Spec: "* * * * *", Run: note("polls", tick)},
	)
	ctx := context.Background()
	if err := s.RunDue(ctx, at(1, 9, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.RunDue(ctx, at(8, 9, 0)); err != nil {
		t.Fatal(err)
	}
	expect(t, order, "digest 12-02 08:30", "digest 12-03 08:30", "digest 12-04 08:30", "digest 12-05 08:30",
		"digest 12-06 08:30", "weekly 12-06 19:00", "digest 12-07 08:30", "digest 12-08 08:30", "polls 12-08 09:00")
}

func TestCatchUpAfterDowntime(t *testing.T) {
	inUTC(t)
	ctx := context.Background()
	job := func(r *recorder) schedule.Job { return schedule.Job{Name: "digest", Spec: "30 8 * * *", Run: r.run} }

	t.Run("within the window: exactly one run, and none on the next restart", func(t *testing.T) {
		e := newEnv(t, at(1, 8, 0))
		r := newRecorder()
		first := e.scheduler(t, 3*time.Hour, job(r))
		if err := first.CatchUpTo(ctx, at(1, 8, 0)); err != nil {
			t.Fatal(err)
		}
		if err := first.RunDue(ctx, at(1, 8, 30)); err != nil {
			t.Fatal(err)
		}
		// Down from day 2 08:00 to 10:00.
		e.clock.Set(at(2, 10, 0))
		second := e.scheduler(t, 3*time.Hour, job(r))
		if err := second.CatchUpTo(ctx, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(at(2, 10, 5))
		third := e.scheduler(t, 3*time.Hour, job(r))
		if err := third.CatchUpTo(ctx, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		expect(t, r.times(), "12-01 08:30", "12-02 08:30")
	})

	t.Run("several missed days run once, for the latest", func(t *testing.T) {
		e := newEnv(t, at(1, 9, 0))
		r := newRecorder()
		if err := e.scheduler(t, 3*time.Hour, job(r)).CatchUpTo(ctx, at(1, 9, 0)); err != nil {
			t.Fatal(err)
		}
		if err := e.scheduler(t, 3*time.Hour, job(r)).CatchUpTo(ctx, at(4, 9, 0)); err != nil {
			t.Fatal(err)
		}
		expect(t, r.times(), "12-04 08:30")
	})

	t.Run("outside the window: none, and the next day as usual", func(t *testing.T) {
		e := newEnv(t, at(1, 9, 0))
		r := newRecorder()
		if err := e.scheduler(t, 3*time.Hour, job(r)).CatchUpTo(ctx, at(1, 9, 0)); err != nil {
			t.Fatal(err)
		}
		s := e.scheduler(t, 3*time.Hour, job(r))
		if err := s.CatchUpTo(ctx, at(2, 12, 0)); err != nil {
			t.Fatal(err)
		}
		if err := s.CatchUpTo(ctx, at(2, 12, 1)); err != nil {
			t.Fatal(err)
		}
		expect(t, r.times())
		if err := s.RunDue(ctx, at(3, 8, 30)); err != nil {
			t.Fatal(err)
		}
		expect(t, r.times(), "12-03 08:30")
	})
}

func TestRunFollowsTheClock(t *testing.T) {
	inUTC(t)
	e := newEnv(t, at(1, 8, 0))
	r := newRecorder()
	s := e.scheduler(t, time.Hour, schedule.Job{Name: "digest", Spec: "30 8 * * *", Run: r.run})
	ctx, cancel := context.WithCancel(context.Background())
	// The first start, at 08:00, before the test moves the clock.
	if err := s.CatchUpTo(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()

	// Move the clock to 08:30 until the loop, once it waits, wakes and runs.
	var got time.Time
	for got.IsZero() {
		e.clock.Set(at(1, 8, 30))
		select {
		case got = <-r.ran:
		default:
			runtime.Gosched()
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	expect(t, r.times(), "12-01 08:30")
}

func TestAFailingJobDoesNotStopTheOthers(t *testing.T) {
	e := newEnv(t, at(1, 8, 0))
	r := newRecorder()
	panics := 0
	s := e.scheduler(t, time.Hour,
		schedule.Job{Name: "broken", Spec: "30 8 * * *", Run: func(context.Context, time.Time) error {
			panics++
			panic("boom")
		}},
		schedule.Job{Name: "failing", Spec: "30 8 * * *", Run: func(context.Context, time.Time) error {
			return errors.New("database on fire")
		}},
		schedule.Job{Name: "digest", Spec: "30 8 * * *", Run: r.run},
	)
	ctx := context.Background()
	if err := s.RunDue(ctx, at(1, 8, 0)); err != nil {
		t.Fatal(err)
	}
	err := s.RunDue(ctx, at(1, 8, 30))
	if err == nil || !strings.Contains(err.Error(), "job broken: panic: boom") || !strings.Contains(err.Error(), "job failing: database on fire") {
		t.Errorf("err = %v, want both failures named", err)
	}
	expect(t, r.times(), "12-01 08:30")
	// Retried at the next occurrence, not before.
	if err := s.RunDue(ctx, at(1, 9, 0)); err != nil {
		t.Fatal(err)
	}
	if panics != 1 {
		t.Errorf("broken ran %d times before its next occurrence, want 1", panics)
	}
	_ = s.RunDue(ctx, at(2, 8, 30))
	if panics != 2 {
		t.Errorf("broken ran %d times after its next occurrence, want 2", panics)
	}
}

func TestAddRejectsBadSpecsNamingTheJob(t *testing.T) {
	e := newEnv(t, at(1, 8, 0))
	s := e.scheduler(t, time.Hour)
	for _, spec := range []string{"", "30 8 * *", "61 8 * * *", "@fortnightly", "every day"} {
		err := s.Add(schedule.Job{Name: "digest", Spec: spec, Run: newRecorder().run})
		if err == nil || !strings.Contains(err.Error(), "job digest") {
			t.Errorf("Add(%q) = %v, want an error naming the job", spec, err)
		}
	}
	ok := schedule.Job{Name: "digest", Spec: "@daily", Run: newRecorder().run}
	if err := s.Add(ok); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(ok); err == nil {
		t.Error("a job added twice was accepted")
	}
}

func TestConfig(t *testing.T) {
	off := false
	c := schedule.Config{List: []schedule.JobConfig{
		{Name: "digest", Spec: "0 7 * * *"},
		{Name: "weekly", Enabled: &off},
		{Name: "nightly", Spec: "@daily"},
		{Name: "digest", Spec: "0 25 * * *"},
	}}
	c.FillDefaults([]schedule.JobConfig{
		{Name: "digest", Spec: "30 8 * * *", Targets: []string{"staff"}},
		{Name: "weekly", Spec: "0 19 * * 0", Targets: []string{"building"}},
		{Name: "polls", Spec: "* * * * *"},
	})
	if c.CatchUp != schedule.DefaultCatchUp {
		t.Errorf("catch_up = %v, want the default", c.CatchUp)
	}
	if c.List[0].Spec != "0 7 * * *" || strings.Join(c.List[0].Targets, ",") != "staff" {
		t.Errorf("digest = %+v, want its spec kept and the default targets", c.List[0])
	}
	if c.List[1].On() || c.List[1].Spec != "0 19 * * 0" {
		t.Errorf("weekly = %+v, want disabled with the default spec", c.List[1])
	}
	if last := c.List[len(c.List)-1]; last.Name != "polls" || !last.On() {
		t.Errorf("last = %+v, want the default polls job added", last)
	}
	got := strings.Join(c.Validate("jobs"), "\n")
	for _, want := range []string{
		`jobs.list[2].name: unknown job "nightly" (known: digest, weekly, polls)`,
		`jobs.list[3].name: job "digest" is listed twice`,
		`jobs.list[3].spec: job digest: invalid cron spec "0 25 * * *"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("validation lacks %q; got:\n%s", want, got)
		}
	}
}
