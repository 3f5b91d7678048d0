package bot

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Engine turns inbound messages into handled commands: the Mux routes and
// serves, the Engine adds the transaction, flood control, dedupe, who and
// where, and the answer to a refusal or failure. Install bot.Recover on the
// Mux, or a handler's panic ends the process. It is safe for concurrent use.
type Engine struct {
	DB       *storage.DB
	Mux      *Mux
	Outbox   *Outbox
	Log      *slog.Logger
	BotNames []string // names the bot answers to in @mentions; the first is its display name
	// MaxRunes is the longest command accepted; longer ones are refused politely.
	MaxRunes int
	// Wake is called after a commit that enqueued messages (the dispatcher's
	// Wake); a commit that enqueued nothing (most chit-chat) does not wake it,
	// which spares the dispatcher a read of the outbox.
	Wake func()
	// Flood limits how fast one person is served (nil: no limit). The console,
	// a local operator's terminal, is not limited.
	Flood *FloodGuard
	// Advise, when set, is asked about free text before the message's
	// transaction opens, so that a slow adviser (an LLM) never holds the
	// database writer; handlers read its answer as Context.Advice.
	Advise func(ctx context.Context, m Message, p Parsed) string
	// Foresee, when set, is called with free text before the message's
	// transaction opens, on the caller's goroutine: work that needs no
	// database (the intake model's prediction) is done there, in parallel,
	// instead of inside the single writer's transaction. Handlers read its
	// result as Context.Foreseen.
	Foresee func(m Message, p Parsed) any

	committer committer
}

// DefaultMaxRunes is the default limit of a command's length.
const DefaultMaxRunes = 2000

// Handle processes one message exactly once. It returns an error only when the
// message could not be recorded (the database failed): the adapter must then
// not confirm it, so the platform delivers it again.
func (e *Engine) Handle(ctx context.Context, m Message) error {
	return e.HandleBatch(ctx, []Message{m})[0]
}

// HandleBatch processes messages that arrived together (a getUpdates page, a
// webhook burst, a WeChat sync), in their order, in one group commit (shared
// with other callers' messages): each still commits or rolls back on its own
// (see storage.UpdateBatch),
// and errs[i] is what Handle would have returned for msgs[i]. A checkpoint
// (at most one is used) is stored in the same transaction, after the batch.
func (e *Engine) HandleBatch(ctx context.Context, msgs []Message, cp ...Checkpoint) []error {
	if len(msgs) == 0 {
		return nil // nothing to commit, nor a checkpoint to place after it
	}
	jobs := make([]messageJob, len(msgs)) // the page's jobs in one allocation, not one a message
	fns := make([]func(tx *storage.Tx) error, len(msgs))
	for i, m := range msgs {
		e.initJob(ctx, &jobs[i], m)
		fns[i] = jobs[i].run
	}
	var after func(tx *storage.Tx) error
	if len(cp) > 0 && cp[0].Value != nil {
		after = func(tx *storage.Tx) error {
			handled := 0
			for i := range jobs {
				if jobs[i].outcome != nil {
					break
				}
				handled++
			}
			v, ok := cp[0].Value(handled)
			if !ok {
				return nil
			}
			return tx.SetValue(cp[0].Key, v)
		}
	}
	errs := e.commitAll(ctx, fns, after)
	woken := false
	// The arguments of a log line are boxed even when its level is off: a
	// handful of allocations a message, so the level is asked once.
	logHandled := e.Log.Enabled(ctx, slog.LevelInfo)
	for i := range jobs {
		j := &jobs[i]
		if errs[i] == nil && j.err != nil {
			errs[i] = j.err
		}
		if errs[i] != nil {
			e.Log.Error("message not handled", "platform", j.m.Platform, "chat", j.m.Chat, "err", errs[i])
			continue
		}
		if !woken && e.Wake != nil && j.enqueued {
			e.Wake()
			woken = true
		}
		if !logHandled {
			continue
		}
		e.Log.Info("handled", "platform", j.m.Platform, "chat", j.m.Chat, "command", j.route.Name(), "kind", j.kind,
			"latency_ms", float64(time.Since(j.start).Microseconds())/1000)
	}
	return errs
}

// messageJob is one message on its way through a group commit.
type messageJob struct {
	e     *Engine
	ctx   context.Context
	m     Message
	route Route
	kind  string
	start time.Time
	err   error // set before the commit: the message cannot be handled at all
	// outcome is what the message's last run in a transaction came to
	// (errNotRun before it ran), read by the batch's checkpoint in that
	// same transaction.
	outcome error
	// The flood guard's verdict, once checked.
	verdict floodVerdict
	checked bool
	// enqueued is set once a run of the message put anything in the outbox.
	enqueued bool
	// slot is where the writer builds the message's Context: allocated with
	// the job on the caller's goroutine, not in the writer's transaction.
	slot contextSlot
	// inbound is the message's dedupe key, boxed on the caller's goroutine.
	inbound storage.InboundKey
}

// contextSlot is the memory prepare builds a Context in: the Context and the
// group it points to.
type contextSlot struct {
	c     Context
	group storage.Group
}

var errNotRun = errors.New("engine: not run yet")

// initJob sets up the zero job j for m, on the caller's goroutine.
func (e *Engine) initJob(ctx context.Context, j *messageJob, m Message) {
	j.e, j.ctx, j.start, j.outcome = e, ctx, time.Now(), errNotRun
	if m.ID == "" {
		j.err = errors.New("engine: message without an id")
		return
	}
	j.m = stripMessage(m) // nothing a person sends may drive a terminal or reorder text
	j.inbound = storage.NewInboundKey(j.m.Platform, j.m.Chat, dedupeID(j.m))
	j.route = e.Mux.Route(j.m, e.BotNames, e.MaxRunes)
	j.kind = j.route.Kind()
	if j.route.Decision == RouteCommand && j.m.Callback == "" && j.route.Args != "" {
		j.route.display = displayAhead(j.m.Text, j.route.Args) // what RawArgs returns, off the writer
	}
	if j.route.Decision == RouteText && j.m.Callback == "" {
		if e.Foresee != nil {
			j.route.Foreseen = e.Foresee(j.m, j.route.Parsed)
		}
		if e.Advise != nil {
			j.route.Advice = e.Advise(ctx, j.m, j.route.Parsed)
		}
	}
}

// run is the message's part of a group commit; it records its outcome for the
// batch's checkpoint. It may run twice: first in an optimistic batch, again in
// its own savepoint if a message of the batch failed (the outcome is the last).
func (j *messageJob) run(tx *storage.Tx) error {
	before := tx.EnqueuedCount()
	err := j.handle(tx)
	j.enqueued = j.enqueued || tx.EnqueuedCount() > before
	if rt, ok := err.(*storage.RollbackThen); ok {
		then := rt.Then
		rt.Then = func(tx *storage.Tx) error {
			before := tx.EnqueuedCount()
			j.outcome = then(tx)
			j.enqueued = j.enqueued || tx.EnqueuedCount() > before
			return j.outcome
		}
		return rt
	}
	j.outcome = err
	if j.err != nil {
		j.outcome = j.err
	}
	return err
}

func (j *messageJob) handle(tx *storage.Tx) error {
	if j.err != nil {
		return nil // reported by HandleBatch; nothing to record
	}
	e, ctx, m, route := j.e, j.ctx, j.m, j.route
	// Flood control is an engine stage, not middleware: it must come before
	// dedupe and person resolution, so a flooder costs one insert and gets
	// no answer of any kind (not even a stranger's greeting).
	// Checked once: the group commit may run this function twice (see
	// storage.UpdateBatch), and the guard counts what it sees.
	if !j.checked {
		j.verdict, j.checked = floodOK, true
		if e.Flood != nil && m.Platform != Console {
			j.verdict = e.Flood.check(m.Platform+"\x00"+m.User, tx.Now)
		}
	}
	verdict := j.verdict
	if verdict == floodDrop {
		j.kind = "flood"
		_, err := tx.MarkInboundKey(&j.inbound) // handled, not processed
		return err
	}
	c, skip, err := e.prepare(ctx, tx, &j.slot, &j.inbound, m, route)
	if err != nil || skip {
		return err
	}
	if verdict == floodWarn {
		j.kind = "flood"
		return c.Reply(prompts.FloodWarning, map[string]int{"PerMinute": e.Flood.perMinute})
	}
	herr := e.Mux.Serve(c, route)
	if herr == nil || errors.Is(herr, ErrPass) {
		return nil
	}
	// Roll back everything the message did, then record it as handled
	// and answer the refusal or failure in its place.
	// The closure reads the job, not copies of its message and route, which
	// would then be moved to the heap for every message.
	return &storage.RollbackThen{Err: herr, Then: func(tx *storage.Tx) error {
		return e.answerFailure(j.ctx, tx, &j.inbound, j.m, j.route, herr)
	}}
}

// dedupeID is the key a message is recorded under: a button press has its own id.
func dedupeID(m Message) string {
	if m.CallbackID != "" {
		return "cb:" + m.CallbackID
	}
	return m.ID
}

// prepare dedupes the message (under key, its dedupeID) and resolves where it
// came from and who sent it, building its Context in slot (overwritten: a
// message run again gets a fresh one). skip is true when there is nothing more
// to do.
func (e *Engine) prepare(ctx context.Context, tx *storage.Tx, slot *contextSlot, key *storage.InboundKey, m Message, r Route) (*Context, bool, error) {
	fresh, err := tx.MarkInboundKey(key)
	if err != nil || !fresh || r.Decision == RouteForeign {
		return nil, true, err
	}
	c := &slot.c
	*c = Context{Context: ctx, Tx: tx, Msg: m, Parsed: r.Parsed, Args: r.Args, Advice: r.Advice, Foreseen: r.Foreseen,
		Outbox: e.Outbox, Log: e.Log, BotName: e.botName(), display: r.display}
	if r.Decision == RouteCommand {
		c.Command = r.Command
	}
	if m.Private {
		people, err := tx.FindPeopleByUser(m.Platform, m.User)
		if err != nil {
			return nil, true, err
		}
		if len(people) == 0 {
			if !r.Parsed.Prefixed && !r.Parsed.Mentioned && m.Callback == "" && r.Parsed.Text == "" {
				return nil, true, nil
			}
			stranger := storage.Person{Platform: m.Platform, UserKey: m.User, Name: m.UserName}
			return nil, true, e.Outbox.ToPerson(tx, stranger, Post{Template: prompts.PrivateUnknown, Data: map[string]string{"Bot": e.botName()}})
		}
		c.Person = people[0]
		if len(c.Person.Roles) == 0 {
			c.Person.Roles = []storage.Role{{Role: storage.RoleResident}}
		}
	} else {
		g, err := tx.FindGroupByChat(m.Platform, m.Chat)
		if errors.Is(err, storage.ErrNotFound) {
			return nil, true, e.noteUnknownChat(tx, m)
		}
		if err != nil || m.Joined {
			return nil, true, err // a registered group the bot (re)joined: nothing to say
		}
		slot.group = g
		c.Group = &slot.group
		if c.Person, err = tx.ResolvePerson(g.CommunityID, m.Platform, m.User, m.UserName); err != nil {
			return nil, true, err
		}
		if err := tx.TouchMember(g.ID, c.Person.ID); err != nil {
			return nil, true, err
		}
	}
	if c.Community, err = tx.FindCommunity(c.Person.CommunityID); err != nil {
		return nil, true, err
	}
	c.Lang = prompts.Normalize(firstNonEmpty(c.Person.Lang, groupLang(c.Group), c.Community.Lang, e.Outbox.DefaultLang))
	return c, false, nil
}

func groupLang(g *storage.Group) string {
	if g == nil {
		return ""
	}
	return g.Lang
}

// answerFailure records the message as handled and answers a refusal or an
// internal error; the handler's changes were rolled back to its savepoint.
func (e *Engine) answerFailure(ctx context.Context, tx *storage.Tx, key *storage.InboundKey, m Message, r Route, herr error) error {
	var uerr *UserError
	template, data := prompts.InternalError, any(nil)
	if errors.As(herr, &uerr) {
		template, data = uerr.Template, uerr.Data
	} else {
		e.Log.Error("handler failed", "platform", m.Platform, "chat", m.Chat, "command", r.Name(), "err", herr)
	}
	// A slot of its own, rare as this path is: the failed handler's Context
	// is left as it was.
	c, skip, err := e.prepare(ctx, tx, &contextSlot{}, key, m, r)
	if err != nil || skip {
		return err
	}
	return c.ReplyPost(Post{Template: template, Data: data})
}

func (e *Engine) noteUnknownChat(tx *storage.Tx, m Message) error {
	if m.Joined {
		// One polite notice per chat, ever: the group learns why the bot is silent.
		here := storage.Group{Platform: m.Platform, ChatKey: m.Chat}
		err := e.Outbox.ToGroup(tx, here, Post{Template: prompts.UnregisteredChat, Data: map[string]string{"Bot": e.botName()},
			DedupeKey: "unregistered:" + m.Platform + ":" + m.Chat})
		if err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	first, err := tx.NoteUnknownChat(m.Platform, m.Chat, m.ChatTitle)
	if err != nil || !first {
		return err
	}
	communities, err := tx.Communities()
	if err != nil {
		return err
	}
	title := m.ChatTitle
	if title == "" {
		title = m.Chat
	}
	for _, cm := range communities {
		staff, err := tx.Groups(cm.ID, storage.GroupStaff)
		if err != nil {
			return err
		}
		for _, g := range staff {
			data := map[string]string{"Title": title, "Platform": m.Platform, "Chat": m.Chat, "Bot": e.botName()}
			if err := e.Outbox.ToGroup(tx, g, Post{Template: prompts.UnknownChatStaff, Data: data}); err != nil {
				return err
			}
		}
	}
	e.Log.Warn("message from an unregistered chat", "platform", m.Platform, "chat", m.Chat, "title", m.ChatTitle)
	return nil
}

func (e *Engine) botName() string {
	if len(e.BotNames) > 0 {
		return e.BotNames[0]
	}
	return "Qiao"
}
