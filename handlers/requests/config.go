package requests

import (
	"fmt"
	"time"

	"github.com/qiao-community/qiao/handlers/workdays"
	"github.com/qiao-community/qiao/storage"
)

// Config is the `requests:` section of the configuration file.
type Config struct {
	// ConfirmWindow is how long the bot waits for 是/1 after asking whether to
	// register free text as a request.
	ConfirmWindow time.Duration `yaml:"confirm_window"`
	// DetailWindow is how long the bot waits for a missing description or place.
	DetailWindow time.Duration `yaml:"detail_window"`
	// TimeLimits are the time limits of each stage: "default" and then per
	// category key, overriding the default stage by stage.
	TimeLimits map[string]StageLimits `yaml:"time_limits"`
	// AnswerWithin is how long staff have to answer a suggestion or need.
	AnswerWithin time.Duration `yaml:"answer_within"`
	// Intake are the keyword rules for free text; empty lists take the built-in rules.
	Intake IntakeRules `yaml:"intake"`
	// Emergency is what the bot answers to danger now.
	Emergency EmergencyConfig `yaml:"emergency"`
	// Calendar corrects the national working-day calendar (for limits in 工作日).
	Calendar workdays.Overrides `yaml:"calendar"`
	// Workflow configures 延期, rating reminders and the 回访 list.
	Workflow WorkflowConfig `yaml:"workflow"`
	// Photos are the rules for pictures of requests (photos.go).
	Photos PhotoConfig `yaml:"photos"`
}

// StageLimits are the time limits of a ticket's open stages: 24h, 3天 or
// 3工作日. Zero: no limit (or, in a category, the default's).
type StageLimits struct {
	Submitted  workdays.Limit `yaml:"submitted"`  // staff dispatch it
	Dispatched workdays.Limit `yaml:"dispatched"` // the department accepts it
	Accepted   workdays.Limit `yaml:"accepted"`   // the department resolves it
	Reopened   workdays.Limit `yaml:"reopened"`   // staff act on an unsatisfied rating
}

// DefaultConfig is the configuration used for keys the file leaves out.
func DefaultConfig() Config {
	return Config{
		ConfirmWindow: 5 * time.Minute,
		DetailWindow:  30 * time.Minute,
		AnswerWithin:  7 * 24 * time.Hour,
		TimeLimits: map[string]StageLimits{
			"default": {Submitted: workdays.Hours(4 * time.Hour), Dispatched: workdays.Hours(24 * time.Hour),
				Accepted: workdays.Hours(72 * time.Hour), Reopened: workdays.Hours(24 * time.Hour)},
		},
		Intake:    DefaultIntakeRules(),
		Emergency: DefaultEmergencyConfig(),
		Workflow:  DefaultWorkflowConfig(),
	}
}

// FillDefaults sets every unset key to its default.
func (c *Config) FillDefaults() {
	d := DefaultConfig()
	if c.ConfirmWindow == 0 {
		c.ConfirmWindow = d.ConfirmWindow
	}
	if c.DetailWindow == 0 {
		c.DetailWindow = d.DetailWindow
	}
	if c.AnswerWithin == 0 {
		c.AnswerWithin = d.AnswerWithin
	}
	if c.TimeLimits == nil {
		c.TimeLimits = d.TimeLimits
	}
	if _, ok := c.TimeLimits["default"]; !ok {
		c.TimeLimits["default"] = d.TimeLimits["default"]
	}
	c.Intake.fillDefaults(d.Intake)
	c.Emergency.fillDefaults(d.Emergency)
	c.Workflow.fillDefaults(d.Workflow)
	c.Photos.fillDefaults()
}

// Validate reports problems as "path.key: message" lines. The keys of
// time_limits name categories, another section: CheckCategories checks them.
func (c *Config) Validate(path string) []string {
	var out []string
	bad := func(key, format string, args ...any) {
		out = append(out, path+"."+key+": "+fmt.Sprintf(format, args...))
	}
	if c.ConfirmWindow < 30*time.Second || c.ConfirmWindow > time.Hour {
		bad("confirm_window", "must be between 30s and 1h, not %s", c.ConfirmWindow)
	}
	if c.DetailWindow < time.Minute || c.DetailWindow > 24*time.Hour {
		bad("detail_window", "must be between 1m and 24h, not %s", c.DetailWindow)
	}
	if c.AnswerWithin < 0 {
		bad("answer_within", "must not be negative")
	}
	for key, l := range c.TimeLimits {
		for stage, d := range map[string]workdays.Limit{"submitted": l.Submitted, "dispatched": l.Dispatched, "accepted": l.Accepted, "reopened": l.Reopened} {
			if d.Duration < 0 {
				bad("time_limits."+key+"."+stage, "must not be negative")
			}
		}
	}
	c.Emergency.validate(bad)
	c.Intake.LLM.validate(bad)
	if _, err := workdays.New(c.Calendar); err != nil {
		bad("calendar", "%v", err)
	}
	c.Workflow.validate(bad)
	if c.Intake.MinRunes < 1 {
		bad("intake.min_runes", "must be at least 1")
	}
	out = append(out, c.Photos.validate(path+".photos")...)
	return out
}

// CheckCategories reports the time_limits keys that are neither "default"
// nor one of the categories, as "path.time_limits.key: message" lines.
func (c *Config) CheckCategories(path string, categories []Category) []string {
	known := map[string]bool{"default": true}
	for _, cat := range categories {
		known[cat.Key] = true
	}
	var out []string
	for key := range c.TimeLimits {
		if !known[key] {
			out = append(out, path+".time_limits."+key+": is not \"default\" or a category key")
		}
	}
	return out
}

// limit is the time limit of a stage for a ticket (zero: none): the urgent
// limit of an urgent ticket, else its category's, else the default's.
func (c *Config) limit(r storage.Request, state string) workdays.Limit {
	category := r.Category
	pick := func(l StageLimits) workdays.Limit {
		switch state {
		case storage.StateSubmitted:
			return l.Submitted
		case storage.StateDispatched:
			return l.Dispatched
		case storage.StateAccepted:
			return l.Accepted
		case storage.StateReopened:
			return l.Reopened
		}
		return workdays.Limit{}
	}
	if d := pick(c.Workflow.UrgentLimits); r.Urgent && !d.IsZero() {
		return d
	}
	if d := pick(c.TimeLimits[category]); !d.IsZero() {
		return d
	}
	return pick(c.TimeLimits["default"])
}

// nationalCalendar is the calendar without overrides, shared: a Calendar is
// only read, and every new request computes its time limit with one (inside
// the writer's transaction).
var nationalCalendar = workdays.National()

// calendar is the working-day calendar; Validate has checked the overrides.
func (c *Config) calendar() *workdays.Calendar {
	if len(c.Calendar.Workdays) == 0 && len(c.Calendar.Holidays) == 0 {
		return nationalCalendar
	}
	cal, err := workdays.New(c.Calendar)
	if err != nil {
		return workdays.National()
	}
	return cal
}
