// Package digest builds the daily staff digest (日报) and the weekly resident
// summary (周报), posts them on schedule, and answers the staff commands that
// show them on demand.
package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Config is the digest section of the configuration.
type Config struct {
	// ClosingSoon: running polls whose deadline is this close are flagged.
	ClosingSoon time.Duration `yaml:"closing_soon"`
	// MaxListed caps the overdue tickets and the comments listed one by one.
	MaxListed int `yaml:"max_listed"`
}

// FillDefaults sets what the config leaves out.
func (c *Config) FillDefaults() {
	if c.ClosingSoon == 0 {
		c.ClosingSoon = 24 * time.Hour
	}
	if c.MaxListed == 0 {
		c.MaxListed = 5
	}
}

// Validate reports problems as "path.key: message" lines.
func (c *Config) Validate(path string) []string {
	var errs []string
	if c.ClosingSoon < 0 {
		errs = append(errs, fmt.Sprintf("%s.closing_soon: must not be negative, not %s", path, c.ClosingSoon))
	}
	if c.MaxListed < 1 || c.MaxListed > 50 {
		errs = append(errs, fmt.Sprintf("%s.max_listed: must be between 1 and 50, not %d", path, c.MaxListed))
	}
	return errs
}

// Digests builds and posts the digests.
type Digests struct {
	DB     *storage.DB
	Outbox *bot.Outbox
	Log    *slog.Logger
	Config Config
	// Categories maps a category key to the name people see.
	Categories map[string]string
	// Estimate says how long the dispatcher needs to deliver n messages on a
	// platform under its pacing (for the log of a fan-out); may be nil.
	Estimate func(platform string, n int) time.Duration
	// Rates reads the 三率 shown in the daily digest; nil: none shown.
	Rates RatesFunc
}

// Daily returns the job that posts the staff digest into the target groups
// (group keys or kinds) of every community.
func (d *Digests) Daily(targets []string) func(ctx context.Context, now time.Time) error {
	return func(ctx context.Context, now time.Time) error {
		return d.post(ctx, "digest", now, targets, func(tx *storage.Tx, cm storage.Community) (bot.Post, error) {
			since, err := lastDigest(tx, cm, now)
			if err != nil {
				return bot.Post{}, err
			}
			data, err := d.daily(tx, cm, since, now)
			if err != nil {
				return bot.Post{}, err
			}
			// Moves with the posts, in their transaction: the next digest starts here.
			return bot.Post{Template: prompts.DigestDaily, Data: data}, tx.SetValue(sinceKey(cm), now.UTC().Format(time.RFC3339))
		})
	}
}

// Weekly returns the job that posts the week's summary into the target groups.
func (d *Digests) Weekly(targets []string) func(ctx context.Context, now time.Time) error {
	return func(ctx context.Context, now time.Time) error {
		return d.post(ctx, "weekly", now, targets, func(tx *storage.Tx, cm storage.Community) (bot.Post, error) {
			data, err := d.weekly(tx, cm, now)
			if err != nil {
				return bot.Post{}, err
			}
			// One picture for every group of the community, stored once.
			blob, err := d.weeklyChart(tx, cm, data)
			return bot.Post{Template: prompts.DigestWeekly, Data: data, BlobID: blob}, err
		})
	}
}

// post builds one post per community and enqueues it into each target group,
// once per job and occurrence: a rerun after a crash finds the dedupe keys taken.
func (d *Digests) post(ctx context.Context, job string, now time.Time, targets []string,
	build func(*storage.Tx, storage.Community) (bot.Post, error)) error {
	var communities []storage.Community
	if err := d.DB.View(ctx, func(tx *storage.Tx) (err error) {
		communities, err = tx.Communities()
		return err
	}); err != nil {
		return fmt.Errorf("%s: %w", job, err)
	}
	var errs []error
	for _, cm := range communities {
		perPlatform := map[string]int{}
		err := d.DB.Update(ctx, func(tx *storage.Tx) error {
			clear(perPlatform)
			groups, err := targetGroups(tx, cm.ID, targets)
			if err != nil || len(groups) == 0 {
				return err
			}
			period := now.In(location(cm)).Format("2006-01-02T15:04")
			key := func(g storage.Group) string { return fmt.Sprintf("%s:%s:%s:%s", job, cm.Key, g.Key, period) }
			if done, err := tx.Enqueued(key(groups[0])); done || err != nil {
				return err // posted before a restart: nothing to build again
			}
			post, err := build(tx, cm)
			if err != nil {
				return err
			}
			for _, g := range groups {
				p := post
				p.DedupeKey = key(g)
				err := d.Outbox.ToGroup(tx, g, p)
				switch {
				case errors.Is(err, storage.ErrDuplicate): // posted before a restart
				case err != nil:
					return fmt.Errorf("group %s: %w", g.Key, err)
				default:
					perPlatform[g.Platform]++
				}
			}
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: community %s: %w", job, cm.Key, err))
			continue
		}
		for platform, n := range perPlatform {
			var eta time.Duration
			if d.Estimate != nil {
				eta = d.Estimate(platform, n)
			}
			d.Log.Info("digest: posts enqueued", "job", job, "community", cm.Key, "platform", platform,
				"groups", n, "delivery_estimate", eta.Round(time.Second))
		}
	}
	return errors.Join(errs...)
}

// targetGroups resolves group keys and kinds to a community's groups.
func targetGroups(tx *storage.Tx, communityID int64, targets []string) ([]storage.Group, error) {
	all, err := tx.Groups(communityID)
	if err != nil {
		return nil, err
	}
	var out []storage.Group
	for _, g := range all {
		if slices.Contains(targets, g.Kind) || slices.Contains(targets, g.Key) {
			out = append(out, g)
		}
	}
	return out, nil
}

func sinceKey(cm storage.Community) string { return "digest." + cm.Key + ".since" }

// lastDigest is when the previous digest was posted; a day ago if never.
func lastDigest(tx *storage.Tx, cm storage.Community, now time.Time) (time.Time, error) {
	v, err := tx.Value(sinceKey(cm))
	if errors.Is(err, storage.ErrNotFound) {
		return now.Add(-24 * time.Hour), nil
	}
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil || !t.Before(now) {
		return now.Add(-24 * time.Hour), nil
	}
	return t, nil
}

func location(cm storage.Community) *time.Location {
	return bot.Location(cm.Timezone)
}

// DailyData reads the daily digest of [since, now) for a community.
func (d *Digests) DailyData(tx *storage.Tx, cm storage.Community, since, now time.Time) (Daily, error) {
	return d.daily(tx, cm, since, now)
}

// WeeklyData reads the weekly summary of the seven days up to now.
func (d *Digests) WeeklyData(tx *storage.Tx, cm storage.Community, now time.Time) (Weekly, error) {
	return d.weekly(tx, cm, now)
}

// ShowDaily answers 日报: the digest since the previous one, up to now, here
// (the scheduled digest still starts where the previous scheduled one ended).
func (d *Digests) ShowDaily(c *bot.Context) error {
	since, err := lastDigest(c.Tx, c.Community, c.Now())
	if err != nil {
		return err
	}
	data, err := d.daily(c.Tx, c.Community, since, c.Now())
	if err != nil {
		return err
	}
	return c.Say(prompts.DigestDaily, data)
}

// ShowWeekly answers 周报: the summary of the last seven days, here.
func (d *Digests) ShowWeekly(c *bot.Context) error {
	data, err := d.weekly(c.Tx, c.Community, c.Now())
	if err != nil {
		return err
	}
	return c.Say(prompts.DigestWeekly, data)
}

// ref is the ID people see for a request.
func ref(kind string, id int64) string { return requests.Ref(kind, id) }
