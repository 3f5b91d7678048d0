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
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// benchOptions are qiao bench's flags.
type benchOptions struct {
	n, users, groups, workers int
	page                      int // the most messages a worker hands over in one HandleBatch call
	rate                      float64
	db                        string
	bareRows                  int
	mix                       string
	cpuprofile, memprofile    string
	burst                     int
	samples                   int // bare SQLite samples (and ideal replays: samples/2+1)
	ideal                     int // messages whose statements the ideal baseline replays (0: none)
	statements                int // list this many of the recorded statements by frequency (needs -ideal)
	memory                    MemoryConfig
}

func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o benchOptions
	fs := flag.NewFlagSet("qiao bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.n, "n", 100000, "messages to send")
	fs.IntVar(&o.users, "users", 500, "distinct senders")
	fs.IntVar(&o.groups, "groups", 20, "building groups the senders are spread over")
	fs.IntVar(&o.workers, "workers", 4, "goroutines handing messages to the engine (as an adapter's receive loop would)")
	fs.IntVar(&o.page, "page", defaultBenchPage, "the most messages a worker takes of those that have arrived and hands over in one HandleBatch call, "+
		"as the adapters do (a getUpdates page, a WeChat sync); 1: one Handle call a message")
	fs.Float64Var(&o.rate, "rate", 0, "messages per second to offer (0: as fast as possible)")
	fs.StringVar(&o.db, "db", "", "database file to create (default: a new file in a temporary folder)")
	fs.IntVar(&o.bareRows, "bare", 20000, "rows for the bare SQLite baseline")
	fs.StringVar(&o.mix, "mix", "", "weights, e.g. chat=70,suggestion=30 (default: the built-in mix)")
	fs.IntVar(&o.burst, "burst", 10000, "distinct voters in the vote burst after the mix (0: none)")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the pipeline run and the ideal replays to this file (go tool pprof; -tagfocus qiao=writer or qiao=ideal)")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a heap profile at the end of the pipeline and the burst to this file (go tool pprof; -sample_index=alloc_objects for the run's allocations)")
	fs.IntVar(&o.samples, "samples", 5, "bare SQLite samples, before and after the pipeline (the ratio uses their median)")
	fs.IntVar(&o.ideal, "ideal", 0, "replay the writer's statements for the first N messages on bare SQLite from one goroutine, "+
		"to print qiao/ideal (0: skip; use -ideal equal to -n)")
	fs.IntVar(&o.statements, "statements", 0, "with -ideal: list the N most frequent writer statements, per message")
	fs.IntVar(&o.memory.GoLimitMB, "go-limit-mb", 0, "the Go soft memory limit in MiB, as memory.go_limit_mb (0: its default, -1: none)")
	fs.IntVar(&o.memory.SQLiteCacheKB, "cache-kb", 0, "the write connection's page cache in KiB, as memory.sqlite_cache_kb (0: its default)")
	fs.IntVar(&o.memory.SQLiteReadCacheKB, "read-cache-kb", 0, "each read connection's page cache in KiB, as memory.sqlite_read_cache_kb (0: its default)")
	fs.IntVar(&o.memory.ReadConnections, "read-conns", 0, "read connections, as memory.read_connections (0: its default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.memory.fillDefaults()
	if errs := o.memory.Validate("bench"); len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	if limit := o.memory.applyGoLimit(); limit > 0 {
		// The bench's records are not Qiao's: under Qiao's limit alone the
		// collector would run ever more often as they fill (8 MB of latencies
		// in a million-message soak), slowing what is measured.
		debug.SetMemoryLimit(limit + benchRecordBytes(o))
	}
	if o.n <= 0 || o.users <= 0 || o.groups <= 0 || o.workers <= 0 || o.page <= 0 || o.samples <= 0 || o.ideal < 0 {
		return errors.New("bench: -n, -users, -groups, -workers, -page and -samples must be positive, -ideal not negative")
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

	scratch := func(name string) string {
		return filepath.Join(filepath.Dir(o.db), name+"-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".db")
	}
	// Bare samples are taken before and after the pipeline, and between the
	// ideal replays, so that a noisy machine moves numerator and denominators
	// alike; the ratios use medians.
	var bares, ideals []float64
	bareSample := func() error {
		r, err := bareSQLiteRate(ctx, scratch("bare"), o.bareRows)
		bares = append(bares, r)
		return err
	}
	for range (o.samples + 1) / 2 {
		if err := bareSample(); err != nil {
			return err
		}
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
	snapshot := scratch("snapshot")
	defer removeDB(snapshot)
	res, err := runBench(ctx, o, mix, stderr, snapshot)
	if o.cpuprofile != "" {
		// Through the ideal replays too, so that the writer's stacks
		// (-tagfocus qiao=writer) compare with the replay's (qiao=ideal).
		defer pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	idealRuns, idealFailed := 0, 0
	var idealCPUs []cpuMeter
	if res.recorded != nil {
		idealRuns = o.samples/2 + 1
	}
	for i := range max(o.samples/2, idealRuns) {
		if i < o.samples/2 {
			if err := bareSample(); err != nil {
				return err
			}
		}
		if i < idealRuns {
			var r float64
			var cpu cpuMeter
			var failed int
			pprof.Do(ctx, pprof.Labels("qiao", "ideal"), func(ctx context.Context) {
				r, cpu, failed, err = idealRate(ctx, snapshot, scratch("ideal"), o.memory.Storage(), res.recorded)
			})
			if err != nil {
				return err
			}
			ideals, idealCPUs, idealFailed = append(ideals, r), append(idealCPUs, cpu), failed
		}
	}
	rate := float64(o.n) / res.total.Seconds()
	w := bufio.NewWriter(stdout)
	fmt.Fprintf(w, "qiao bench: %d messages from %d users in %d groups, %d workers, pages of up to %d", o.n, o.users, o.groups, o.workers, o.page)
	if o.rate > 0 {
		fmt.Fprintf(w, ", offered at %.0f/s", o.rate)
	}
	fmt.Fprintln(w)
	for _, k := range mix {
		fmt.Fprintf(w, "  mix %-12s %6d messages\n", k.Name, res.byKind[k.Name])
	}
	fmt.Fprintf(w, "pipeline:   %8.0f messages/s (%d handled in %s; %d replies delivered, %d duplicates, %d errors)\n",
		rate, o.n, res.total.Round(time.Millisecond), res.delivered, res.dupes, res.errors)
	fmt.Fprintf(w, "latency:    p50 %s  p99 %s  max %s (engine: message in → committed)\n",
		quantile(res.latencies, 0.50), quantile(res.latencies, 0.99), quantile(res.latencies, 1))
	fmt.Fprintf(w, "group commit: %.2f messages a commit on average (%d group commits, %d run again with savepoints; %d commits in all, with the dispatcher's)\n",
		res.writes.MeanBatch(), res.writes.Batches, res.writes.Retried, res.writes.Commits)
	fmt.Fprintf(w, "pages:      %.2f messages a HandleBatch call on average (up to %d: all that had arrived and were not yet taken)\n",
		res.pages, o.page)
	fmt.Fprintf(w, "bare SQLite: %7.0f inserts/s (median of %d samples: %s; one row, one commit each, same pragmas and folder)\n",
		median(bares), len(bares), formatRates(bares))
	if res.recorded != nil {
		fmt.Fprintf(w, "ideal:      %8.0f messages/s (median of %d replays: %s; the first %d messages' %d transactions, %d statements, %d failed)\n",
			median(ideals), len(ideals), formatRates(ideals), res.recorded.messages, len(res.recorded.txs), res.recorded.statements(), idealFailed)
	}
	if o.rate > 0 {
		fmt.Fprintf(w, "ratio:           n/a (a rate-limited run measures latency; run without -rate for throughput)\n")
	} else {
		fmt.Fprintf(w, "ratio:      %8.2f × bare\n", rate/median(bares))
		if res.recorded != nil {
			fmt.Fprintf(w, "qiao/ideal: %8.2f\n", rate/median(ideals))
		}
	}
	busy := float64(res.writerBusy.Microseconds()) / float64(o.n)
	fmt.Fprintf(w, "writer:     busy %.0f µs a message, %.0f%% of the run (BEGIN to end of COMMIT: the serial stage)", busy,
		100*res.writerBusy.Seconds()/res.total.Seconds())
	if res.recorded != nil && median(ideals) > 0 {
		fmt.Fprintf(w, "; the ideal takes %.0f µs a message → at most %.2f while the writer is the bottleneck", 1e6/median(ideals), 1e6/median(ideals)/busy)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "cpu:        pipeline %s\n", res.cpu.perMessage(o.n))
	if res.recorded != nil {
		ideal := medianCPU(idealCPUs)
		fmt.Fprintf(w, "            ideal    %s (median replay) → qiao/ideal by CPU %.2f\n",
			ideal.perMessage(res.recorded.messages), cpuRatio(ideal, res.recorded.messages, res.cpu, o.n))
	}
	if o.statements > 0 {
		printStatements(w, res.recorded, o.statements)
	}
	if b := res.burst; b.voters > 0 {
		lost := b.voters - int64(b.stored)
		fmt.Fprintf(w, "vote burst: %d distinct voters on one poll in %s (%.0f votes/s, p99 %s, %.2f votes a HandleBatch call): %d stored voters, %d ballots, tally %d, eligible %d → %d lost, %d errors\n",
			b.voters, b.total.Round(time.Millisecond), float64(b.voters)/b.total.Seconds(), quantile(b.latencies, 0.99), b.pages,
			b.stored, b.ballots, b.tallied, b.eligible, lost, b.errors)
		res.burstSteps.mu.Lock()
		printSteps(w, res.burstSteps)
		res.burstSteps.mu.Unlock()
	}
	fmt.Fprintf(w, "WAL:        peak %.1f MB (limit %d MB), truncated %d times (%d by the checkpointer, %d by the writer; %d tries refused by a reader; %d restarts put off); the largest commit added %.2f MB (%.2f MB in the pipeline)\n",
		float64(res.walPeak)/(1<<20), storage.DefaultWALLimit>>20, res.walTruncates, res.walRestarts, res.walTruncates-res.walRestarts, res.walRefused, res.walPutOff,
		float64(res.largestCommit)/(1<<20), float64(res.writes.LargestCommit)/(1<<20))
	if o.rate > 0 {
		printTail(w, res.steps, res.spans, res.gcSpans)
		fmt.Fprintf(w, "gc pauses:  %d cycles, %d stop-the-world pauses, %d of them ≥ 1 ms (the longest < %s)\n",
			res.gcPauses.cycles, res.gcPauses.pauses, res.gcPauses.over1ms, res.gcPauses.longest.Round(time.Microsecond))
		fmt.Fprintf(w, "scheduler:  %d goroutine wake-ups, %d waited ≥ 1 ms for a processor, %d ≥ 5 ms\n",
			res.gcPauses.scheduled, res.gcPauses.waited1ms, res.gcPauses.waited5ms)
	}
	printMemory(w, res.memory, res.gc, res.readPool, o.memory, res.conns)
	return w.Flush()
}

// formatRates lists rates in the order they were measured.
func formatRates(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strings.Join(parts, ", ")
}
