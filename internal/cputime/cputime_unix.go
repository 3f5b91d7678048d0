//go:build unix

// Package cputime reads the CPU time the process has used: on a shared
// machine it moves far less than the wall clock, so benchmarks report it.
package cputime

import (
	"syscall"
	"time"
)

// Process is the CPU time the process has used so far (user and system).
func Process() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
