package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/qiao-community/qiao/bot"
)

// OffsetStore keeps the id of the last update the engine committed, across
// restarts. cmd implements it over the database.
type OffsetStore interface {
	// Offset returns the last committed update id, 0 when none.
	Offset(ctx context.Context) (int64, error)
	// SetOffset records the last committed update id (after an update that
	// went to the engine on its own, or to none).
	SetOffset(ctx context.Context, id int64) error
	// Key is the kv entry the offset is kept in: an engine that takes batches
	// stores it in the transaction that commits a page (a bot.Checkpoint).
	Key() string
}

// Command is one entry of the command menu set with setMyCommands.
type Command struct {
	Name        string // ASCII, 1-32 of a-z 0-9 _
	Description string
}

// Options are the adapter's dependencies.
type Options struct {
	Offsets  OffsetStore
	Commands []Command // the menu; empty leaves Telegram's as it is
	// MoveChat is called when a group became a supergroup (its chat id changed).
	MoveChat func(ctx context.Context, from, to string) error
	Log      *slog.Logger
	Clock    bot.Clock    // default the system clock
	HTTP     *http.Client // default a client without a global timeout (each call has its own)
	// CallbackGrace is how long a button press may wait for its answer before
	// the adapter answers it with an empty toast. Default 5 s.
	CallbackGrace time.Duration
}

// allowedUpdates are the update types Qiao asks for. Edited messages are not
// among them: an edit never makes a second request.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// Adapter is the Telegram bot.Adapter.
type Adapter struct {
	cfg  Config
	opts Options
	api  *tg.Bot
	me   *models.User
	log  *slog.Logger
	// minBackoff is the first wait after a failed getUpdates or update.
	minBackoff time.Duration

	mu sync.Mutex
	// life is Run's context: work that outlives one update (the fallback
	// answer to a button press) ends with it, not with a webhook request.
	life      context.Context
	parts     map[int64]int        // outbox id → parts of a split text already sent
	lastEdit  map[string]time.Time // chat:message → last edit
	callbacks map[string]bool      // button presses not yet answered
	bursts    *burst               // the last webhook handler's (tests watch it)
}

// New connects to the Bot API and checks the token with getMe. A refused token
// is an error naming the problem, so start-up stops with a clear message.
func New(ctx context.Context, cfg Config, opts Options) (*Adapter, error) {
	cfg.FillDefaults()
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = bot.SystemClock{}
	}
	if opts.HTTP == nil {
		opts.HTTP = &http.Client{}
	}
	if opts.CallbackGrace == 0 {
		opts.CallbackGrace = 5 * time.Second
	}
	if opts.Offsets == nil {
		return nil, errors.New("telegram: no offset store")
	}
	a := &Adapter{cfg: cfg, opts: opts, log: opts.Log.With("platform", bot.Telegram), minBackoff: time.Second,
		parts: map[int64]int{}, lastEdit: map[string]time.Time{}, callbacks: map[string]bool{}}
	var err error
	a.api, err = tg.New(cfg.Token, tg.WithServerURL(cfg.APIURL), tg.WithHTTPClient(cfg.pollTimeout(), opts.HTTP),
		tg.WithSkipGetMe(), tg.WithErrorsHandler(func(err error) { a.log.Error("telegram library", "err", err) }))
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	a.me, err = a.api.GetMe(cctx)
	switch {
	case errors.Is(err, tg.ErrorUnauthorized), errors.Is(err, tg.ErrorNotFound):
		return nil, fmt.Errorf("telegram: the Bot API at %s refused the bot token (%w); check telegram.token (ask @BotFather for /token)", cfg.APIURL, err)
	case err != nil:
		return nil, fmt.Errorf("telegram: cannot reach the Bot API at %s: %w", cfg.APIURL, err)
	case a.me.Username == "":
		return nil, errors.New("telegram: getMe returned a bot without a username")
	}
	return a, nil
}

// Platform is "telegram".
func (a *Adapter) Platform() string { return bot.Telegram }

// Username is the bot's @username without the @ (from getMe).
func (a *Adapter) Username() string { return a.me.Username }

// CanEdit reports that Telegram edits messages in place (poll tallies); see bot.Editor.
func (a *Adapter) CanEdit() bool { return true }

// Limits is Telegram's pacing: about 20 messages a minute into a group, one a
// second into a private chat, 30 a second overall.
func (a *Adapter) Limits() bot.Limits {
	return bot.Limits{Global: time.Second / 30, Group: 3 * time.Second, Private: time.Second}
}

// Run sets the command menu and receives updates until ctx is done.
func (a *Adapter) Run(ctx context.Context, in bot.Inbound) error {
	a.mu.Lock()
	a.life = ctx
	a.mu.Unlock()
	if len(a.opts.Commands) > 0 {
		if err := a.setCommands(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("setMyCommands failed; the command menu is unchanged", "err", err)
		}
	}
	if a.cfg.Mode == ModeWebhook {
		return a.serveWebhook(ctx, in)
	}
	return a.poll(ctx, in)
}

func (a *Adapter) setCommands(ctx context.Context) error {
	cmds := make([]models.BotCommand, 0, len(a.opts.Commands))
	for _, c := range a.opts.Commands {
		cmds = append(cmds, models.BotCommand{Command: c.Name, Description: c.Description})
	}
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	_, err := a.api.SetMyCommands(cctx, &tg.SetMyCommandsParams{Commands: cmds})
	return err
}

// callTimeout bounds one Bot API call other than getUpdates.
const callTimeout = 30 * time.Second

// migrates reports an update saying a group became a supergroup (a new chat id).
func migrates(u *models.Update) bool {
	m := u.Message
	return m != nil && (m.MigrateToChatID != 0 || m.MigrateFromChatID != 0)
}

// incoming is the message an update carries, with its photo or document
// downloaded; ok is false for an update Qiao ignores.
func (a *Adapter) incoming(ctx context.Context, u *models.Update) (bot.Message, bool, error) {
	msg, ok := a.message(u)
	if !ok {
		return msg, false, nil
	}
	err := a.fetchAttachments(ctx, u.Message, &msg)
	return msg, err == nil, err
}

// handle passes one update to the engine. It returns nil once the update is
// committed (or needs nothing): only then may it be confirmed.
func (a *Adapter) handle(ctx context.Context, in bot.Inbound, u *models.Update) error {
	if migrates(u) {
		m := u.Message
		from, to := m.Chat.ID, m.MigrateToChatID
		if m.MigrateFromChatID != 0 {
			from, to = m.MigrateFromChatID, m.Chat.ID
		}
		a.log.Warn("group became a supergroup", "from", from, "to", to)
		if a.opts.MoveChat == nil {
			return nil
		}
		return a.opts.MoveChat(ctx, chatKey(from), chatKey(to))
	}
	msg, ok, err := a.incoming(ctx, u)
	if err != nil || !ok {
		return err // an error: not confirmed, Telegram delivers the update again
	}
	if msg.CallbackID == "" {
		return in.Handle(ctx, msg)
	}
	// Registered before Handle: the answer may be sent before Handle returns.
	a.mu.Lock()
	a.callbacks[msg.CallbackID] = true
	a.mu.Unlock()
	if err := in.Handle(ctx, msg); err != nil {
		a.takeCallback(msg.CallbackID)
		return err
	}
	a.awaitAnswer(a.lifetime(ctx), msg.CallbackID)
	return nil
}

// lifetime is the context of work that outlives the update being handled:
// Run's, or, for a webhook handler served without Run, one that the request's
// end does not cancel (the fallback answer then ends after its grace).
func (a *Adapter) lifetime(ctx context.Context) context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.life != nil {
		return a.life
	}
	return context.WithoutCancel(ctx)
}

// awaitAnswer answers a button press with an empty toast unless the reply that
// carries its id was sent within CallbackGrace.
func (a *Adapter) awaitAnswer(ctx context.Context, id string) {
	go func() {
		select {
		case <-ctx.Done():
			return
		case <-a.opts.Clock.After(a.opts.CallbackGrace):
		}
		if !a.takeCallback(id) {
			return
		}
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		defer cancel()
		if _, err := a.api.AnswerCallbackQuery(cctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: id}); err != nil {
			a.log.Info("answering a button press", "err", err)
		}
	}()
}

// takeCallback reports whether a press was still unanswered, and forgets it.
func (a *Adapter) takeCallback(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	pending := a.callbacks[id]
	delete(a.callbacks, id)
	return pending
}
