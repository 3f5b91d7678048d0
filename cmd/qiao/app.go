package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/console"
	"github.com/qiao-community/qiao/bot/schedule"
	"github.com/qiao-community/qiao/bot/telegram"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/bot/wecom"
	"github.com/qiao-community/qiao/handlers/activities"
	"github.com/qiao-community/qiao/handlers/alerts"
	"github.com/qiao-community/qiao/handlers/chart"
	"github.com/qiao-community/qiao/handlers/digest"
	"github.com/qiao-community/qiao/handlers/jielong"
	"github.com/qiao-community/qiao/handlers/notices"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/projects"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/handlers/volunteers"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/web"
)

// App is a wired Qiao: configuration, database, engine, dispatcher and adapters.
// Tests build one over a temporary database and drive it through the console.
type App struct {
	Config     *Config
	Log        *slog.Logger
	DB         *storage.DB
	Prompts    *prompts.Set
	Location   *time.Location
	Clock      bot.Clock
	Virtual    *bot.VirtualClock // set when the console may move time (no real platform connected)
	Classifier *requests.Classifier
	Mux        *bot.Mux
	Outbox     *bot.Outbox
	Engine     *bot.Engine
	Dispatcher *bot.Dispatcher
	Console    *console.Adapter
	Telegram   *telegram.Adapter // nil unless telegram.enabled
	Digests    *digest.Digests
	Scheduler  *schedule.Scheduler
	// RequestJobs is the requests feature's scheduled job ("overdue": RemindOverdue).
	RequestJobs *requests.Jobs
	PollJobs    *polls.Jobs
	// ProjectJobs reminds about and closes project 评议 ("projects").
	ProjectJobs *projects.Jobs
	// ActivityJobs reminds of activities ("activities"); NoticeJobs of
	// unconfirmed notices ("notices").
	ActivityJobs *activities.Jobs
	NoticeJobs   *notices.Jobs
	// JielongJobs closes 接龙 at their deadlines ("jielong").
	JielongJobs *jielong.Jobs
	// VolunteerJobs remind people on duty ("duty") and thank them monthly ("volunteers").
	VolunteerJobs *volunteers.Jobs
	WeChat        *wechat.Adapter // nil unless wechat.enabled
	WeCom         *wecom.Adapter  // nil unless wecom.enabled
	// Alerts tells staff (and groups that missed messages) about the channels' trouble.
	Alerts *alerts.Alerts
	// Web is the staff web page (nil unless web.enabled); it acts through Engine.
	Web      *web.Server
	adapters []bot.Adapter
	lock     *storage.Lock // one process per database: held until Close
}

// IO is where the console reads and writes.
type IO struct {
	In          io.Reader
	Out         io.Writer
	Interactive bool
}

// NewApp opens the database, syncs the configured communities and wires
// everything. clock may be nil: the console-only demo gets a virtual clock
// starting now, anything connected to a real platform the system clock.
func NewApp(ctx context.Context, cfg *Config, log *slog.Logger, stdio IO, clock bot.Clock) (*App, error) {
	a := &App{Config: cfg, Log: log}
	var err error
	if a.Location, err = time.LoadLocation(cfg.Timezone); err != nil {
		return nil, err
	}
	if a.Prompts, err = prompts.Load(cfg.PromptsDir); err != nil {
		return nil, err
	}
	if err := chart.UseFont(cfg.Charts.Font); err != nil {
		return nil, fmt.Errorf("charts.font: %w", err)
	}
	a.Clock = clock
	if a.Clock == nil {
		if a.onlyConsole() {
			a.Clock = bot.NewVirtualClock(time.Now())
		} else {
			a.Clock = bot.SystemClock{}
		}
	}
	a.Virtual, _ = a.Clock.(*bot.VirtualClock)
	if a.lock, err = storage.LockDatabase(cfg.Database); err != nil {
		return nil, err
	}
	if a.DB, err = storage.OpenWithOptions(ctx, cfg.Database, storage.Options{Memory: cfg.Memory.Storage()}); err != nil {
		a.lock.Unlock()
		return nil, err
	}
	a.DB.Now = a.Clock.Now
	if st := a.DB.TrigramStatus(); st.Background {
		log.Info("trigram index: requests left unindexed are indexed in the background; meanwhile the search reads the newest of them directly",
			"unindexed", st.TailAtOpen, "indexed_at_open", st.IndexedAtOpen, "read_directly", storage.TrigramTailSearched)
		go func() { // ends when the pass does, at Close at the latest
			<-a.DB.TrigramsCaughtUp()
			if err := a.DB.TrigramPassErr(); err != nil {
				log.Warn("trigram index: the background pass stopped; the messages' transactions index the rest, a batch each", "err", err)
			}
		}()
	}
	if err := a.sync(ctx); err != nil {
		a.Close()
		return nil, err
	}
	a.Classifier = requests.NewClassifier(cfg.Categories)
	// Decoded now (~70 ms), before any message is taken: after a restart a
	// platform hands over its backlog at once, and decoded at the first
	// message the model held every message queued behind it.
	requests.LoadModel()
	a.Outbox = &bot.Outbox{Prompts: a.Prompts, DefaultLang: cfg.Language}
	a.Digests = &digest.Digests{DB: a.DB, Outbox: a.Outbox, Log: log, Config: cfg.Digest,
		Categories: categoryNames(cfg.Categories), Estimate: a.estimateFanOut}
	a.RequestJobs = &requests.Jobs{DB: a.DB, Outbox: a.Outbox, Config: cfg.Requests, Classifier: a.Classifier}
	a.Digests.Rates = a.RequestJobs.Rates
	a.PollJobs = &polls.Jobs{DB: a.DB, Outbox: a.Outbox, Config: cfg.Polls}
	a.ProjectJobs = &projects.Jobs{DB: a.DB, Outbox: a.Outbox}
	a.ActivityJobs = &activities.Jobs{DB: a.DB, Outbox: a.Outbox, Config: a.ActivityConfig()}
	a.NoticeJobs = &notices.Jobs{DB: a.DB, Outbox: a.Outbox, Config: a.NoticeConfig()}
	a.JielongJobs = &jielong.Jobs{DB: a.DB, Outbox: a.Outbox}
	a.VolunteerJobs = &volunteers.Jobs{DB: a.DB, Outbox: a.Outbox, Config: cfg.Volunteers}
	a.Scheduler = &schedule.Scheduler{DB: a.DB, Clock: a.Clock, Location: a.Location, Log: log, CatchUp: cfg.Jobs.CatchUp}
	if err := a.addJobs(); err != nil {
		a.Close()
		return nil, err
	}
	if cfg.Web.Enabled {
		if err := a.newWeb(); err != nil {
			a.Close()
			return nil, err
		}
	}
	a.Mux = bot.NewMux()
	routes(a.Mux, a)
	a.Dispatcher = &bot.Dispatcher{DB: a.DB, Clock: a.Clock, Log: log}
	botNames := slices.Clone(cfg.BotNames)
	if cfg.Telegram.Enabled {
		if a.Telegram, err = a.newTelegram(ctx); err != nil {
			a.Close()
			return nil, err
		}
		botNames = append(botNames, a.Telegram.Username())
	}
	a.Engine = &bot.Engine{DB: a.DB, Mux: a.Mux, Outbox: a.Outbox, Log: log, BotNames: botNames,
		MaxRunes: cfg.MaxMessageRunes, Wake: a.Dispatcher.Wake, Flood: bot.NewFloodGuard(cfg.Flood)}
	if a.Web != nil {
		a.Web.Engine = a.Engine
	}
	a.Engine.Foresee = requests.Foresee // the intake model's prediction, before the writer's transaction
	if adviser := requests.NewAdvisor(&cfg.Requests.Intake, os.Getenv, a.Clock.Now); adviser != nil {
		a.Engine.Advise = adviser.Advise // off unless requests.intake.llm.base_url is set
	}
	a.Alerts = &alerts.Alerts{DB: a.DB, Outbox: a.Outbox, Prompts: a.Prompts, Lang: cfg.Language, Log: log,
		Location: a.Location, BotName: botNames[0], Wake: a.Dispatcher.Wake,
		AlertGroups: map[string]string{bot.WeChat: cfg.WeChat.AlertGroup, bot.WeCom: cfg.weComAlertGroup()}}

	if cfg.Console.On() {
		a.Console = &console.Adapter{
			In: stdio.In, Out: stdio.Out, Interactive: stdio.Interactive, Prompts: a.Prompts, Lang: cfg.Language,
			Group: cfg.Console.Group, User: cfg.Console.User, Groups: a.consoleGroups,
			Clock: a.Virtual, Location: a.Location, OnTime: a.runDue, ShowIDs: cfg.Console.ShowIDs,
			FilesDir: filesDir(cfg.Database),
			Drain:    func(ctx context.Context) error { return a.Dispatcher.Drain(ctx, bot.Console) },
		}
		a.adapters = append(a.adapters, a.Console)
	}
	if a.Telegram != nil {
		a.adapters = append(a.adapters, a.Telegram)
	}
	if cfg.WeChat.Enabled {
		a.WeChat = a.newWeChat(stdio.Out)
		a.adapters = append(a.adapters, a.WeChat)
	}
	a.adapters = append(a.adapters, a.newWeCom()...)
	for _, ad := range a.adapters {
		a.Dispatcher.Register(ad)
	}
	return a, nil
}

func categoryNames(cats []requests.Category) map[string]string {
	out := map[string]string{}
	for _, c := range cats {
		out[c.Key] = c.Name
	}
	return out
}

// onlyConsole reports whether no real platform is configured.
func (a *App) onlyConsole() bool {
	if a.Config.Telegram.Enabled || a.Config.WeChat.Enabled || a.Config.WeCom.Enabled {
		return false
	}
	for _, cm := range a.Config.Communities {
		for _, g := range cm.Groups {
			if g.Platform != bot.Console {
				return false
			}
		}
	}
	return true
}

// sync writes the configured communities into the database, idempotently.
func (a *App) sync(ctx context.Context) error {
	return a.DB.Update(ctx, func(tx *storage.Tx) error {
		for _, cm := range a.Config.Communities {
			if _, err := tx.SyncCommunity(cm.Spec()); err != nil {
				return fmt.Errorf("sync config: %w", err)
			}
		}
		return volunteers.Sync(tx, a.Config.Volunteers)
	})
}

func (a *App) consoleGroups(ctx context.Context) ([]string, error) {
	return a.chatsOn(ctx, bot.Console)
}

// chatsOn lists the chat keys of the active groups on a platform.
func (a *App) chatsOn(ctx context.Context, platform string) ([]string, error) {
	var out []string
	err := a.DB.View(ctx, func(tx *storage.Tx) error {
		groups, err := tx.AllGroups()
		for _, g := range groups {
			if g.Platform == platform {
				out = append(out, g.ChatKey)
			}
		}
		return err
	})
	return out, err
}

// Run runs the adapters and the dispatcher until ctx is done, or, when the
// console is the only adapter, until its input ends.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.Dispatcher.Run(ctx)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.Alerts.Run(ctx)
	}()
	if a.Web != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.Web.Run(ctx); err != nil {
				a.Log.Error("web", "err", err)
			}
		}()
	}
	// The scheduler stops with ctx, after its running job; Run returns only after
	// that, so the database is still open for it. Virtual time (the console demo
	// and stories) moves only on :time, which runs what is due itself: there only
	// the start-up catch-up runs here.
	if a.Virtual == nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.Scheduler.Run(ctx)
		}()
	} else if err := a.Scheduler.CatchUpTo(ctx, a.Clock.Now()); err != nil {
		a.Log.Error("schedule", "err", err)
	}
	a.Dispatcher.Wake()
	errs := make(chan error, len(a.adapters))
	for _, ad := range a.adapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := ad.Run(ctx, a.Engine)
			if err != nil && ctx.Err() == nil {
				err = fmt.Errorf("%s: %w", ad.Platform(), err)
			}
			errs <- err
		}()
	}
	var err error
	for range a.adapters {
		e := <-errs
		if e != nil {
			err = e
			break
		}
		if len(a.adapters) == 1 || ctx.Err() != nil {
			break // the console-only demo ends with its input
		}
	}
	cancel()
	wg.Wait()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// Close closes the database, then lets another process have it.
func (a *App) Close() error {
	if a.Web != nil {
		_ = a.Web.Close() // a listener that never served; after Run it is closed already
	}
	return errors.Join(a.DB.Close(), a.lock.Unlock())
}

func newLogger(cfg LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(strings.ToUpper(cfg.Level)))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// filesDir is where the console writes the pictures and files it sends and
// receives: a folder next to the database ("qiao.db" -> "qiao.files").
func filesDir(database string) string {
	if database == "" || strings.HasPrefix(database, ":memory:") || strings.HasPrefix(database, "file:") {
		return ""
	}
	return strings.TrimSuffix(database, filepath.Ext(database)) + ".files"
}

// ActivityConfig is the activities' configuration (the defaults: no config
// keys yet).
func (a *App) ActivityConfig() activities.Config { return activities.DefaultConfig() }

// NoticeConfig is the notices' configuration (the defaults: no config keys yet).
func (a *App) NoticeConfig() notices.Config { return notices.DefaultConfig() }
