package bot

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// HandlerFunc handles one message. It returns a *UserError (see Refuse) to
// answer the sender and change nothing, or another error for a failure.
type HandlerFunc func(c *Context) error

// Middleware wraps a handler.
type Middleware func(next HandlerFunc) HandlerFunc

// ErrPass is returned by a text handler that does not want a message, so the next
// one is asked.
var ErrPass = errors.New("bot: pass")

// Permission says who may use a command. Who names the prompt that describes
// them ("role.staff"); Allow decides.
type Permission struct {
	Who   string
	Allow func(c *Context) bool
}

// Command is one command with its Chinese name and aliases.
type Command struct {
	Name    string   // the Chinese name: 建议
	Aliases []string // the first is the ASCII name (suggest); others are synonyms (金点子)
	Kind    string   // what `qiao parse` calls it: suggestion, repair, poll, vote, rating, command, …
	Help    string   // prompt key suffix for help.summary.* and help.example.*; default: the ASCII name
	Allow   *Permission
	// Audience is who help shows the command to, when the handler itself
	// decides who may use it (nil: those Allow admits).
	Audience *Permission
	Handler  HandlerFunc
}

// ShownTo reports whether help should offer the command to the sender.
func (c *Command) ShownTo(ctx *Context) bool {
	for _, p := range []*Permission{c.Allow, c.Audience} {
		if p != nil && !p.Allow(ctx) {
			return false
		}
	}
	return true
}

// ASCII is the command's ASCII alias ("" if it has none).
func (c *Command) ASCII() string {
	if len(c.Aliases) > 0 {
		return c.Aliases[0]
	}
	return ""
}

// HelpKey is the key of the command's help texts.
func (c *Command) HelpKey() string {
	if c.Help != "" {
		return c.Help
	}
	return c.ASCII()
}

// Mux routes messages to commands, free text to text handlers, and a person's
// answer to the conversation the bot started with them. Route decides; Serve
// runs the chosen handler.
type Mux struct {
	commands      []*Command
	names         map[string]*Command // lower-cased names and aliases
	text          []HandlerFunc
	attachments   []HandlerFunc
	conversations map[string]HandlerFunc
	middleware    []Middleware
	meanings      map[string]string // unknown word → the command it means ("" for none)
	// wrapped are the handlers inside the middleware, built by the first
	// Serve after a registration (see handlers).
	wrapped atomic.Pointer[wrappedHandlers]
}

// NewMux returns an empty Mux.
func NewMux() *Mux {
	return &Mux{names: map[string]*Command{}, conversations: map[string]HandlerFunc{}}
}

// Handle registers a command. Like net/http, a name registered twice panics:
// that is a programming error, found at start.
func (m *Mux) Handle(cmd Command) {
	if cmd.Name == "" || cmd.Handler == nil {
		panic("bot: command without a name or handler")
	}
	c := &cmd
	for _, n := range append([]string{cmd.Name}, cmd.Aliases...) {
		key := strings.ToLower(n)
		if _, dup := m.names[key]; dup {
			panic(fmt.Sprintf("bot: multiple registrations for command %q", n))
		}
		m.names[key] = c
	}
	m.commands = append(m.commands, c)
	m.wrapped.Store(nil)
}

// HandleText adds a handler for messages that are not commands. Handlers are
// asked in order until one returns something other than ErrPass.
func (m *Mux) HandleText(h HandlerFunc) { m.text = append(m.text, h); m.wrapped.Store(nil) }

// HandleAttachment registers a handler for pictures and files sent without a
// command (a photo right after #报修); handlers are tried in order like text
// handlers, returning ErrPass to let the next one try.
func (m *Mux) HandleAttachment(h HandlerFunc) {
	m.attachments = append(m.attachments, h)
	m.wrapped.Store(nil)
}

// HandleConversation registers the handler for a person's next message in a
// conversation of the given kind (see Context.Ask).
func (m *Mux) HandleConversation(kind string, h HandlerFunc) {
	if _, dup := m.conversations[kind]; dup {
		panic(fmt.Sprintf("bot: multiple registrations for conversation %q", kind))
	}
	m.conversations[kind] = h
	m.wrapped.Store(nil)
}

// Use adds middleware around every handler the Mux runs: commands, the
// refusals of unknown and over-long commands, conversations and text handlers.
// The first added is the outermost, so install Recover first.
func (m *Mux) Use(mw ...Middleware) {
	m.middleware = append(m.middleware, mw...)
	m.wrapped.Store(nil)
}

// Commands lists the registered commands in registration order.
func (m *Mux) Commands() []*Command { return m.commands }

// Lookup finds the command a message starts with: the longest name or alias that
// is a prefix of text. Chinese names need no space after them ("#投2"); ASCII
// names must end at a space, "@", or the end. It returns the command and the rest.
func (m *Mux) Lookup(text string) (*Command, string) {
	lower := strings.ToLower(text)
	var best *Command
	bestLen := 0
	for name, c := range m.names {
		if len(name) <= bestLen || !strings.HasPrefix(lower, name) {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(name)
		next, _ := utf8.DecodeRuneInString(lower[len(name):])
		if last < utf8.RuneSelf && len(lower) > len(name) && !unicode.IsSpace(next) && next != '@' {
			continue // "repairs" is not "repair"
		}
		best, bestLen = c, len(name)
	}
	if best == nil {
		return nil, ""
	}
	return best, text[bestLen:]
}

// Suggest records what unknown words mean: each of words, typed as a command,
// suggests command (a registered name), or nothing when command is "". Spelling
// alone misleads: "#报名" is one letter from "#报修" and means something else.
func (m *Mux) Suggest(command string, words ...string) {
	if command != "" && m.names[strings.ToLower(command)] == nil {
		panic(fmt.Sprintf("bot: suggestion of an unregistered command %q", command))
	}
	if m.meanings == nil {
		m.meanings = map[string]string{}
	}
	for _, w := range words {
		m.meanings[strings.ToLower(w)] = command
	}
}

// Closest suggests the command an unknown word means (see Suggest), else the
// registered name nearest in spelling, or "" if none is near.
func (m *Mux) Closest(word string) string {
	word = strings.ToLower(word)
	if c, ok := m.meanings[word]; ok {
		if c == "" {
			return ""
		}
		return m.names[strings.ToLower(c)].Name
	}
	best, bestD := "", 1<<30
	names := make([]string, 0, len(m.names))
	for n := range m.names {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		// Scores are doubled distances; a prefix either way ("建" for "建议") scores
		// 1, ahead of any one-letter change. A name that keeps none of the word's
		// letters ("投" for "x") is not near, however short the word.
		dist := distance(word, n)
		d := 2 * dist
		if strings.HasPrefix(word, n) || strings.HasPrefix(n, word) {
			d = 1
		} else if dist >= utf8.RuneCountInString(word) {
			continue
		}
		if d < bestD {
			best, bestD = n, d
		}
	}
	limit := 2 * max(1, utf8.RuneCountInString(word)/2)
	if bestD > limit || best == "" {
		return ""
	}
	return m.names[best].Name
}

// distance is the Levenshtein distance between two strings, by rune.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// wrappedHandlers are the Mux's handlers inside its middleware. Wrapping
// allocates a closure per middleware, and chit-chat passes through every text
// handler: wrapped once, not once a message.
type wrappedHandlers struct {
	commands      map[*Command]HandlerFunc
	text          []HandlerFunc
	attachments   []HandlerFunc
	conversations map[string]HandlerFunc
}

// handlers returns the wrapped handlers, wrapping them after a registration.
func (m *Mux) handlers() *wrappedHandlers {
	if w := m.wrapped.Load(); w != nil {
		return w
	}
	w := &wrappedHandlers{commands: make(map[*Command]HandlerFunc, len(m.commands)),
		conversations: make(map[string]HandlerFunc, len(m.conversations))}
	for _, c := range m.commands {
		w.commands[c] = m.wrap(c.Handler)
	}
	for _, h := range m.text {
		w.text = append(w.text, m.wrap(h))
	}
	for _, h := range m.attachments {
		w.attachments = append(w.attachments, m.wrap(h))
	}
	for kind, h := range m.conversations {
		w.conversations[kind] = m.wrap(h)
	}
	m.wrapped.Store(w)
	return w
}

func (m *Mux) wrap(h HandlerFunc) HandlerFunc {
	for i := len(m.middleware) - 1; i >= 0; i-- {
		h = m.middleware[i](h)
	}
	return h
}
