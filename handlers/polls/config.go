package polls

import (
	"fmt"
	"slices"
	"time"
)

// Config is the polls section of the configuration file.
type Config struct {
	// AckInterval is how often a group hears who voted since the last
	// acknowledgement (one message per group per interval, not one per vote).
	AckInterval time.Duration `yaml:"ack_interval"`
	// Reminders are offsets before a deadline at which the turnout is posted.
	Reminders []time.Duration `yaml:"reminders"`
	// MaxOptions bounds a poll's options (at least 2).
	MaxOptions int `yaml:"max_options"`
	// MaxTitle and MaxOption bound the length of a title and an option, in characters.
	MaxTitle  int `yaml:"max_title"`
	MaxOption int `yaml:"max_option"`
	// MaxDuration is the latest a deadline may be, from the poll's start.
	MaxDuration time.Duration `yaml:"max_duration"`
	// NonVoterList is how many names of people who have not voted a turnout lists per group.
	NonVoterList int `yaml:"non_voter_list"`
}

// DefaultConfig is the configuration used for keys the file leaves out.
func DefaultConfig() Config {
	return Config{
		AckInterval:  time.Minute,
		Reminders:    []time.Duration{24 * time.Hour, 2 * time.Hour},
		MaxOptions:   60,
		MaxTitle:     100,
		MaxOption:    60,
		MaxDuration:  90 * 24 * time.Hour,
		NonVoterList: 30,
	}
}

// FillDefaults sets every zero key to its default.
func (c *Config) FillDefaults() {
	d := DefaultConfig()
	if c.AckInterval == 0 {
		c.AckInterval = d.AckInterval
	}
	if c.Reminders == nil {
		c.Reminders = d.Reminders
	}
	if c.MaxOptions == 0 {
		c.MaxOptions = d.MaxOptions
	}
	if c.MaxTitle == 0 {
		c.MaxTitle = d.MaxTitle
	}
	if c.MaxOption == 0 {
		c.MaxOption = d.MaxOption
	}
	if c.MaxDuration == 0 {
		c.MaxDuration = d.MaxDuration
	}
	if c.NonVoterList == 0 {
		c.NonVoterList = d.NonVoterList
	}
	// Longest first: the job sends only the latest reminder due.
	slices.SortFunc(c.Reminders, func(a, b time.Duration) int { return int((b - a) / time.Second) })
}

// Validate reports the problems of the section as "path.key: message" lines.
func (c *Config) Validate(path string) []string {
	var errs []string
	add := func(key, format string, args ...any) {
		errs = append(errs, path+"."+key+": "+fmt.Sprintf(format, args...))
	}
	if c.AckInterval < 10*time.Second || c.AckInterval > 24*time.Hour {
		add("ack_interval", "must be between 10s and 24h, not %s", c.AckInterval)
	}
	for i, r := range c.Reminders {
		if r <= 0 || r > 30*24*time.Hour {
			add(fmt.Sprintf("reminders[%d]", i), "must be between 1s and 720h, not %s", r)
		}
	}
	if c.MaxOptions < 2 || c.MaxOptions > 200 {
		add("max_options", "must be between 2 and 200, not %d", c.MaxOptions)
	}
	if c.MaxTitle < 10 || c.MaxTitle > 1000 {
		add("max_title", "must be between 10 and 1000, not %d", c.MaxTitle)
	}
	if c.MaxOption < 5 || c.MaxOption > 1000 {
		add("max_option", "must be between 5 and 1000, not %d", c.MaxOption)
	}
	if c.MaxDuration < time.Hour {
		add("max_duration", "must be at least 1h, not %s", c.MaxDuration)
	}
	if c.NonVoterList < 1 || c.NonVoterList > 1000 {
		add("non_voter_list", "must be between 1 and 1000, not %d", c.NonVoterList)
	}
	return errs
}

func (c Config) limits() Limits {
	return Limits{MinOptions: 2, MaxOptions: c.MaxOptions, MaxTitleRunes: c.MaxTitle, MaxOptionRunes: c.MaxOption}
}
