package wechat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/eatmoreapple/openwechat"

	"github.com/qiao-community/qiao/bot"
)

// Store remembers what the adapter needs across restarts (device id, group
// aliases and members, renamed people). Load returns "" for a missing key.
type Store interface {
	Load(ctx context.Context, key string) (string, error)
	Save(ctx context.Context, key, value string) error
}

// Adapter is the WeChat adapter. Set the fields, then Run.
type Adapter struct {
	Config Config
	Log    *slog.Logger
	Clock  bot.Clock
	Store  Store
	// Chats lists the configured WeChat chat keys (group names).
	Chats func(ctx context.Context) ([]string, error)
	// Privileged lists the WeChat user keys of people with more than a
	// resident's roles: only an enrolled contact is one of them. Nil: nobody.
	Privileged func(ctx context.Context) ([]string, error)
	// Events hears of the adapter's trouble (login, outages, renamed groups
	// and people); nil: the log only. Publish must not block.
	Events bot.EventSink
	// QROut is where the QR code is printed (the terminal); nil: nowhere.
	QROut io.Writer
	// Transport replaces the HTTP transport of the library's client (tests
	// route it to a fake server). Nil: net/http's default, as the library uses.
	Transport http.RoundTripper

	// beforeOnline, when set (tests), runs after the library's login returned
	// and before online publishes the session.
	beforeOnline func()
	// onMessage, when set (tests), runs for each library message first.
	onMessage func(text string)

	mu       sync.Mutex
	sess     *session
	paused   time.Time     // no sends before this (after "too often")
	backoff  time.Duration // the current "too often" back-off
	failFrom time.Time     // first failed send since the last success
	stalled  bool          // EventSendStalled raised for this stall
	parts    map[int64]int // parts of a split message already sent, by outbox id
	sentIDs  recentIDs     // server ids of what the bot sent lately (quotes of the bot)
	state    State         // what Status reports
}

// session is one login: the library's bot and the bindings of this login's @ ids.
type session struct {
	bot        *openwechat.Bot
	self       *openwechat.Self
	ready      bool
	chatID     map[string]string // chat key → @@ id
	idChat     map[string]string // @@ id → chat key
	friends    map[string]string // person key → @ id
	people     map[string]string // member @ id → person key
	names      map[string]string // member @ id → name last seen
	bound      map[string]string // enrolled contact's @ id → person key
	tries      map[string]int    // enrolment codes tried, by @ id
	privileged map[string]bool   // user keys only an enrolled contact may have
	loginChats map[string]bool   // the configured chats when this session was bound
	warned     map[string]bool   // @@ ids of unbound groups staff were told of
	save       *loginFile        // where to save a QR-logged-in session
	savedKey   string            // the sync key last saved
	calls      gate              // the library's callbacks running now
}

const (
	keyDeviceID = "wechat:device_id"
	keyAlias    = "wechat:alias:"   // + group title → chat key
	keyMembers  = "wechat:members:" // + chat key → JSON list of person keys
	keyPerson   = "wechat:person:"  // + nickname → person key (a renamed person)
	offlineWait = 15 * time.Second
	pushWait    = 2 * time.Minute
)

// ErrOffline is the cause of a retry while WeChat is not logged in.
var ErrOffline = errors.New("wechat: not logged in")

// Platform is "wechat".
func (a *Adapter) Platform() string { return bot.WeChat }

// Limits is the configured pacing.
func (a *Adapter) Limits() bot.Limits {
	p := a.Config.Pacing
	return bot.Limits{Global: p.MinGap, Group: p.GroupGap, Private: p.GroupGap, Jitter: p.Jitter, PerMinute: p.PerMinute}
}

// Run logs in (hot login from the login file, then push login, then a QR
// code), receives messages until ctx is done, and logs in again with growing
// back-off whenever WeChat ends the session.
func (a *Adapter) Run(ctx context.Context, in bot.Inbound) error {
	// Messages are handed from the library's sync goroutine to this one, with
	// a mark at the end of each sync; the engine gets a context that outlives
	// ctx so a message being handled at shutdown is finished, and what is
	// already queued is handled too.
	msgs := make(chan inbound, 64)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.receive(ctx, context.WithoutCancel(ctx), in, msgs)
	}()
	defer wg.Wait()

	deviceID, err := a.deviceID(ctx)
	if err != nil {
		return err
	}
	var outage time.Time  // when the last session ended; zero while online or before the first login
	var failing time.Time // first failed login of the current streak
	wait, kicks := firstRelogin, 0
	for ctx.Err() == nil {
		s, err := a.login(ctx, deviceID, msgs, outage)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if refused(err) {
				a.Log.Error("wechat: WeChat refuses this account on the web (ret 1203); not trying again", "err", err)
				a.setState(ctx, StateRefused, err)
				a.report(bot.ChannelEvent{Kind: bot.EventRefused, Err: err, Since: a.Clock.Now()})
				break
			}
			a.Log.Warn("wechat: login failed", "err", err, "retry_in", wait)
			if failing.IsZero() {
				failing = a.Clock.Now()
			}
			a.report(bot.ChannelEvent{Kind: bot.EventLoginFailed, Err: err, Retry: wait, Since: failing})
			select {
			case <-ctx.Done():
			case <-a.Clock.After(wait):
			}
			wait = min(wait*2, a.Config.MaxRelogin)
			continue
		}
		failing, outage = time.Time{}, time.Time{}
		started := a.Clock.Now()
		a.setState(ctx, StateOnline, nil)
		<-s.bot.Context().Done()
		a.mu.Lock()
		a.sess = nil
		a.mu.Unlock()
		s.calls.close() // no callback of this session runs past here
		select {
		case msgs <- inbound{end: true}: // a sync cut short still reaches the engine
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		outage = a.Clock.Now()
		reason := s.bot.CrashReason()
		a.Log.Warn("wechat: session ended", "reason", reason)
		a.setState(ctx, StateOffline, reason)
		// A session that ended soon after login is a kick: the wait goes on
		// growing, and after MaxKicks in a row the adapter stops trying.
		if outage.Sub(started) >= stableSession {
			wait, kicks = firstRelogin, 0
			a.report(bot.ChannelEvent{Kind: bot.EventSessionEnded, Err: reason, Since: outage})
			continue
		}
		kicks++
		if kicks >= a.Config.MaxKicks {
			err := fmt.Errorf("wechat: kicked %d times in a row soon after login: %w", kicks, reason)
			a.Log.Error("wechat: not logging in again", "err", err)
			a.setState(ctx, StateGaveUp, err)
			a.report(bot.ChannelEvent{Kind: bot.EventGaveUp, Err: err, Since: outage})
			break
		}
		a.report(bot.ChannelEvent{Kind: bot.EventSessionEnded, Err: reason, Since: outage, Retry: wait})
		select {
		case <-ctx.Done():
		case <-a.Clock.After(wait):
		}
		wait = min(wait*2, a.Config.MaxRelogin)
	}
	<-ctx.Done() // refused or given up: the outbox keeps what waits
	return nil
}

// report publishes a channel event. It only queues: it runs on the library's
// sync goroutine and in the dispatcher's send path, where nothing may wait on
// the database.
func (a *Adapter) report(e bot.ChannelEvent) {
	if a.Events == nil {
		return
	}
	e.Platform, e.At = bot.WeChat, a.Clock.Now()
	a.Events.Publish(e)
}

// deviceID is the configured device id, or one made once and remembered.
func (a *Adapter) deviceID(ctx context.Context) (string, error) {
	if a.Config.DeviceID != "" {
		return a.Config.DeviceID, nil
	}
	id, err := a.Store.Load(ctx, keyDeviceID)
	if err != nil || id != "" {
		return id, err
	}
	id = "e"
	for range 15 {
		id += strconv.Itoa(rand.IntN(10))
	}
	return id, a.Store.Save(ctx, keyDeviceID, id)
}

// newBot prepares a library bot for one login attempt.
func (a *Adapter) newBot(ctx context.Context, deviceID string, s *session, msgs chan<- inbound, outage time.Time) *openwechat.Bot {
	b := openwechat.NewBot(ctx)
	openwechat.Desktop.Prepare(b)
	openwechat.WithDeviceID(deviceID).Prepare(b)
	b.Caller.Client.HTTPClient().Transport = syncEnds{next: newOneAttempt(a.Transport, a.Config.SendTimeout), end: func() {
		select {
		case msgs <- inbound{end: true}:
		case <-b.Context().Done():
		}
	}}
	s.bot = b
	// Everything that reads the library's contact lists runs on its sync
	// goroutine (the callbacks below), which the library does not lock.
	b.SyncCheckCallback = func(resp openwechat.SyncCheckResponse) {
		if !s.calls.enter() {
			return
		}
		defer s.calls.leave()
		defer a.recovered("sync")
		if resp.Success() && !s.ready {
			a.bind(ctx, s, outage)
		}
	}
	b.MessageHandler = func(msg *openwechat.Message) {
		if !s.calls.enter() {
			return
		}
		defer s.calls.leave()
		defer a.recovered("message")
		a.saveLogin(s)
		if a.onMessage != nil {
			a.onMessage(msg.Content)
		}
		if !s.ready {
			a.bind(ctx, s, outage)
		}
		if m, ok := a.convert(ctx, s, msg); ok {
			select {
			case msgs <- inbound{m: m}:
			case <-b.Context().Done():
			}
		}
	}
	b.MessageErrorHandler = func(err error) error {
		var ret openwechat.Ret
		if errors.As(err, &ret) && ret >= 1100 && ret <= 1102 || b.Context().Err() != nil {
			return err // the session is over
		}
		a.Log.Warn("wechat: sync failed, retrying", "err", err)
		select {
		case <-b.Context().Done():
			return err
		case <-a.Clock.After(3 * time.Second):
		}
		return nil
	}
	return b
}
