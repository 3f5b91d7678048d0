package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	qiao "github.com/qiao-community/qiao"
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// storyStart is when every story begins: a Monday morning in Shanghai.
// TestMain runs the package in UTC, as on a server, whatever the machine's
// zone: set once, before any goroutine starts (changing time.Local while a
// database's background goroutines read the clock is a data race).
func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" { // a test runs this binary as qiao (qiaoCommand)
		main()
		os.Exit(0)
	}
	time.Local = time.UTC
	os.Exit(m.Run())
}

// asMainEnv makes the test binary behave as the qiao command.
const asMainEnv = "QIAO_TEST_AS_MAIN"

var storyStart = time.Date(2026, 11, 30, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// story is a console session over a fresh database in t.TempDir().
type story struct {
	t     *testing.T
	cfg   *Config
	clock *bot.VirtualClock
	db    string
}

// newStory prepares a story on the demo community (config.example.yaml).
func newStory(t *testing.T) *story {
	t.Helper()
	cfg, err := ParseConfig(qiao.ExampleConfig, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = filepath.Join(t.TempDir(), "qiao.db")
	storagetest.Seed(t, cfg.Database)
	return &story{t: t, cfg: cfg, clock: bot.NewVirtualClock(storyStart), db: cfg.Database}
}

// run plays a console script (one process lifetime) and returns what was printed.
func (s *story) run(script string) string {
	s.t.Helper()
	var out bytes.Buffer
	app := s.app(strings.NewReader(script), &out)
	defer app.Close()
	if err := app.Run(context.Background()); err != nil {
		s.t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	// Whatever the story resolved, rated, re-rated, reopened or merged: the
	// rating summaries and the 三率's rate entries still equal a recount.
	storagetest.SameRatingSummaries(s.t, app.DB)
	storagetest.SameRateEntries(s.t, app.DB)
	// Files the console writes are shown under a fixed name: FILES/sent/….
	return strings.ReplaceAll(out.String(), filesDir(s.db), "FILES")
}

// app builds the App a story runs; tests that need the database use it directly.
func (s *story) app(in io.Reader, out io.Writer) *App {
	s.t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&testLogWriter{s.t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	app, err := NewApp(context.Background(), s.cfg, log, IO{In: in, Out: out}, s.clock)
	if err != nil {
		s.t.Fatal(err)
	}
	return app
}

type testLogWriter struct{ t *testing.T }

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// expectLines fails unless got is exactly want, line by line (leading and
// trailing blank lines and indentation of want ignored).
func expectLines(t *testing.T, got, want string) {
	t.Helper()
	var w []string
	for _, l := range strings.Split(strings.TrimSpace(want), "\n") {
		w = append(w, strings.TrimLeft(l, "\t"))
	}
	g := strings.Split(strings.TrimRight(got, "\n"), "\n")
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("output differs\n--- got:\n%s\n--- want:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
}

func TestStorySuggestion(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 3栋居民群
:as 居民甲
#建议 交警大院划一些停车位
:in 社区工作群
:as 陈社工
#派单 S1 物业
#采纳 S1 已列入明年计划
`)
	expectLines(t, got, `
		[3栋居民群] @居民甲 谢谢您的建议！已登记为 S1（停车，交警大院）：交警大院划一些停车位
		  社区会尽快答复，可发送 #进度 S1 查看。
		[社区工作群] 新建议 S1（停车，交警大院），3栋居民群 居民甲：
		  交警大院划一些停车位
		  答复：#采纳 / #已办 / #暂缓 / #不采纳 S1 回复内容
		[社区工作群] @陈社工 S1 是建议，不能派单。建议和需求请用 #采纳、#已办、#暂缓、#不采纳 答复。
		[社区工作群] @陈社工 已答复 S1：已采纳。已告知居民甲。
		[3栋居民群] @居民甲 您的建议 S1，社区答复：已采纳。已列入明年计划
		  谢谢您的参与！
	`)
}
