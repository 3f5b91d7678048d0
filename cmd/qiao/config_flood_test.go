package main

import (
	"strings"
	"testing"

	qiao "github.com/qiao-community/qiao"
	"github.com/qiao-community/qiao/bot"
)

func TestConfigFlood(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	demo, err := ParseConfig(qiao.ExampleConfig, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if demo.Flood.PerMinute != bot.DefaultFloodPerMinute {
		t.Errorf("demo flood.per_minute = %d, want %d", demo.Flood.PerMinute, bot.DefaultFloodPerMinute)
	}
	without := strings.Replace(string(qiao.ExampleConfig), "flood:\n  per_minute: 30\n", "", 1)
	if without == string(qiao.ExampleConfig) {
		t.Fatal("the example config has no flood section to remove")
	}
	for _, tc := range []struct {
		name, yaml string
		want       int
		err        string
	}{
		{"absent means the default", without, bot.DefaultFloodPerMinute, ""},
		{"0 turns it off", strings.Replace(string(qiao.ExampleConfig), "per_minute: 30", "per_minute: 0", 1), 0, ""},
		{"negative is refused", strings.Replace(string(qiao.ExampleConfig), "per_minute: 30", "per_minute: -1", 1), 0, "flood.per_minute"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tc.yaml), noEnv)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one naming %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Flood.PerMinute != tc.want {
				t.Errorf("per_minute = %d, want %d", cfg.Flood.PerMinute, tc.want)
			}
		})
	}
}
