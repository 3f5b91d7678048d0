package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/qiao-community/qiao/bot"
)

// Options are the adapter's dependencies.
type Options struct {
	Log   *slog.Logger
	Clock bot.Clock    // message times; default the system clock
	HTTP  *http.Client // the WebSocket handshake's client; default http.DefaultClient
	// Displaced is called once when another connection took the bot over; the
	// adapter has stopped and will not reconnect (two processes would keep
	// displacing each other). cmd alerts staff on another channel.
	Displaced func(ctx context.Context)
	// Events, when set, hears the connection's first subscription of a run
	// (online) and Run giving up on a refused bot id or secret (refused), for
	// the alert group and `qiao status`.
	Events bot.EventSink
	// MinBackoff is the first wait before reconnecting (default 1 s); it
	// doubles up to MaxBackoff (default 1 min).
	MinBackoff, MaxBackoff time.Duration
	// CallTimeout bounds the wait for the answer to one request (default 10 s).
	CallTimeout time.Duration
	// PingInterval overrides Config.PingSeconds (tests).
	PingInterval time.Duration
}

// maxRejects is how many subscriptions in a row WeCom may refuse before Run
// gives up: a wrong bot id or secret does not fix itself.
const maxRejects = 5

// Adapter is the WeCom 智能机器人 bot.Adapter over the long connection.
type Adapter struct {
	cfg  Config
	opts Options
	log  *slog.Logger
	seq  atomic.Uint64
	// announced is set once this process's first subscription was published
	// (Run's goroutine only): reconnects are logged, not alerted.
	announced bool

	mu      sync.Mutex
	conn    *websocket.Conn       // the subscribed connection; nil while down
	pending map[string]chan Frame // req_id → its answer
	parts   map[int64]int         // outbox id → parts of a split text already sent
}

// New builds the adapter; Run connects.
func New(cfg Config, opts Options) *Adapter {
	cfg.FillDefaults()
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = bot.SystemClock{}
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = time.Second
	}
	if opts.MaxBackoff == 0 {
		opts.MaxBackoff = time.Minute
	}
	if opts.PingInterval == 0 {
		opts.PingInterval = time.Duration(cfg.PingSeconds) * time.Second
	}
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 10 * time.Second
	}
	return &Adapter{cfg: cfg, opts: opts, log: opts.Log.With("platform", bot.WeCom),
		pending: map[string]chan Frame{}, parts: map[int64]int{}}
}

// Platform is "wecom".
func (a *Adapter) Platform() string { return bot.WeCom }

// Limits paces pushes: WeCom documents no figure for aibot_send_msg, so the
// group robots' 20 a minute per chat is assumed, and 45009 answers slow it more.
func (a *Adapter) Limits() bot.Limits {
	return bot.Limits{Global: 100 * time.Millisecond, Group: 3 * time.Second, Private: time.Second}
}

// Connected reports whether the long connection is subscribed now.
func (a *Adapter) Connected() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.conn != nil
}

// errDisplaced ends a session whose bot another connection took.
var errDisplaced = errors.New("wecom: another connection took over the bot")

// rejectedError is a subscription WeCom refused.
type rejectedError struct {
	code int
	msg  string
}

func (e *rejectedError) Error() string {
	return fmt.Sprintf("wecom: subscription refused (errcode %d: %s); check wecom.bot_id and the secret", e.code, e.msg)
}

// Run keeps the long connection up and passes messages to in until ctx is
// done. It reconnects with a growing wait, stops (nil) when displaced, and
// returns an error when WeCom keeps refusing the bot id and secret.
func (a *Adapter) Run(ctx context.Context, in bot.Inbound) error {
	var backoff time.Duration
	rejects := 0
	for ctx.Err() == nil {
		if backoff > 0 && !sleep(ctx, backoff) {
			break
		}
		start := time.Now()
		subscribed, err := a.session(ctx, in)
		var rej *rejectedError
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, errDisplaced):
			a.log.Error("another process connected with this bot; this one stops (run one Qiao per bot)")
			if a.opts.Displaced != nil {
				a.opts.Displaced(ctx)
			}
			return nil
		case errors.As(err, &rej):
			if rejects++; rejects >= maxRejects {
				a.publish(bot.ChannelEvent{Kind: bot.EventRefused, Err: err})
				return err
			}
		case subscribed:
			rejects = 0
			if time.Since(start) > a.opts.MaxBackoff {
				backoff = 0 // a long healthy session: start the back-off over
			}
		}
		backoff = min(max(2*backoff, a.opts.MinBackoff), a.opts.MaxBackoff)
		a.log.Warn("long connection lost; reconnecting", "err", err, "retry_in", backoff)
	}
	return nil
}

// sleep waits d (real time: network back-off) and reports whether ctx is live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// session dials, subscribes, then reads and pings until the connection ends.
func (a *Adapter) session(ctx context.Context, in bot.Inbound) (subscribed bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dctx, dcancel := context.WithTimeout(ctx, 15*time.Second)
	conn, _, err := websocket.Dial(dctx, a.cfg.URL, &websocket.DialOptions{HTTPClient: a.opts.HTTP})
	dcancel()
	if err != nil {
		return false, fmt.Errorf("wecom: dial: %w", err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(4 << 20)
	readErr := make(chan error, 1)
	go func() { readErr <- a.read(ctx, conn, in) }()
	ans, err := a.call(ctx, conn, cmdSubscribe, SubscribeBody{BotID: a.cfg.BotID, Secret: a.cfg.Secret})
	if err == nil && ans.ErrCode != 0 {
		err = &rejectedError{code: ans.ErrCode, msg: ans.ErrMsg}
	}
	if err != nil {
		cancel()
		<-readErr
		return false, err
	}
	a.log.Info("long connection subscribed")
	if !a.announced {
		a.announced = true
		a.publish(bot.ChannelEvent{Kind: bot.EventOnline, Account: a.cfg.BotID})
	}
	a.setConn(conn)
	defer a.setConn(nil)
	go a.ping(ctx, conn)
	return true, <-readErr
}

func (a *Adapter) setConn(c *websocket.Conn) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.conn = c
}

// ping sends heartbeats; a heartbeat without an answer closes the connection
// so the session ends and reconnects.
func (a *Adapter) ping(ctx context.Context, conn *websocket.Conn) {
	t := time.NewTicker(a.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := a.call(ctx, conn, cmdPing, nil); err != nil {
			if ctx.Err() == nil {
				a.log.Warn("heartbeat unanswered; reconnecting", "err", err)
				conn.CloseNow()
			}
			return
		}
	}
}

// call sends a request and waits for its answer.
func (a *Adapter) call(ctx context.Context, conn *websocket.Conn, cmd string, body any) (Frame, error) {
	id := cmd + "_" + strconv.FormatUint(a.seq.Add(1), 10)
	f := Frame{Cmd: cmd, Headers: Headers{ReqID: id}}
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return Frame{}, err
		}
		f.Body = raw
	}
	ch := make(chan Frame, 1)
	a.mu.Lock()
	a.pending[id] = ch
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.pending, id)
		a.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(ctx, a.opts.CallTimeout)
	defer cancel()
	if err := wsjson.Write(ctx, conn, f); err != nil {
		return Frame{}, fmt.Errorf("wecom: %s: %w", cmd, err)
	}
	select {
	case ans := <-ch:
		return ans, nil
	case <-ctx.Done():
		return Frame{}, fmt.Errorf("wecom: %s: no answer: %w", cmd, ctx.Err())
	}
}

// read receives frames until the connection ends: answers go to their
// callers, callbacks to the engine.
func (a *Adapter) read(ctx context.Context, conn *websocket.Conn, in bot.Inbound) error {
	for {
		var f Frame
		if err := wsjson.Read(ctx, conn, &f); err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) {
				a.log.Warn("unreadable frame", "err", err)
				continue
			}
			return fmt.Errorf("wecom: read: %w", err)
		}
		switch f.Cmd {
		case "":
			a.mu.Lock()
			ch := a.pending[f.Headers.ReqID]
			a.mu.Unlock()
			if ch != nil {
				select {
				case ch <- f:
				default: // a second answer to one request: ignore it
				}
			}
		case cmdMsgCallback:
			a.receive(ctx, in, f)
		case cmdEventCallback:
			var cb Callback
			if json.Unmarshal(f.Body, &cb) == nil && cb.Event != nil && cb.Event.EventType == eventDisconnected {
				return errDisplaced
			}
		}
	}
}

// publish sends a connection event when someone listens.
func (a *Adapter) publish(e bot.ChannelEvent) {
	if a.opts.Events == nil {
		return
	}
	e.Platform = bot.WeCom
	e.At = a.opts.Clock.Now()
	if e.Since.IsZero() {
		e.Since = e.At
	}
	a.opts.Events.Publish(e)
}
