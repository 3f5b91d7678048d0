package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

type benchResult struct {
	total                    time.Duration
	latencies                []time.Duration // sorted
	delivered, dupes, errors int64
	pages                    float64 // mean messages a HandleBatch call
	byKind                   map[string]int
	burst                    burstResult
	writes                   storage.WriteStats // the pipeline's (not setup's, not the burst's)
	walPeak                  int64              // bytes, over the pipeline and the burst
	walTruncates             int64
	walRestarts              int64          // of walTruncates, by the checkpointer
	walPutOff                int64          // restarts put off: the passes did not catch up
	largestCommit            int64          // the most one commit added to the WAL, pipeline and burst
	walRefused               int64          // restarts and truncations a reader prevented
	memory                   memSample      // where Qiao's resident set peaked
	conns                    string         // what SQLite accounts to its connections at the end
	readPool                 sql.DBStats    // the read pool at the end
	gc                       gcWork         // the collector's work over the pipeline and the burst
	recorded                 *writeRecorder // the writer's statements, with -ideal
	cpu                      cpuMeter       // spent over the pipeline (all goroutines)
	writerBusy               time.Duration  // write transactions held the connection over the pipeline
	steps                    *stepRecorder  // the writer's and checkpointer's steps in the pipeline
	burstSteps               *stepRecorder  // the same in the vote burst
	spans                    []messageSpan  // each message's times, with -rate
	gcPauses                 gcCost         // the collector's pauses during the pipeline
	gcSpans                  []stepSpan     // its stop-the-world pauses during the pipeline, with -rate
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
		MaxMessageRunes: 2000, Console: ConsoleConfig{Enabled: new(bool)}, Memory: o.memory}
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

// runBench runs the mix and the vote burst. With o.ideal it first copies the
// database to snapshot and records the writer's statements for the ideal baseline.
func runBench(ctx context.Context, o benchOptions, mix []benchKind, stderr io.Writer, snapshot string) (benchResult, error) {
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

	res.steps = &stepRecorder{all: o.rate > 0}
	tracer := &storage.Tracer{}
	if o.ideal > 0 {
		if err := app.DB.Backup(ctx, snapshot); err != nil {
			return res, err
		}
		res.recorded = &writeRecorder{limit: o.ideal}
		tracer = res.recorded.tracer()
	}
	tracer.Step = res.steps.record
	app.DB.SetTracer(tracer)
	if o.rate > 0 {
		res.spans = make([]messageSpan, o.n)
	}
	wal, mem := watchWAL(app.DB), watchMemory(stderr, func() string { return connMemory(ctx, app.DB) })
	defer wal.Stop() // on every path; stopping twice is fine
	defer mem.Stop() // on every path; stopping twice is fine
	sliceLines := watchSlices(stderr, app.DB)
	defer sliceLines.Stop()
	before := app.DB.WriteStats()
	meter, busy, gcBefore := cpuNow(), app.DB.WriterBusy(), readGC()
	start := time.Now()
	driven := drive(ctx, app.Engine, o.n, o.workers, o.page, o.rate, start, message, res.spans)
	res.latencies, res.errors, res.pages = driven.latencies, driven.errors, driven.meanPage(o.n)
	// The pipeline is done when the sink has every reply.
	for waited := time.Now(); sink.sent.Load() < wantReplies && ctx.Err() == nil; {
		if time.Since(waited) > time.Minute {
			return res, fmt.Errorf("bench: %d replies expected, %d delivered after a minute", wantReplies, sink.sent.Load())
		}
		app.Dispatcher.Wake()
		time.Sleep(time.Millisecond)
	}
	res.total = time.Since(start)
	sliceLines.Stop()
	res.cpu, res.writerBusy = meter.since(), app.DB.WriterBusy()-busy
	res.gcPauses = readGC().since(gcBefore)
	if o.rate > 0 {
		res.gcSpans = gcPausesSince(start)
	}
	res.burstSteps = &stepRecorder{}
	app.DB.SetTracer(&storage.Tracer{Step: res.burstSteps.record}) // the burst's steps, not its statements
	after := app.DB.WriteStats()
	res.writes = storage.WriteStats{Commits: after.Commits - before.Commits, Batches: after.Batches - before.Batches,
		Batched: after.Batched - before.Batched, Retried: after.Retried - before.Retried, LargestCommit: after.LargestCommit}
	slices.Sort(res.latencies)
	if o.burst > 0 && ctx.Err() == nil {
		if res.burst, err = voteBurst(ctx, env, o); err != nil {
			return res, err
		}
	}
	if o.memprofile != "" {
		if err := writeHeapProfile(o.memprofile); err != nil {
			return res, err
		}
	}
	cancel()
	dispatcherDone.Wait()
	res.delivered, res.dupes = sink.sent.Load(), sink.dupes.Load()
	st := app.DB.WriteStats()
	res.walPeak, res.walTruncates, res.walRestarts, res.walPutOff = wal.Stop(), st.WALTruncates, st.WALRestarts, st.RestartsPutOff
	res.largestCommit, res.walRefused = st.LargestCommit, st.WALRefused
	res.memory, res.gc = mem.Stop()
	res.readPool, res.conns = app.DB.ReadPoolStats(), connMemory(ctx, app.DB)
	return res, ctx.Err()
}

// burstResult is the vote burst's outcome: votes sent, failed Handle calls,
// and what the database holds afterwards.
type burstResult struct {
	voters, errors           int64
	pages                    float64 // mean votes a HandleBatch call
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
	driven := drive(ctx, env.App.Engine, o.burst, o.workers, o.page, 0, start, message, nil)
	r.latencies, r.errors, r.pages = driven.latencies, driven.errors, driven.meanPage(o.burst)
	r.total = time.Since(start)
	r.voters = int64(o.burst)
	slices.Sort(r.latencies)
	err = env.App.DB.View(ctx, func(tx *storage.Tx) error {
		var err error
		if r.stored, r.eligible, _, err = tx.PollTurnout(pollID, false); err != nil {
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
