package requests

import (
	"testing"
	"time"

	"github.com/qiao-community/qiao/handlers/workdays"
	"github.com/qiao-community/qiao/storage"
)

// TestUrgentLimitsInWorkdays: an urgent ticket runs on urgent_limits (here in
// working days, across National Day 2026), a stage the urgent limits leave
// out keeps its normal limit, and a ticket not urgent keeps the normal ones.
func TestUrgentLimitsInWorkdays(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Workflow.UrgentLimits = StageLimits{Dispatched: workdays.Limit{Workdays: 1}}
	cfg.FillDefaults()
	cfg.Workflow.UrgentLimits.Submitted = workdays.Limit{} // left out: the normal 4h
	cst := time.FixedZone("CST", 8*3600)
	wed := time.Date(2026, 9, 30, 15, 0, 0, 0, cst) // the last working day before the holiday
	cal := cfg.calendar()
	for _, c := range []struct {
		urgent bool
		state  string
		want   time.Time
	}{
		{true, storage.StateDispatched, time.Date(2026, 10, 9, 0, 0, 0, 0, cst)}, // 1工作日: 10-08, the first after 10-01..10-07
		{true, storage.StateSubmitted, wed.Add(4 * time.Hour)},
		{false, storage.StateDispatched, wed.Add(24 * time.Hour)},
	} {
		r := storage.Request{Kind: storage.KindRepair, Category: "lighting", Urgent: c.urgent}
		if got := cfg.limit(r, c.state).After(wed, cal); !got.Equal(c.want) {
			t.Errorf("urgent=%v %s: due %v, want %v", c.urgent, c.state, got, c.want)
		}
	}
}
