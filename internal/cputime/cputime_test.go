package cputime

import (
	"runtime"
	"testing"
)

// Burning CPU moves the process's CPU time forward (where it is measured).
func TestProcessMovesWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" {
		t.Skip("not measured on this platform")
	}
	before := Process()
	x := 0
	for i := range 50_000_000 {
		x ^= i
	}
	if after := Process(); after <= before {
		t.Fatalf("CPU time %v → %v after a busy loop (x=%d)", before, after, x)
	}
}
