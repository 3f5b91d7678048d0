package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unsafe"

	"github.com/qiao-community/qiao/bot"
)

// BenchmarkSuggestion routes and handles one #建议 through the demo App's
// Engine over a real SQLite file: the request row, the reply in the outbox, one commit.
func BenchmarkSuggestion(b *testing.B) {
	cfg, err := loadConfig("")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Database = filepath.Join(b.TempDir(), "qiao.db")
	cfg.Console.Enabled = new(bool)
	app, err := NewApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), IO{}, bot.NewVirtualClock(storyStart))
	if err != nil {
		b.Fatal(err)
	}
	defer app.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m := bot.Message{Platform: bot.Console, Chat: "3栋居民群", User: fmt.Sprintf("u%d", i%200), UserName: fmt.Sprintf("u%d", i%200),
			ID: fmt.Sprint(i), Text: "#建议 交警大院划一些停车位"}
		if err := app.Engine.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchCommand runs a small qiao bench: every kind of the mix is sent,
// nothing fails, every reply arrives once, the vote burst stores every voter,
// and the ideal baseline replays the writer's statements without a failure.
func TestBenchCommand(t *testing.T) {
	t.Parallel() // long and self-contained: overlaps the package's other tests
	var out, errOut strings.Builder
	// No Go memory limit: it would hold for the whole test binary.
	args := []string{"-n", "120", "-burst", "60", "-bare", "20", "-samples", "2", "-ideal", "120", "-go-limit-mb", "-1",
		"-db", filepath.Join(t.TempDir(), "bench.db")}
	if err := benchCmd(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("bench: %v\n%s", err, errOut.String())
	}
	got := out.String()
	for _, k := range benchMix {
		if !regexp.MustCompile(`mix ` + k.Name + ` +[1-9]\d* messages`).MatchString(got) {
			t.Errorf("no %s messages sent:\n%s", k.Name, got)
		}
	}
	for _, want := range []string{" 0 duplicates, 0 errors)", "vote burst: 60 distinct voters",
		"60 stored voters, 60 ballots, tally 60", "→ 0 lost, 0 errors",
		"(median of 2 samples:", "(median of 2 replays:", " 0 failed)", "qiao/ideal:", "WAL:        peak ",
		"  memory:   RSS ", "SQLite's allocator not counted (-tags memory.counters)", "settings: Go limit -1 MiB", "SQLite:   SQLite's accounts (cache, schema, statements): writer "} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	// Every message of the mix went through a group commit.
	m := regexp.MustCompile(`group commit: ([0-9.]+) messages a commit on average \((\d+) group commits`).FindStringSubmatch(got)
	if m == nil || m[1] == "0.00" || m[2] == "0" {
		t.Errorf("no group commits reported:\n%s", got)
	}
	// The workers hand what has arrived in pages, as the adapters do: with
	// every message due at once, 120 messages are a page of 100 and one of 20.
	if !strings.Contains(got, "pages:      60.00 messages a HandleBatch call on average (up to 100:") {
		t.Errorf("the messages were not handed over in full pages:\n%s", got)
	}
}

// The bench lifts Qiao's Go memory limit by exactly its own records, so a
// million-message soak does not make the collector run for the bench.
func TestBenchRecordsAreAboveQiaosLimit(t *testing.T) {
	soak := benchRecordBytes(benchOptions{n: 1_000_000, burst: 10_000})
	if soak != 8*1_010_000 {
		t.Errorf("a 1 M soak's records = %d bytes, want 8 per message and voter", soak)
	}
	paced := benchRecordBytes(benchOptions{n: 1000, rate: 1000, ideal: 1000})
	if want := int64(8*1000 + 1000*idealRecordBytes + 1000*int(unsafe.Sizeof(messageSpan{}))); paced != want {
		t.Errorf("a paced -ideal run's records = %d bytes, want %d (latencies, spans, recording)", paced, want)
	}
}
