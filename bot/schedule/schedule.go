// Package schedule runs Qiao's periodic jobs (the daily digest, the weekly
// summary, overdue reminders, poll closing) on cron specs in the community's
// time zone, whatever the server's zone.
//
// It parses specs with robfig/cron/v3 but runs them itself, on bot.Clock: cron's
// own runner reads the wall clock, so it could neither follow the console's
// virtual time nor catch up after downtime. Three entry points:
//
//   - Run: the production loop. At start, and whenever it wakes, it runs each
//     job's latest missed occurrence once, if that is still within the catch-up
//     window (CatchUp); older ones are skipped. Never twice.
//   - RunDue: everything due up to T, every occurrence in time order (tests and
//     the console's :time). Occurrences less than an hour apart (a job checked
//     every minute) are coalesced into the last one.
//   - Each job's last run is kept in the database (kv "schedule.NAME"), so a
//     restart neither repeats nor forgets a run. A restart in the middle of a
//     run repeats it; jobs put a dedupe key per period on what they post, so
//     nothing is posted twice.
//
// A failing or panicking job is logged with its name and tried again at its
// next occurrence; it does not stop the others. Jobs run one at a time, so a job
// never overlaps itself (cron's SkipIfStillRunning, by construction).
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// Func is a scheduled job. now is the occurrence it runs for (not the wall
// clock): a job run late for 08:30 reports on the day up to 08:30. It must be
// idempotent for a period (see the package comment).
type Func func(ctx context.Context, now time.Time) error

// Job is a named job on a cron spec.
type Job struct {
	Name string
	Spec string // 5 fields or a descriptor (@daily, @every 1h)
	Run  Func

	sched cron.Schedule
}

// Scheduler runs jobs. Set the fields, Add jobs, then Run (or RunDue).
type Scheduler struct {
	DB       *storage.DB
	Clock    bot.Clock
	Location *time.Location // specs are read in this zone
	Log      *slog.Logger
	// CatchUp is how late a missed occurrence may still run at start; 0 skips
	// every missed occurrence.
	CatchUp time.Duration

	mu   sync.Mutex // one pass at a time: jobs never overlap
	jobs []*Job
}

// replayMinGap: RunDue replays each occurrence of a job, unless its
// occurrences are closer together than this; then it runs the last one only.
const replayMinGap = time.Hour

// onTime is how late an occurrence may start and still count as on time, not
// missed (the loop wakes a little after the timer).
const onTime = time.Minute

// maxWait is the longest the loop sleeps before it reads the clock again.
// Timers run on the monotonic clock: after the wall clock is set forward or
// back, a long sleep would wake at the wrong wall time.
const maxWait = time.Minute

// maxOccurrences bounds the occurrences RunDue lists per job and pass.
const maxOccurrences = 5000

// Parse checks a spec the way Add reads it.
func Parse(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil { // cron's parser has panicked on odd input before
			err = fmt.Errorf("invalid spec %q", spec)
		}
	}()
	return cron.ParseStandard(spec)
}

// Add registers a job; a bad spec or a name used twice is an error.
func (s *Scheduler) Add(j Job) error {
	sched, err := Parse(j.Spec)
	if err != nil {
		return fmt.Errorf("schedule: job %s: %w", j.Name, err)
	}
	if j.Run == nil {
		return fmt.Errorf("schedule: job %s has no function", j.Name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.jobs {
		if o.Name == j.Name {
			return fmt.Errorf("schedule: job %s added twice", j.Name)
		}
	}
	j.sched = sched
	s.jobs = append(s.jobs, &j)
	return nil
}

// next is the job's first occurrence after t, in the scheduler's zone.
func (s *Scheduler) next(j *Job, t time.Time) time.Time {
	return j.sched.Next(t.In(s.location()))
}

func (s *Scheduler) location() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// Next is the earliest occurrence of any job after the last runs, or zero
// when no job is registered.
func (s *Scheduler) Next(ctx context.Context) (time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	for _, j := range s.jobs {
		last, err := s.lastRun(ctx, j, s.Clock.Now())
		if err != nil {
			return time.Time{}, err
		}
		if t := s.next(j, last); !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next, nil
}

// Run catches up once, then runs jobs as they fall due until ctx is done. It
// returns after the running job, if any, has finished.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		if err := s.CatchUpTo(ctx, s.Clock.Now()); err != nil && ctx.Err() == nil {
			s.Log.Error("schedule", "err", err)
		}
		next, err := s.Next(ctx)
		wait := maxWait // a safety net when the database is unreadable
		if err == nil && !next.IsZero() {
			wait = min(max(next.Sub(s.Clock.Now()), 0), maxWait)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.Clock.After(wait):
		}
	}
}

// CatchUpTo runs, for each job, its latest occurrence at or before now that has
// not run yet, once, if it is at most CatchUp late; older ones are skipped and
// recorded as such. A job never seen before starts counting from now.
func (s *Scheduler) CatchUpTo(ctx context.Context, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, j := range s.jobs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		last, err := s.lastRun(ctx, j, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		occ := s.occurrences(j, last, now)
		if len(occ) == 0 {
			continue
		}
		at := occ[len(occ)-1]
		if late := now.Sub(at); late > s.CatchUp+onTime {
			s.Log.Warn("schedule: missed run skipped, too late to catch up", "job", j.Name,
				"due", at.In(s.location()), "late", late.Round(time.Second), "catch_up", s.CatchUp)
			errs = append(errs, s.setLastRun(ctx, j, at))
			continue
		}
		if len(occ) > 1 || now.Sub(at) > onTime {
			s.Log.Info("schedule: catching up", "job", j.Name, "due", at.In(s.location()), "missed", len(occ))
		}
		errs = append(errs, s.run(ctx, j, at))
	}
	return errors.Join(errs...)
}

// RunDue runs everything due up to t: every occurrence of every job since its
// last run, in time order (frequent jobs coalesced, see replayMinGap). A job
// never seen before starts counting from t.
func (s *Scheduler) RunDue(ctx context.Context, t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	type due struct {
		at  time.Time
		job *Job
	}
	var list []due
	var errs []error
	for _, j := range s.jobs {
		last, err := s.lastRun(ctx, j, t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		occ := s.occurrences(j, last, t)
		if len(occ) > 1 && occ[1].Sub(occ[0]) < replayMinGap {
			occ = occ[len(occ)-1:]
		}
		for _, at := range occ {
			list = append(list, due{at, j})
		}
	}
	sort.SliceStable(list, func(a, b int) bool { return list[a].at.Before(list[b].at) })
	for _, d := range list {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		errs = append(errs, s.run(ctx, d.job, d.at))
	}
	return errors.Join(errs...)
}

// occurrences lists a job's occurrences in (last, now], the latest kept when
// there are more than maxOccurrences.
func (s *Scheduler) occurrences(j *Job, last, now time.Time) []time.Time {
	var out []time.Time
	for t := s.next(j, last); !t.IsZero() && !t.After(now); t = s.next(j, t) {
		if len(out) == maxOccurrences {
			out = append(out[:0], out[1:]...)
		}
		out = append(out, t)
	}
	return out
}

// run runs one occurrence, recovering a panic, and records it as the last run
// whatever the outcome: a failure is retried at the next occurrence, not in a loop.
func (s *Scheduler) run(ctx context.Context, j *Job, at time.Time) error {
	start := s.Clock.Now()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		return j.Run(ctx, at)
	}()
	if err != nil {
		s.Log.Error("schedule: job failed; it runs again at its next time", "job", j.Name,
			"due", at.In(s.location()), "err", err)
	} else {
		s.Log.Info("schedule: job done", "job", j.Name, "due", at.In(s.location()), "took", s.Clock.Now().Sub(start))
	}
	if err := s.setLastRun(ctx, j, at); err != nil {
		return err
	}
	if err != nil {
		return fmt.Errorf("job %s: %w", j.Name, err)
	}
	return nil
}

func key(j *Job) string { return "schedule." + j.Name }

// lastRun reads a job's last occurrence; a job never run before starts at now
// (a new install does not post yesterday's digest).
func (s *Scheduler) lastRun(ctx context.Context, j *Job, now time.Time) (time.Time, error) {
	v, err := s.DB.Value(ctx, key(j))
	if errors.Is(err, storage.ErrNotFound) {
		return now, s.setLastRun(ctx, j, now)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("schedule: job %s: last run: %w", j.Name, err)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("schedule: job %s: last run %q: %w", j.Name, v, err)
	}
	if t.After(now.Add(onTime)) {
		// Recorded while the clock ran ahead (set forward, then corrected):
		// trusting it would freeze the job until that date. Start again from
		// now, as a new job would.
		s.Log.Warn("schedule: last run is in the future; the clock was set back", "job", j.Name,
			"last_run", t.In(s.location()), "now", now.In(s.location()))
		return now, s.setLastRun(ctx, j, now)
	}
	return t, nil
}

func (s *Scheduler) setLastRun(ctx context.Context, j *Job, t time.Time) error {
	if err := s.DB.SetValue(ctx, key(j), t.UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("schedule: job %s: record run: %w", j.Name, err)
	}
	return nil
}
