package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Config is the jobs section of the configuration.
type Config struct {
	// CatchUp: a job missed while Qiao was down runs once at start if it is at
	// most this late.
	CatchUp time.Duration `yaml:"catch_up"`
	known   []string      // the jobs Qiao has (the names given to FillDefaults)
	// List is the jobs; a known job left out runs with its defaults.
	List []JobConfig `yaml:"list"`
}

// JobConfig is one job: which one, when, where it posts.
type JobConfig struct {
	Name    string   `yaml:"name"`
	Spec    string   `yaml:"spec"`    // "30 8 * * *", "@daily", "@every 1h"
	Targets []string `yaml:"targets"` // group keys or group kinds
	Enabled *bool    `yaml:"enabled"` // default true
}

// On reports whether the job runs.
func (j JobConfig) On() bool { return j.Enabled == nil || *j.Enabled }

// DefaultCatchUp is the catch-up window when the config sets none.
const DefaultCatchUp = 3 * time.Hour

// FillDefaults completes the config with the defaults of the known jobs: a job
// left out is added; a listed job without a spec or targets takes the default's.
func (c *Config) FillDefaults(defaults []JobConfig) {
	c.known = nil
	for _, d := range defaults {
		c.known = append(c.known, d.Name)
	}
	if c.CatchUp == 0 {
		c.CatchUp = DefaultCatchUp
	}
	for _, d := range defaults {
		i := slices.IndexFunc(c.List, func(j JobConfig) bool { return j.Name == d.Name })
		if i < 0 {
			c.List = append(c.List, d)
			continue
		}
		j := &c.List[i]
		if j.Spec == "" {
			j.Spec = d.Spec
		}
		if j.Targets == nil {
			j.Targets = d.Targets
		}
	}
}

// Validate reports problems as "path.key: message" lines, each naming the
// job: unknown names (the known jobs are those FillDefaults was given),
// duplicates, invalid specs, a negative window.
func (c *Config) Validate(path string) []string {
	known := c.known
	var errs []string
	add := func(key, format string, args ...any) {
		errs = append(errs, key+": "+fmt.Sprintf(format, args...))
	}
	if c.CatchUp < 0 {
		add(path+".catch_up", "must not be negative, not %s", c.CatchUp)
	}
	seen := map[string]bool{}
	for i, j := range c.List {
		p := fmt.Sprintf("%s.list[%d]", path, i)
		switch {
		case !slices.Contains(known, j.Name):
			add(p+".name", "unknown job %q (known: %s)", j.Name, strings.Join(known, ", "))
			continue
		case seen[j.Name]:
			add(p+".name", "job %q is listed twice", j.Name)
		}
		seen[j.Name] = true
		if _, err := Parse(j.Spec); err != nil {
			add(p+".spec", "job %s: invalid cron spec %q (5 fields like \"30 8 * * *\" or @daily, @every 1h): %v", j.Name, j.Spec, err)
		}
	}
	return errs
}
