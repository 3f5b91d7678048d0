package main

import (
	"strings"
	"testing"
	"time"

	qiao "github.com/qiao-community/qiao"
)

func TestRequestsConfig(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	cfg, err := ParseConfig(qiao.ExampleConfig, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Requests
	if r.ConfirmWindow != 5*time.Minute || r.TimeLimits["lift"].Dispatched != 2*time.Hour || r.TimeLimits["default"].Accepted != 72*time.Hour {
		t.Errorf("example requests section read as %+v", r)
	}
	if r.Intake.MinRunes == 0 || len(r.Intake.Kinds) != 4 {
		t.Errorf("built-in intake rules not filled in: %+v", r.Intake)
	}
	bad := strings.Replace(string(qiao.ExampleConfig), "    lift: {dispatched: 2h, accepted: 24h}", "    lifts: {dispatched: -2h}", 1)
	bad = strings.Replace(bad, "confirm_window: 5m", "confirm_window: 5s", 1)
	_, err = ParseConfig([]byte(bad), noEnv)
	for _, want := range []string{"requests.time_limits.lifts: is not", "requests.time_limits.lifts.dispatched: must not be negative",
		"requests.confirm_window: must be between 30s and 1h"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not contain %q", err, want)
		}
	}
}
