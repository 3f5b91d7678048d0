package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot/schedule"
	"github.com/qiao-community/qiao/storage"
)

// jobDef is a scheduled job Qiao knows: the name the config uses, its default
// schedule and targets, and how to build it from the wired App.
type jobDef struct {
	Name    string
	Default schedule.JobConfig
	// Targeted jobs post into their configured targets and need at least one.
	Targeted bool
	Build    func(a *App, targets []string) schedule.Func
}

// jobRegistry is every scheduled job, in the order they run when due together.
// A feature adds its job here; its default is then part of every config.
var jobRegistry = []jobDef{
	{Name: "digest", Targeted: true,
		Default: schedule.JobConfig{Name: "digest", Spec: "30 8 * * *", Targets: []string{storage.GroupStaff}},
		Build:   func(a *App, t []string) schedule.Func { return a.Digests.Daily(t) }},
	{Name: "weekly", Targeted: true,
		Default: schedule.JobConfig{Name: "weekly", Spec: "0 19 * * 0", Targets: []string{storage.GroupBuilding, storage.GroupCompound}},
		Build:   func(a *App, t []string) schedule.Func { return a.Digests.Weekly(t) }},
	{Name: "overdue", Default: schedule.JobConfig{Name: "overdue", Spec: "0 9 * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.RequestJobs.RemindOverdue }},
	{Name: "rating", Default: schedule.JobConfig{Name: "rating", Spec: "0 10 * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.RequestJobs.RemindRating }},
	{Name: "urgent", Default: schedule.JobConfig{Name: "urgent", Spec: "*/5 * * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.RequestJobs.RemindUrgent }},
	{Name: "monthly", Default: schedule.JobConfig{Name: "monthly", Spec: "0 9 1 * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.RequestJobs.MonthlySummary }},
	{Name: "polls", Default: schedule.JobConfig{Name: "polls", Spec: "* * * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.PollJobs.Tick }},
	{Name: "projects", Default: schedule.JobConfig{Name: "projects", Spec: "*/10 * * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.ProjectJobs.Tick }},
	{Name: "activities", Default: schedule.JobConfig{Name: "activities", Spec: "*/5 * * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.ActivityJobs.Tick }},
	{Name: "notices", Default: schedule.JobConfig{Name: "notices", Spec: "*/10 * * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.NoticeJobs.Tick }},
	{Name: "retention", Default: schedule.JobConfig{Name: "retention", Spec: "15 4 * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.prune }},
	{Name: "jielong", Default: schedule.JobConfig{Name: "jielong", Spec: "* * * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.JielongJobs.Tick }},
	{Name: "duty", Default: schedule.JobConfig{Name: "duty", Spec: "* * * * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.VolunteerJobs.Remind }},
	{Name: "volunteers", Default: schedule.JobConfig{Name: "volunteers", Spec: "0 9 1 * *"},
		Build: func(a *App, _ []string) schedule.Func { return a.VolunteerJobs.Thanks }},
}

func findJob(name string) (jobDef, bool) {
	i := slices.IndexFunc(jobRegistry, func(d jobDef) bool { return d.Name == name })
	if i < 0 {
		return jobDef{}, false
	}
	return jobRegistry[i], true
}

func jobDefaults() []schedule.JobConfig {
	var out []schedule.JobConfig
	for _, d := range jobRegistry {
		out = append(out, d.Default)
	}
	return out
}

// checkJobTargets checks what the jobs section cannot know alone: whether a
// job takes targets, and that every target is a group kind or the key of a
// configured group.
func (c *Config) checkJobTargets(path string) []string {
	var errs configErrors
	for i, j := range c.Jobs.List {
		def, ok := findJob(j.Name)
		if !ok {
			continue
		}
		p := fmt.Sprintf("%s.list[%d].targets", path, i)
		if def.Targeted && len(j.Targets) == 0 && j.On() {
			errs.add(p, "job %s needs at least one group key or group kind", j.Name)
		}
		if !def.Targeted && len(j.Targets) > 0 {
			errs.add(p, "job %s posts where its data says, not to targets: remove them", j.Name)
		}
		for _, t := range j.Targets {
			if !contains(groupKinds, t) && !c.hasGroupKey(t) {
				errs.add(p, "job %s: %q is neither a group kind (%s) nor a group key", j.Name, t, strings.Join(groupKinds, ", "))
			}
		}
	}
	return errs
}

// addJobs registers the enabled jobs with the scheduler.
func (a *App) addJobs() error {
	for _, j := range a.Config.Jobs.List {
		def, ok := findJob(j.Name)
		if !ok || !j.On() {
			continue
		}
		if err := a.Scheduler.Add(schedule.Job{Name: j.Name, Spec: j.Spec, Run: def.Build(a, j.Targets)}); err != nil {
			return err
		}
	}
	return nil
}

// estimateFanOut is how long the dispatcher needs for n posts on a platform.
func (a *App) estimateFanOut(platform string, n int) time.Duration {
	for _, ad := range a.adapters {
		if ad.Platform() == platform {
			return ad.Limits().FanOut(n)
		}
	}
	return 0
}

// runDue runs every job due up to t (the console's :time).
func (a *App) runDue(ctx context.Context, t time.Time) error { return a.Scheduler.RunDue(ctx, t) }
