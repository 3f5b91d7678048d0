package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/storage"
)

// benchKind is one row of the bench's message mix. Adding a kind is one row
// here; Setup prepares what it needs (the vote row opens a poll).
type benchKind struct {
	Name    string
	Weight  int                                            // share of the messages
	Replies int                                            // outbox messages each one produces
	Text    func(i int, user, group string) string         // the message text
	Setup   func(ctx context.Context, env *benchEnv) error // optional, before the run
}

// benchMix is the default mix: mostly chit-chat the bot stays out of,
// suggestions and repairs (a reply and a staff notice each), and votes on a
// poll open in every building group (acknowledged later in one coalesced
// message per group, so no reply of their own).
var benchMix = []benchKind{
	{Name: "chat", Weight: 60, Text: func(i int, _, _ string) string {
		return chatLines[i%len(chatLines)] + " " + strconv.Itoa(i)
	}},
	{Name: "suggestion", Weight: 15, Replies: 2, Text: func(i int, _, _ string) string {
		return "#建议 " + suggestionLines[i%len(suggestionLines)] + " (" + strconv.Itoa(i) + ")"
	}},
	{Name: "repair", Weight: 10, Replies: 2, Text: func(i int, _, _ string) string {
		return "#报修 " + repairLines[i%len(repairLines)] + " (" + strconv.Itoa(i) + ")"
	}},
	{Name: "vote", Weight: 15, Text: func(i int, _, _ string) string {
		return "#投 " + strconv.Itoa(1+i%len(benchPollOptions))
	}, Setup: func(ctx context.Context, env *benchEnv) error {
		_, err := env.openPoll(ctx, "小区停车方案")
		return err
	}},
}

var chatLines = []string{"今天天气不错", "楼下快递到了吗", "谁家的猫跑出来了", "晚上有广场舞吗", "收到，谢谢"}
var suggestionLines = []string{"交警大院划一些停车位", "小区门口加装路灯", "垃圾清运改到早上", "增加几个充电桩", "活动室周末开放"}
var repairLines = []string{"楼道灯坏了", "电梯停在三楼不动", "厨房水管漏水", "单元门禁刷不开", "屋顶漏雨"}
var benchPollOptions = []string{"地面划线", "地下车库", "维持现状"}

// benchStaff is the staff member who starts the bench's polls.
const benchStaff = "staff-1"

// benchEnv is what a mix row's Setup may use.
type benchEnv struct {
	App    *App
	Groups []string // chat keys
	Users  []string
	setup  int // messages sent by setup steps (their ids)
}

// send hands one message to the Engine, as the staff member in the staff group
// unless user and chat say otherwise.
func (env *benchEnv) send(ctx context.Context, user, chat, text string) error {
	env.setup++
	return env.App.Engine.Handle(ctx, bot.Message{Platform: benchPlatform, Chat: chat, User: user, UserName: user,
		ID: "setup-" + strconv.Itoa(env.setup), Text: text, Time: time.Now()})
}

// openPoll has the staff member start a poll in every building group (scope:
// the whole community) and returns its id. Any poll open before is closed
// first, so "#投 N" in a group means this one.
func (env *benchEnv) openPoll(ctx context.Context, title string) (int64, error) {
	open, err := env.openPolls(ctx)
	if err != nil {
		return 0, err
	}
	for _, p := range open {
		if err := env.send(ctx, benchStaff, "chat-staff", "#结束投票 "+polls.Ref(p.ID)); err != nil {
			return 0, err
		}
	}
	text := "#投票 " + title + "\n" + strings.Join(benchPollOptions, "\n") + "\n范围 全社区"
	if err := env.send(ctx, benchStaff, "chat-staff", text); err != nil {
		return 0, err
	}
	if open, err = env.openPolls(ctx); err != nil {
		return 0, err
	}
	if len(open) != 1 || open[0].Title != title {
		return 0, fmt.Errorf("bench: poll %q was not opened in %s (%d open)", title, env.Groups[0], len(open))
	}
	return open[0].ID, nil
}

// openPolls lists the polls open in the first building group.
func (env *benchEnv) openPolls(ctx context.Context) (open []storage.Poll, err error) {
	err = env.App.DB.View(ctx, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(benchPlatform, env.Groups[0])
		if err != nil {
			return err
		}
		open, err = tx.OpenPollsInGroup(g.ID)
		return err
	})
	return open, err
}

// benchSink is an adapter that counts what the dispatcher delivers, and how
// often each outbox message arrived (to see duplicates).
type benchSink struct {
	mu    sync.Mutex
	seen  []uint8 // by outbox id
	sent  atomic.Int64
	dupes atomic.Int64
}

func (s *benchSink) Platform() string { return benchPlatform }

func (s *benchSink) Limits() bot.Limits { return bot.Limits{} }

func (s *benchSink) Run(ctx context.Context, _ bot.Inbound) error {
	<-ctx.Done()
	return nil
}

func (s *benchSink) Send(_ context.Context, m bot.Outgoing) (bot.Sent, error) {
	s.mu.Lock()
	for int64(len(s.seen)) <= m.ID {
		s.seen = append(s.seen, make([]uint8, max(1024, len(s.seen)))...)
	}
	s.seen[m.ID]++
	dup := s.seen[m.ID] > 1
	s.mu.Unlock()
	if dup {
		s.dupes.Add(1)
	} else {
		s.sent.Add(1)
	}
	return bot.Sent{ID: strconv.FormatInt(m.ID, 10)}, nil
}

const benchPlatform = "bench"

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

func parseMix(spec string) ([]benchKind, error) {
	if spec == "" {
		return benchMix, nil
	}
	var out []benchKind
	for _, part := range strings.Split(spec, ",") {
		name, weight, ok := strings.Cut(strings.TrimSpace(part), "=")
		w, err := strconv.Atoi(weight)
		if !ok || err != nil || w < 0 {
			return nil, fmt.Errorf("bench: -mix %q: want name=weight,…", spec)
		}
		i := slices.IndexFunc(benchMix, func(k benchKind) bool { return k.Name == name })
		if i < 0 {
			var names []string
			for _, k := range benchMix {
				names = append(names, k.Name)
			}
			return nil, fmt.Errorf("bench: -mix: unknown kind %q (%s)", name, strings.Join(names, ", "))
		}
		k := benchMix[i]
		k.Weight = w
		out = append(out, k)
	}
	return out, nil
}

type benchResult struct {
	total                    time.Duration
	latencies                []time.Duration // sorted
	delivered, dupes, errors int64
	byKind                   map[string]int
	burst                    burstResult
}

// quantile is the q-quantile of sorted latencies.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, int(q*float64(len(sorted))))
	return sorted[i].Round(time.Microsecond)
}

// benchConfig is a community with groups building groups on the bench platform.
func benchConfig(o benchOptions) *Config {
	cfg := &Config{Database: o.db, Timezone: "Asia/Shanghai", Language: "zh-CN", BotNames: []string{"小桥"},
		MaxMessageRunes: 2000, Console: ConsoleConfig{Enabled: new(bool)}}
	if demo, err := loadConfig(""); err == nil { // the demo's categories and feature settings (defaults filled)
		cfg.Categories, cfg.Requests, cfg.Polls, cfg.Digest = demo.Categories, demo.Requests, demo.Polls, demo.Digest
	}
	cm := CommunityConfig{Key: "bench", Name: "压测社区", Timezone: "Asia/Shanghai", Language: "zh-CN",
		Grids: []EntityConfig{{Key: "g1", Name: "第一网格"}}}
	for i := range o.groups {
		key := fmt.Sprintf("b%d", i+1)
		cm.Buildings = append(cm.Buildings, BuildingConfig{Key: key, Name: fmt.Sprintf("%d栋", i+1), Grid: "g1"})
		cm.Groups = append(cm.Groups, GroupConfig{Key: key, Name: fmt.Sprintf("%d栋居民群", i+1), Kind: "building",
			Building: key, Platform: benchPlatform, Chat: fmt.Sprintf("chat-%d", i+1), Mode: "off"})
	}
	cm.People = []PersonConfig{{Key: "staff1", Name: "社区干部", Platform: benchPlatform, User: benchStaff, Roles: []string{"staff"}}}
	cm.Groups = append(cm.Groups, GroupConfig{Key: "staff", Name: "社区工作群", Kind: "staff", Platform: benchPlatform, Chat: "chat-staff", Mode: "off"})
	cfg.Communities = []CommunityConfig{cm}
	return cfg
}

func runBench(ctx context.Context, o benchOptions, mix []benchKind, stderr io.Writer) (benchResult, error) {
	var res benchResult
	cfg := benchConfig(o)
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// Flood control stays off (cfg.Flood is zero) and the sink has no pacing
	// limits: the bench's senders are far faster than people.
	app, err := NewApp(ctx, cfg, log, IO{}, bot.SystemClock{})
	if err != nil {
		return res, err
	}
	defer app.Close()
	sink := &benchSink{}
	app.Dispatcher.Register(sink)
	env := &benchEnv{App: app}
	for _, g := range cfg.Communities[0].Groups[:o.groups] {
		env.Groups = append(env.Groups, g.Chat)
	}
	for i := range o.users {
		env.Users = append(env.Users, fmt.Sprintf("u%d", i+1))
	}
	total := 0
	for _, k := range mix {
		total += k.Weight
		if k.Setup != nil {
			if err := k.Setup(ctx, env); err != nil {
				return res, fmt.Errorf("bench: setup %s: %w", k.Name, err)
			}
		}
	}
	if total == 0 {
		return res, errors.New("bench: the mix has no weight")
	}
	// Deliver what the setup posted (a poll's announcements), so the count of
	// replies below starts from a settled outbox.
	if err := app.Dispatcher.Drain(ctx, benchPlatform); err != nil {
		return res, err
	}

	// Message i is a pure function of i (seeded per message), so the plan costs
	// no memory and every run sends the same stream.
	pick := func(i int) (kind, user int) {
		rng := rand.New(rand.NewPCG(uint64(i), 2026))
		x, k := rng.IntN(total), 0
		for x >= mix[k].Weight {
			x -= mix[k].Weight
			k++
		}
		return k, rng.IntN(o.users)
	}
	message := func(i int) bot.Message {
		k, u := pick(i)
		user, group := env.Users[u], env.Groups[u%o.groups] // each user lives in one building
		return bot.Message{Platform: benchPlatform, Chat: group, User: user, UserName: user,
			ID: strconv.Itoa(i + 1), Text: mix[k].Text(i, user, group), Time: time.Now()}
	}
	res.byKind = map[string]int{}
	wantReplies := sink.sent.Load() // setup's replies
	for i := range o.n {
		k, _ := pick(i)
		res.byKind[mix[k].Name]++
		wantReplies += int64(mix[k].Replies)
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var dispatcherDone sync.WaitGroup
	dispatcherDone.Add(1)
	defer func() { cancel(); dispatcherDone.Wait() }() // before app.Close, on every path
	go func() {
		defer dispatcherDone.Done()
		app.Dispatcher.Run(runCtx)
	}()

	start := time.Now()
	res.latencies, res.errors = drive(ctx, app.Engine, o.n, o.workers, o.rate, start, message)
	// The pipeline is done when the sink has every reply.
	for waited := time.Now(); sink.sent.Load() < wantReplies && ctx.Err() == nil; {
		if time.Since(waited) > time.Minute {
			return res, fmt.Errorf("bench: %d replies expected, %d delivered after a minute", wantReplies, sink.sent.Load())
		}
		app.Dispatcher.Wake()
		time.Sleep(time.Millisecond)
	}
	res.total = time.Since(start)
	slices.Sort(res.latencies)
	if o.burst > 0 && ctx.Err() == nil {
		if res.burst, err = voteBurst(ctx, env, o); err != nil {
			return res, err
		}
	}
	cancel()
	dispatcherDone.Wait()
	res.delivered, res.dupes = sink.sent.Load(), sink.dupes.Load()
	return res, ctx.Err()
}

// drive hands messages 0…n-1 to the engine from workers goroutines, offered at
// rate a second from start (0: as fast as they are taken), and returns each
// one's latency (from when it was due to when it was committed) and how many
// Handle calls failed.
func drive(ctx context.Context, e *bot.Engine, n, workers int, rate float64, start time.Time, message func(i int) bot.Message) ([]time.Duration, int64) {
	latencies := make([]time.Duration, n)
	var errs atomic.Int64
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				var due time.Time
				if rate > 0 {
					due = start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
					if d := time.Until(due); d > 0 {
						time.Sleep(d)
					}
				} else {
					due = time.Now()
				}
				if err := e.Handle(ctx, message(i)); err != nil {
					errs.Add(1)
				}
				latencies[i] = time.Since(due)
			}
		}()
	}
	wg.Wait()
	return latencies, errs.Load()
}

// burstResult is the vote burst's outcome: votes sent, failed Handle calls,
// and what the database holds afterwards.
type burstResult struct {
	voters, errors           int64
	total                    time.Duration
	latencies                []time.Duration
	stored, ballots, tallied int // poll_voters rows, ballots, sum of the tally
	eligible                 int
}

// voteBurst opens a fresh poll in every building group and has o.burst
// distinct people — each new, so their vote is also their first message in
// their building's group, which makes them members of the electorate — vote
// on it as fast as the workers go. Then it counts what was stored.
func voteBurst(ctx context.Context, env *benchEnv, o benchOptions) (burstResult, error) {
	var r burstResult
	pollID, err := env.openPoll(ctx, "凉亭设计方案")
	if err != nil {
		return r, err
	}
	message := func(i int) bot.Message {
		user := "voter-" + strconv.Itoa(i+1)
		return bot.Message{Platform: benchPlatform, Chat: env.Groups[i%len(env.Groups)], User: user, UserName: user,
			ID: "burst-" + strconv.Itoa(i+1), Text: "#投 " + strconv.Itoa(1+i%len(benchPollOptions)), Time: time.Now()}
	}
	start := time.Now()
	r.latencies, r.errors = drive(ctx, env.App.Engine, o.burst, o.workers, 0, start, message)
	r.total = time.Since(start)
	r.voters = int64(o.burst)
	slices.Sort(r.latencies)
	err = env.App.DB.View(ctx, func(tx *storage.Tx) error {
		var err error
		if r.stored, r.eligible, err = tx.PollTurnout(pollID, false); err != nil {
			return err
		}
		counts, ballots, err := tx.TallyPoll(pollID, len(benchPollOptions))
		r.ballots = ballots
		for _, c := range counts {
			r.tallied += c
		}
		return err
	})
	return r, err
}

// bareSQLiteRate inserts rows one commit each into a fresh database at path,
// opened exactly as Qiao opens its own, and returns rows per second.
func bareSQLiteRate(ctx context.Context, path string, rows int) (float64, error) {
	defer func() {
		for _, s := range []string{"", "-wal", "-shm"} {
			os.Remove(path + s)
		}
	}()
	db, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bare (id INTEGER PRIMARY KEY, chat TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)`); err != nil {
		return 0, err
	}
	start := time.Now()
	for i := range rows {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bare (chat, text, at) VALUES (?, ?, ?)`, "chat-1", "今天天气不错", i); err != nil {
			tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return float64(rows) / time.Since(start).Seconds(), nil
}

// peakRSS is the process's peak resident set in kB (VmHWM), 0 where /proc is missing.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}
