package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"time"
)

// benchOptions are qiao bench's flags.
type benchOptions struct {
	n, users, groups, workers int
	rate                      float64
	db                        string
	bareRows                  int
	mix                       string
	cpuprofile                string
	burst                     int
}

func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o benchOptions
	fs := flag.NewFlagSet("qiao bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.n, "n", 100000, "messages to send")
	fs.IntVar(&o.users, "users", 500, "distinct senders")
	fs.IntVar(&o.groups, "groups", 20, "building groups the senders are spread over")
	fs.IntVar(&o.workers, "workers", 4, "goroutines handing messages to the engine (as an adapter would)")
	fs.Float64Var(&o.rate, "rate", 0, "messages per second to offer (0: as fast as possible)")
	fs.StringVar(&o.db, "db", "", "database file to create (default: a new file in a temporary folder)")
	fs.IntVar(&o.bareRows, "bare", 20000, "rows for the bare SQLite baseline")
	fs.StringVar(&o.mix, "mix", "", "weights, e.g. chat=70,suggestion=30 (default: the built-in mix)")
	fs.IntVar(&o.burst, "burst", 10000, "distinct voters in the vote burst after the mix (0: none)")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the pipeline run to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.n <= 0 || o.users <= 0 || o.groups <= 0 || o.workers <= 0 {
		return errors.New("bench: -n, -users, -groups and -workers must be positive")
	}
	mix, err := parseMix(o.mix)
	if err != nil {
		return err
	}
	dir := ""
	if o.db == "" {
		if dir, err = os.MkdirTemp("", "qiao-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.db = filepath.Join(dir, "bench.db")
	}
	if _, err := os.Stat(o.db); err == nil {
		return fmt.Errorf("bench: %s exists; the bench needs a new database", o.db)
	}

	barePath := filepath.Join(filepath.Dir(o.db), "bare-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".db")
	bareBefore, err := bareSQLiteRate(ctx, barePath, o.bareRows)
	if err != nil {
		return err
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	res, err := runBench(ctx, o, mix, stderr)
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	// Measured before and after the pipeline; the ratio uses the faster one,
	// so a disturbance during either measurement cannot flatter the pipeline.
	bareAfter, err := bareSQLiteRate(ctx, barePath, o.bareRows)
	if err != nil {
		return err
	}
	bare := max(bareBefore, bareAfter)
	w := bufio.NewWriter(stdout)
	fmt.Fprintf(w, "qiao bench: %d messages from %d users in %d groups, %d workers", o.n, o.users, o.groups, o.workers)
	if o.rate > 0 {
		fmt.Fprintf(w, ", offered at %.0f/s", o.rate)
	}
	fmt.Fprintln(w)
	for _, k := range mix {
		fmt.Fprintf(w, "  mix %-12s %6d messages\n", k.Name, res.byKind[k.Name])
	}
	fmt.Fprintf(w, "pipeline:   %8.0f messages/s (%d handled in %s; %d replies delivered, %d duplicates, %d errors)\n",
		float64(o.n)/res.total.Seconds(), o.n, res.total.Round(time.Millisecond), res.delivered, res.dupes, res.errors)
	fmt.Fprintf(w, "latency:    p50 %s  p99 %s  max %s (engine: message in → committed)\n",
		quantile(res.latencies, 0.50), quantile(res.latencies, 0.99), quantile(res.latencies, 1))
	fmt.Fprintf(w, "bare SQLite: %7.0f inserts/s (one row, one commit each, same pragmas and folder; %.0f before, %.0f after)\n",
		bare, bareBefore, bareAfter)
	if o.rate > 0 {
		fmt.Fprintf(w, "ratio:           n/a (a rate-limited run measures latency; run without -rate for throughput)\n")
	} else {
		fmt.Fprintf(w, "ratio:      %8.2f × bare\n", float64(o.n)/res.total.Seconds()/bare)
	}
	if b := res.burst; b.voters > 0 {
		lost := b.voters - int64(b.stored)
		fmt.Fprintf(w, "vote burst: %d distinct voters on one poll in %s (%.0f votes/s, p99 %s): %d stored voters, %d ballots, tally %d, eligible %d → %d lost, %d errors\n",
			b.voters, b.total.Round(time.Millisecond), float64(b.voters)/b.total.Seconds(), quantile(b.latencies, 0.99),
			b.stored, b.ballots, b.tallied, b.eligible, lost, b.errors)
	}
	fmt.Fprintf(w, "peak RSS:   %8.1f MB (VmHWM)\n", float64(peakRSS())/1024)
	return w.Flush()
}
