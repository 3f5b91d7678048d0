package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"modernc.org/libc"

	"github.com/qiao-community/qiao/storage"
)

// benchRecorded counts the latencies the bench has written into its own
// records (8 bytes each), so that the memory report can tell Qiao's resident
// set from the bench's bookkeeping.
var benchRecorded atomic.Int64

// idealRecordBytes is more than the heap -ideal's recording takes a message
// (about 1 KiB: ~11 statements with their arguments).
const idealRecordBytes = 2 << 10

// benchRecordBytes is the heap the bench's own records take: a latency for
// every message and voter, each message's span with -rate, and the -ideal
// recording.
func benchRecordBytes(o benchOptions) int64 {
	n := int64(o.n+o.burst)*int64(unsafe.Sizeof(time.Duration(0))) + int64(o.ideal)*idealRecordBytes
	if o.rate > 0 {
		n += int64(o.n) * int64(unsafe.Sizeof(messageSpan{}))
	}
	return n
}

// memSample is where the process's memory is at one moment (bytes).
type memSample struct {
	rss, anon, file int64 // /proc/self/status: VmRSS, RssAnon, RssFile
	heapObjects     int64 // Go heap in use by live and not yet swept objects
	heapGoal        int64 // the heap size the next GC aims at
	stacks          int64 // goroutine stacks
	goMapped        int64 // everything the Go runtime holds from the OS, less what it released
	sqlite          int64 // mapped by modernc's libc allocator (SQLite's malloc); 0 without -tags memory.counters
	bench           int64 // the bench's latency records written so far
	// Collections so far and the CPU they and the program took (seconds;
	// the runtime updates these at each collection).
	gcCycles       int64
	gcCPU, userCPU float64
}

// qiaoRSS is the resident set less the bench's own records.
func (s memSample) qiaoRSS() int64 { return s.rss - s.bench }

var memMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/gc/heap/goal:bytes",
	"/memory/classes/heap/stacks:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/gc/cycles/total:gc-cycles",
	"/cpu/classes/gc/total:cpu-seconds",
	"/cpu/classes/user:cpu-seconds",
}

// readMem takes one sample.
func readMem() memSample {
	ms := make([]metrics.Sample, len(memMetrics))
	for i, name := range memMetrics {
		ms[i].Name = name
	}
	metrics.Read(ms)
	u := func(i int) int64 {
		if ms[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(ms[i].Value.Uint64())
	}
	f := func(i int) float64 {
		if ms[i].Value.Kind() != metrics.KindFloat64 {
			return 0
		}
		return ms[i].Value.Float64()
	}
	s := memSample{heapObjects: u(0), heapGoal: u(1), stacks: u(2), goMapped: u(3) - u(4),
		gcCycles: u(5), gcCPU: f(6), userCPU: f(7),
		sqlite: int64(libc.MemStat().Bytes), bench: 8 * benchRecorded.Load()}
	st := procStatus("VmRSS:", "RssAnon:", "RssFile:")
	s.rss, s.anon, s.file = st[0], st[1], st[2]
	return s
}

// procStatus reads fields of /proc/self/status in bytes (0 where /proc is missing).
func procStatus(fields ...string) []int64 {
	values := make([]int64, len(fields))
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return values
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		for i, field := range fields {
			if v, ok := strings.CutPrefix(sc.Text(), field); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				values[i] = kb << 10
			}
		}
	}
	return values
}

// memWatch samples the process's memory every second until stopped and keeps
// the sample where Qiao's share (RSS less the bench's records) peaked.
type memWatch struct {
	mu          sync.Mutex
	first, peak memSample
	last        memSample
	stop        chan struct{}
	once        sync.Once
	done        sync.WaitGroup
}

// Every progressEvery it also writes a progress line to progress (a soak runs
// for an hour; a growth shows before the end).
// conns, appended to each progress line, says what SQLite accounts to its
// connections.
func watchMemory(progress io.Writer, conns func() string) *memWatch {
	w := &memWatch{stop: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for i := 0; ; i++ {
			s := w.sample()
			if i > 0 && i%progressEvery == 0 {
				mb := func(b int64) float64 { return float64(b) / (1 << 20) }
				fmt.Fprintf(progress, "bench: %s %d messages; RSS %.1f MB (anonymous %.1f, file %.1f), Go from the OS %.1f (heap objects %.1f), SQLite's allocator %s, bench records %.1f; %s\n",
					time.Now().UTC().Format("15:04:05"), benchRecorded.Load(), mb(s.rss), mb(s.anon), mb(s.file), mb(s.goMapped), mb(s.heapObjects), allocatorMB(s.sqlite), mb(s.bench), conns())
			}
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

// progressEvery is how many one-second samples pass between progress lines.
const progressEvery = 60

func (w *memWatch) sample() memSample {
	s := readMem()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.first.rss == 0 {
		w.first = s
	}
	w.last = s
	if s.qiaoRSS() > w.peak.qiaoRSS() {
		w.peak = s
	}
	return s
}

// gcWork is what the collector did between two samples.
type gcWork struct {
	cycles         int64
	gcCPU, userCPU float64
}

// Stop ends the sampling (after a last sample) and returns the peak and the
// collector's work since the watch began.
func (w *memWatch) Stop() (memSample, gcWork) {
	w.once.Do(func() { close(w.stop) })
	w.done.Wait()
	w.sample()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak, gcWork{cycles: w.last.gcCycles - w.first.gcCycles, gcCPU: w.last.gcCPU - w.first.gcCPU,
		userCPU: w.last.userCPU - w.first.userCPU}
}

// allocatorMB is SQLite's allocator in MB, or why it is not known: modernc's
// libc counts it only when built with -tags memory.counters, and a bare 0.0
// read as "SQLite holds nothing".
func allocatorMB(b int64) string {
	if b == 0 {
		return "not counted (-tags memory.counters)"
	}
	return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64)
}

// printMemory reports the peak, where it went, and the settings it ran with.
func printMemory(w io.Writer, p memSample, gc gcWork, pool sql.DBStats, m MemoryConfig, conns string) {
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	fmt.Fprintf(w, "peak RSS:   %8.1f MB (VmHWM); sampled each second, Qiao's peak (less the bench's records) %.1f MB:\n",
		mb(peakRSS()<<10), mb(p.qiaoRSS()))
	fmt.Fprintf(w, "  memory:   RSS %.1f MB = anonymous %.1f + file %.1f (the binary's pages); Go heap objects %.1f, heap goal %.1f, stacks %.1f, Go runtime from the OS %.1f; SQLite's allocator %s; bench records %.1f\n",
		mb(p.rss), mb(p.anon), mb(p.file), mb(p.heapObjects), mb(p.heapGoal), mb(p.stacks), mb(p.goMapped), allocatorMB(p.sqlite), mb(p.bench))
	runtimeLimit := "none"
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		runtimeLimit = strconv.FormatInt(l>>20, 10) + " MiB"
	}
	fmt.Fprintf(w, "  settings: Go limit %d MiB (runtime: %s), page cache %d KiB (writer), %d KiB × %d readers; read pool: %d open, %d waits (%s), %d closed idle\n",
		m.GoLimitMB, runtimeLimit, m.SQLiteCacheKB, m.SQLiteReadCacheKB, m.ReadConnections, pool.OpenConnections, pool.WaitCount,
		pool.WaitDuration.Round(time.Millisecond), pool.MaxIdleClosed)
	fmt.Fprintf(w, "  SQLite:   %s (MB, at the end)\n", conns)
	fmt.Fprintf(w, "  GC:       %d collections, %.1f cpu-s of the program's %.1f cpu-s (%.1f%%)\n",
		gc.cycles, gc.gcCPU, gc.userCPU+gc.gcCPU, 100*gc.gcCPU/max(gc.userCPU+gc.gcCPU, 1e-9))
}

// writeHeapProfile writes the live heap (as of a fresh collection) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// connMemory describes what SQLite accounts to the write connection and to a
// read connection, in MB.
func connMemory(ctx context.Context, db *storage.DB) string {
	w, r, err := db.ConnMemory(ctx)
	if err != nil {
		return "SQLite's accounts: " + err.Error()
	}
	mb := func(b int) float64 { return float64(b) / (1 << 20) }
	return fmt.Sprintf("SQLite's accounts (cache, schema, statements): writer %.1f, %.1f, %.1f; a reader %.1f, %.1f, %.1f; "+
		"the writer's pages read from the file %d (%.2f%% of those it used)",
		mb(w.Cache), mb(w.Schema), mb(w.Stmts), mb(r.Cache), mb(r.Schema), mb(r.Stmts), w.Misses, 100*float64(w.Misses)/float64(max(w.Hits+w.Misses, 1)))
}
