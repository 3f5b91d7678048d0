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
	// RemindRatingAfter is how long after 办结 an unrated ticket's reporter is
	// reminded (privately, once) to rate it.
	RemindRatingAfter workdays.Limit `yaml:"remind_rating_after"`
	// CallbackAfter is how long after 办结 an unrated ticket joins the staff's
	// 回访 list (phone the resident, then #回访).
	CallbackAfter workdays.Limit `yaml:"callback_after"`
}

// DefaultWorkflowConfig is the workflow section used for keys the file leaves out.
func DefaultWorkflowConfig() WorkflowConfig {
	return WorkflowConfig{
		MaxExtension:      workdays.Limit{Workdays: 15},
		RemindRatingAfter: workdays.Limit{Days: 2},
		CallbackAfter:     workdays.Limit{Days: 5},
	}
}

func (w *WorkflowConfig) fillDefaults(d WorkflowConfig) {
	if w.MaxExtension.IsZero() {
		w.MaxExtension = d.MaxExtension
	}
	if w.RemindRatingAfter.IsZero() {
		w.RemindRatingAfter = d.RemindRatingAfter
	}
	if w.CallbackAfter.IsZero() {
		w.CallbackAfter = d.CallbackAfter
	}
}

func (w *WorkflowConfig) validate() []Problem {
	var out []Problem
	from := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC) // any Monday: compares wall-clock lengths
	cal := workdays.National()
	if w.CallbackAfter.After(from, cal).Before(w.RemindRatingAfter.After(from, cal)) {
		out = append(out, Problem{"workflow.callback_after", "must not be shorter than remind_rating_after"})
	}
	return out
}
