package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Engine turns inbound messages into handled commands. It is safe for concurrent use.
type Engine struct {
	DB       *storage.DB
	Mux      *Mux
	Outbox   *Outbox
	Log      *slog.Logger
	BotNames []string // names the bot answers to in @mentions; the first is its display name
	// MaxRunes is the longest command accepted; longer ones are refused politely.
	MaxRunes int
	// Wake is called after a commit that enqueued messages (the dispatcher's Wake).
	Wake func()
	// Flood limits how fast one person is served (nil: no limit). The console,
	// a local operator's terminal, is not limited.
	Flood *FloodGuard

	committer committer
}

// DefaultMaxRunes is the default limit of a command's length.
const DefaultMaxRunes = 2000

// Handle processes one message exactly once. It returns an error only when the
// message could not be recorded (the database failed): the adapter must then
// not confirm it, so the platform delivers it again.
func (e *Engine) Handle(ctx context.Context, m Message) error {
	start := time.Now()
	if m.ID == "" {
		return errors.New("engine: message without an id")
	}
	m = stripMessage(m) // nothing a person sends may drive a terminal or reorder text
	route := e.route(m)
	kind := route.kind()
	// The message runs in its own savepoint of a group commit (see commit).
	err := e.commit(ctx, func(tx *storage.Tx) error {
		// Flood control comes first, so a flooder costs one insert and gets no
		// answer of any kind (not even a stranger's greeting).
		verdict := floodOK
		if e.Flood != nil && m.Platform != Console {
			verdict = e.Flood.check(m.Platform+"\x00"+m.User, tx.Now)
		}
		if verdict == floodDrop {
			kind = "flood"
			_, err := tx.MarkInbound(m.Platform, m.Chat, dedupeID(m)) // handled, not processed
			return err
		}
		c, skip, err := e.prepare(ctx, tx, m, route)
		if err != nil || skip {
			return err
		}
		if verdict == floodWarn {
			kind = "flood"
			return c.Reply(prompts.FloodWarning, map[string]int{"PerMinute": e.Flood.perMinute})
		}
		herr := e.serve(c, route)
		if herr == nil || errors.Is(herr, ErrPass) {
			return nil
		}
		// Roll back everything the message did, then record it as handled
		// and answer the refusal or failure in its place.
		return &storage.RollbackThen{Err: herr, Then: func(tx *storage.Tx) error {
			return e.answerFailure(ctx, tx, m, route, herr)
		}}
	})
	if err != nil {
		e.Log.Error("message not handled", "platform", m.Platform, "chat", m.Chat, "err", err)
		return err
	}
	if e.Wake != nil {
		e.Wake()
	}
	e.Log.Info("handled", "platform", m.Platform, "chat", m.Chat, "command", route.name(), "kind", kind,
		"latency_ms", float64(time.Since(start).Microseconds())/1000)
	return nil
}

// routing is what parsing decided before the transaction.
type routing struct {
	parsed  Parsed
	command *Command
	args    string
	unknown string // a #word that is no command
	tooLong int    // rune count of an over-long command
	foreign bool   // /cmd@OtherBot
}

func (r routing) name() string {
	if r.command != nil {
		return r.command.ASCII()
	}
	return ""
}

func (r routing) kind() string {
	switch {
	case r.command != nil:
		return r.command.Kind
	case r.unknown != "":
		return "unknown"
	}
	return "text"
}

func (e *Engine) route(m Message) routing {
	text := m.Text
	if m.Callback != "" {
		text = "/" + strings.TrimPrefix(m.Callback, "/")
	}
	r := routing{parsed: Parse(text, e.BotNames)}
	p := r.parsed
	if !p.Prefixed && !p.Mentioned {
		// A reply to the bot or a private chat may name a command without a prefix.
		if m.Addressed {
			if cmd, rest := e.Mux.Lookup(p.Text); cmd != nil {
				r.command, r.args = cmd, strings.TrimSpace(rest)
			}
		}
		return r
	}
	if p.Target != "" && !e.isBotName(p.Target) {
		r.foreign = true
		return r
	}
	cmd, rest := e.Mux.Lookup(p.Text)
	if cmd == nil {
		if p.Prefixed && p.Word != "" && utf8.RuneCountInString(p.Word) <= 12 {
			r.unknown = p.Word
		}
		return r
	}
	if p.Target != "" {
		rest = strings.TrimPrefix(rest, "@"+p.Target)
	}
	r.command, r.args = cmd, strings.TrimSpace(rest)
	if n := utf8.RuneCountInString(p.Text); n > e.maxRunes() {
		r.tooLong = n
	}
	return r
}

func (e *Engine) maxRunes() int {
	if e.MaxRunes > 0 {
		return e.MaxRunes
	}
	return DefaultMaxRunes
}

func (e *Engine) isBotName(name string) bool {
	for _, n := range e.BotNames {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// dedupeID is the key a message is recorded under: a button press has its own id.
func dedupeID(m Message) string {
	if m.CallbackID != "" {
		return "cb:" + m.CallbackID
	}
	return m.ID
}

// prepare dedupes the message and resolves where it came from and who sent it.
// skip is true when there is nothing more to do.
func (e *Engine) prepare(ctx context.Context, tx *storage.Tx, m Message, r routing) (*Context, bool, error) {
	fresh, err := tx.MarkInbound(m.Platform, m.Chat, dedupeID(m))
	if err != nil || !fresh || r.foreign {
		return nil, true, err
	}
	c := &Context{Context: ctx, Tx: tx, Msg: m, Parsed: r.parsed, Command: r.command, Args: r.args,
		Outbox: e.Outbox, Log: e.Log, BotName: e.botName()}
	if m.Private {
		people, err := tx.FindPeopleByUser(m.Platform, m.User)
		if err != nil {
			return nil, true, err
		}
		if len(people) == 0 {
			if !r.parsed.Prefixed && !r.parsed.Mentioned && m.Callback == "" && r.parsed.Text == "" {
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
		c.Group = &g
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

// serve calls the handler the routing chose, with panic recovery.
func (e *Engine) serve(c *Context, r routing) (err error) {
	defer func() {
		if p := recover(); p != nil {
			e.Log.Error("handler panic", "command", r.name(), "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	switch {
	case r.unknown != "":
		return Refuse(prompts.UnknownCommand, map[string]string{"Word": r.unknown, "Closest": e.Mux.Closest(r.unknown)})
	case r.command != nil && r.tooLong > 0:
		return Refuse(prompts.TooLong, map[string]int{"Length": r.tooLong, "Max": e.maxRunes()})
	case r.command != nil:
		if a := r.command.Allow; a != nil && !a.Allow(c) {
			who, rerr := e.Outbox.Render(c.Lang, a.Who, nil)
			if rerr != nil {
				return rerr
			}
			return Refuse(prompts.Forbidden, map[string]string{"Command": commandName(c.Lang, r.command), "Who": who})
		}
		return e.Mux.wrap(r.command.Handler)(c)
	}
	// Free text: a pending conversation first, then the text handlers.
	conv, err := c.Tx.FindConversation(c.groupID(), c.Person.ID)
	if err == nil {
		if h, ok := e.Mux.conversations[conv.Kind]; ok {
			if c.Msg.NonText != "" {
				// A picture where a typed answer is expected: say so, keep waiting.
				return Refuse(prompts.NotText, nil)
			}
			c.Conversation = &conv
			if err := e.Mux.wrap(h)(c); !errors.Is(err, ErrPass) {
				return err
			}
			c.Conversation = nil
		}
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if r.parsed.Text == "" {
		return nil
	}
	for _, h := range e.Mux.text {
		if err := e.Mux.wrap(h)(c); !errors.Is(err, ErrPass) {
			return err
		}
	}
	return nil
}

// commandName is how a command is shown to a person: the Chinese name, or the
// ASCII name in English.
func commandName(lang string, c *Command) string {
	if lang == "en" && c.ASCII() != "" {
		return c.ASCII()
	}
	return c.Name
}

// answerFailure records the message as handled and answers a refusal or an
// internal error; the handler's changes were rolled back to its savepoint.
func (e *Engine) answerFailure(ctx context.Context, tx *storage.Tx, m Message, r routing, herr error) error {
	var uerr *UserError
	template, data := prompts.InternalError, any(nil)
	if errors.As(herr, &uerr) {
		template, data = uerr.Template, uerr.Data
	} else {
		e.Log.Error("handler failed", "platform", m.Platform, "chat", m.Chat, "command", r.name(), "err", herr)
	}
	c, skip, err := e.prepare(ctx, tx, m, r)
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
