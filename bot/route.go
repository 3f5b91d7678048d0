package bot

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// RouteDecision is what the Mux does with a message.
type RouteDecision int

// The decisions, in the order Route tries them.
const (
	// RouteText: free text, for the sender's pending conversation and then
	// the text handlers.
	RouteText RouteDecision = iota
	// RouteCommand: a registered command, for its handler.
	RouteCommand
	// RouteUnknown: a #word that is no command, refused with the nearest name.
	RouteUnknown
	// RouteTooLong: a command over the length limit, refused.
	RouteTooLong
	// RouteForeign: a command for another bot (/cmd@OtherBot), ignored.
	RouteForeign
)

// String is the decision's name, as `qiao parse` prints it.
func (d RouteDecision) String() string {
	switch d {
	case RouteCommand:
		return "command"
	case RouteUnknown:
		return "unknown"
	case RouteTooLong:
		return "too_long"
	case RouteForeign:
		return "foreign"
	}
	return "text"
}

// maxUnknownRunes is the longest #word refused as an unknown command; a longer
// one is a hashtag-like sentence and is read as text.
const maxUnknownRunes = 12

// Route is the Mux's decision for one message: which handler it reaches.
type Route struct {
	Decision RouteDecision
	Parsed   Parsed
	Command  *Command // the command named (RouteCommand, RouteTooLong)
	Args     string   // the text after the command name, trimmed
	Word     string   // RouteUnknown: the word that is no command
	Runes    int      // RouteTooLong: the command's length
	Max      int      // RouteTooLong: the limit
	Advice   string   // RouteText: what Engine.Advise said of it ("" when not asked)
	Foreseen any      // RouteText: what Engine.Foresee made of it (nil when not asked)
	// display is Display(text, Args), worked out by the Engine before the
	// message's transaction (see Context.RawArgs), with the text and Args it
	// was made of.
	display displayed
}

// Name is the routed command's ASCII name, or "".
func (r Route) Name() string {
	if r.Command != nil {
		return r.Command.ASCII()
	}
	return ""
}

// Kind is what the message is for the log: the command's kind, "unknown" or "text".
func (r Route) Kind() string {
	switch {
	case r.Command != nil:
		return r.Command.Kind
	case r.Decision == RouteUnknown:
		return "unknown"
	}
	return "text"
}

// Route decides where msg goes. botNames are the names the bot answers to
// (@mentions and /cmd@Name); maxRunes is the longest command accepted
// (DefaultMaxRunes when 0). It reads only the message: the Engine and
// `qiao parse` both call it, so they cannot disagree.
func (m *Mux) Route(msg Message, botNames []string, maxRunes int) Route {
	text := msg.Text
	if msg.Callback != "" {
		text = "/" + strings.TrimPrefix(msg.Callback, "/")
	}
	r := Route{Parsed: Parse(text, botNames)}
	p := r.Parsed
	if !p.Prefixed && !p.Mentioned {
		// A reply to the bot or a private chat may name a command without a prefix.
		if msg.Addressed {
			if cmd, rest := m.Lookup(p.Text); cmd != nil {
				r.Decision, r.Command, r.Args = RouteCommand, cmd, strings.TrimSpace(rest)
			}
		}
		return r
	}
	if p.Target != "" && !isName(botNames, p.Target) {
		r.Decision = RouteForeign
		return r
	}
	cmd, rest := m.Lookup(p.Text)
	if cmd == nil {
		if p.Prefixed && p.Word != "" && utf8.RuneCountInString(p.Word) <= maxUnknownRunes {
			r.Decision, r.Word = RouteUnknown, p.Word
		}
		return r
	}
	if p.Target != "" {
		rest = strings.TrimPrefix(rest, "@"+p.Target)
	}
	r.Decision, r.Command, r.Args = RouteCommand, cmd, strings.TrimSpace(rest)
	if maxRunes <= 0 {
		maxRunes = DefaultMaxRunes
	}
	if n := utf8.RuneCountInString(p.Text); n > maxRunes {
		r.Decision, r.Runes, r.Max = RouteTooLong, n, maxRunes
	}
	return r
}

func isName(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// Serve runs the handler r chose, inside the middleware installed with Use.
// Refusals of unknown and over-long commands are handlers too, so the
// middleware sees them; a foreign command reaches nothing.
func (m *Mux) Serve(c *Context, r Route) error {
	switch r.Decision {
	case RouteForeign:
		return nil
	case RouteUnknown:
		word := r.Word // the closures take copies: r itself stays off the heap
		return m.wrap(func(*Context) error {
			return Refuse(prompts.UnknownCommand, map[string]string{"Word": word, "Closest": m.Closest(word)})
		})(c)
	case RouteTooLong:
		runes, most := r.Runes, r.Max
		return m.wrap(func(*Context) error {
			return Refuse(prompts.TooLong, map[string]int{"Length": runes, "Max": most})
		})(c)
	case RouteCommand:
		if h, ok := m.handlers().commands[r.Command]; ok {
			return h(c)
		}
		return m.wrap(r.Command.Handler)(c) // a command the Mux does not hold
	}
	w := m.handlers()
	// A picture or file without a command: the attachment handlers first.
	if len(c.Msg.Attachments) > 0 && r.Parsed.Text == "" {
		for _, h := range w.attachments {
			if err := h(c); !errors.Is(err, ErrPass) {
				return err
			}
		}
	}
	// Free text: a pending conversation first, then the text handlers.
	conv, err := c.Tx.FindConversation(c.groupID(), c.Person.ID)
	if err == nil {
		if h, ok := w.conversations[conv.Kind]; ok {
			if c.Msg.NonText != "" || len(c.Msg.Attachments) > 0 {
				// A picture where a typed answer is expected: say so, keep waiting.
				return Refuse(prompts.NotText, nil)
			}
			pending := conv // on the heap only when there is one (most text has none)
			c.Conversation = &pending
			if err := h(c); !errors.Is(err, ErrPass) {
				return err
			}
			c.Conversation = nil
		}
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if r.Parsed.Text == "" {
		return nil
	}
	for _, h := range w.text {
		if err := h(c); !errors.Is(err, ErrPass) {
			return err
		}
	}
	return nil
}
