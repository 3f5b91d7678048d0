package requests

import (
	"time"

	"github.com/qiao-community/qiao/handlers/workdays"
)

// WorkflowConfig is the `requests.workflow:` section: extensions (延期),
// rating reminders and the staff 回访 list.
type WorkflowConfig struct {
	// MaxExtension is the longest extension a holder may ask for at once.
	MaxExtension workdays.Limit `yaml:"max_extension"`
	// MergeDuplicates offers to merge a new repair or complaint into an open
	// one at the same building in similar words ("是不是和 R12 是同一件事？").
	MergeDuplicates bool `yaml:"merge_duplicates"`
	// VisitEveryMonths is how often each registered household should be
	// visited: #待走访 lists those not visited for that many months.
	VisitEveryMonths int `yaml:"visit_every_months"`
	// RemindRatingAfter is how long after 办结 an unrated ticket's reporter is
	// reminded (privately, once) to rate it; from then on the ticket is on the
	// staff's 回访 list in the 日报 until it is rated or called back.
	RemindRatingAfter workdays.Limit `yaml:"remind_rating_after"`
	// UrgentLimits are the time limits of each stage of an urgent (紧急)
	// ticket — flagged by the emergency path or by staff with #加急 — in
	// place of time_limits; a stage left out keeps its normal limit.
	UrgentLimits StageLimits `yaml:"urgent_limits"`
}

// DefaultWorkflowConfig is the workflow section used for keys the file leaves out.
func DefaultWorkflowConfig() WorkflowConfig {
	return WorkflowConfig{
		MaxExtension:      workdays.Limit{Workdays: 15},
		RemindRatingAfter: workdays.Limit{Days: 2},
		VisitEveryMonths:  3,
		UrgentLimits: StageLimits{Submitted: workdays.Hours(30 * time.Minute), Dispatched: workdays.Hours(time.Hour),
			Accepted: workdays.Hours(24 * time.Hour), Reopened: workdays.Hours(4 * time.Hour)},
	}
}

func (w *WorkflowConfig) fillDefaults(d WorkflowConfig) {
	if w.MaxExtension.IsZero() {
		w.MaxExtension = d.MaxExtension
	}
	if w.VisitEveryMonths == 0 {
		w.VisitEveryMonths = d.VisitEveryMonths
	}
	if w.RemindRatingAfter.IsZero() {
		w.RemindRatingAfter = d.RemindRatingAfter
	}
	if w.UrgentLimits == (StageLimits{}) {
		w.UrgentLimits = d.UrgentLimits
	}
}

func (w *WorkflowConfig) validate(bad func(key, format string, args ...any)) {
	if w.MaxExtension.Duration < 0 {
		bad("workflow.max_extension", "must not be negative")
	}
	if w.VisitEveryMonths < 0 || w.VisitEveryMonths > 24 {
		bad("workflow.visit_every_months", "must be between 1 and 24")
	}
	if w.RemindRatingAfter.Duration < 0 {
		bad("workflow.remind_rating_after", "must not be negative")
	}
	u := w.UrgentLimits
	for key, l := range map[string]workdays.Limit{"submitted": u.Submitted, "dispatched": u.Dispatched, "accepted": u.Accepted, "reopened": u.Reopened} {
		if l.Duration < 0 {
			bad("workflow.urgent_limits."+key, "must not be negative")
		}
	}
}
