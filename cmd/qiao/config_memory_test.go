package main

import (
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	qiao "github.com/qiao-community/qiao"
)

// TestMemoryConfig: the example's memory section parses to the defaults, bad
// values are refused with the key named, and the Go limit is applied.
func TestMemoryConfig(t *testing.T) {
	cfg, err := ParseConfig(qiao.ExampleConfig, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	m := cfg.Memory
	if m.GoLimitMB != DefaultGoLimitMB || m.Storage().ReadConns < 1 || m.SQLiteCacheKB < 64 || m.SQLiteReadCacheKB < 64 {
		t.Errorf("example memory settings: %+v", m)
	}
	for _, c := range []struct{ key, value string }{
		{"go_limit_mb", "8"}, {"sqlite_cache_kb", "-5"}, {"sqlite_read_cache_kb", "10"}, {"read_connections", "100"},
	} {
		re := regexp.MustCompile(`(?m)^  ` + c.key + `: .*$`)
		if !re.Match(qiao.ExampleConfig) {
			t.Fatalf("config.example.yaml has no memory.%s", c.key)
		}
		bad := re.ReplaceAll(qiao.ExampleConfig, []byte("  "+c.key+": "+c.value))
		if _, err := ParseConfig(bad, noEnv); err == nil || !strings.Contains(err.Error(), "memory."+c.key) {
			t.Errorf("%s: %s: err = %v, want one naming memory.%s", c.key, c.value, err, c.key)
		}
	}

	t.Setenv("GOMEMLIMIT", "") // restored after the test; unset so that the config's limit applies
	os.Unsetenv("GOMEMLIMIT")
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	if got := (MemoryConfig{GoLimitMB: 48}).applyGoLimit(); got != 48<<20 || debug.SetMemoryLimit(-1) != 48<<20 {
		t.Errorf("limit applied %d, runtime reports %d; want %d", got, debug.SetMemoryLimit(-1), 48<<20)
	}
}
