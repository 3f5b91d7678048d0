package main

import (
	"strings"
	"testing"
	"time"

	qiao "github.com/qiao-community/qiao"
	"github.com/qiao-community/qiao/handlers/workdays"
)

func TestRequestsConfig(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	cfg, err := ParseConfig(qiao.ExampleConfig, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Requests
	if r.ConfirmWindow != 5*time.Minute || r.TimeLimits["lift"].Dispatched != workdays.Hours(2*time.Hour) || r.TimeLimits["default"].Accepted != workdays.Hours(72*time.Hour) {
		t.Errorf("example requests section read as %+v", r)
	}
	if r.Intake.MinRunes == 0 || len(r.Intake.Ignore) == 0 {
		t.Errorf("built-in intake rules not filled in: %+v", r.Intake)
	}
	if h := r.Emergency.Hotlines; len(h) != 3 || h[2].Name != "物业值班" || r.Emergency.Window != 10*time.Minute {
		t.Errorf("example emergency section read as %+v", r.Emergency)
	}
	bad := strings.Replace(string(qiao.ExampleConfig), "    lift: {dispatched: 2h, accepted: 24h}", "    lifts: {dispatched: -2h}", 1)
	bad = strings.Replace(bad, "confirm_window: 5m", "confirm_window: 5s", 1)
	bad = strings.Replace(bad, `phone: "120"`, `phone: "一二零"`, 1)
	_, err = ParseConfig([]byte(bad), noEnv)
	for _, want := range []string{"requests.time_limits.lifts: is not", "requests.time_limits.lifts.dispatched: must not be negative",
		"requests.confirm_window: must be between 30s and 1h", "requests.emergency.hotlines[1].phone: must be a phone number"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not contain %q", err, want)
		}
	}
}

// TestParseFreeTextKind: `qiao parse` reports the kind the intake rules give
// free text, and none for chit-chat.
func TestParseFreeTextKind(t *testing.T) {
	cfg, err := ParseConfig(qiao.ExampleConfig, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	in := "3栋2单元楼道灯不亮了\n灯修好了，谢谢师傅\n楼上装修天天早上七点就开始砸墙，太扰民了\n建议多装几个充电桩\n#报修 电梯坏了\n3栋的电梯困人了，快来人啊\n"
	if err := parse(cfg, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		_, rest, _ := strings.Cut(line, `"kind":"`)
		kind, _, _ := strings.Cut(rest, `"`)
		kinds = append(kinds, kind)
	}
	if got, want := strings.Join(kinds, " "), "repair none complaint suggestion repair emergency"; got != want {
		t.Errorf("kinds %q, want %q\n%s", got, want, out.String())
	}
}
