// Package console is the terminal adapter: a REPL on a tty, a script on a pipe.
// It is Qiao's embedded default, so a new user can talk to the bot in a minute,
// and end-to-end tests read like conversations.
//
// Each input line is a message from the current person in the current group; a
// line ending in \ continues on the next line. Directives: ":in GROUP",
// ":as NAME", ":dm" (a private chat with the bot), ":time 2026-12-01 20:00",
// ":help". Replies print as "[GROUP] text", direct messages as "[@NAME] text".
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
)

// Adapter reads messages from In and prints what the bot sends to Out.
type Adapter struct {
	In          io.Reader
	Out         io.Writer
	Interactive bool // print a prompt before each line
	Prompts     *prompts.Set
	Lang        string

	// Group and User are where and who the first lines come from.
	Group, User string
	// Groups lists the chat keys of the console groups, for :in.
	Groups func(ctx context.Context) ([]string, error)
	// Clock is the virtual clock :time moves; nil disables :time.
	Clock *bot.VirtualClock
	// Location is the time zone :time is read in.
	Location *time.Location
	// OnTime runs what is due up to the new time (the scheduler); may be nil.
	OnTime func(ctx context.Context, t time.Time) error
	// Drain sends what the bot has queued; called after each message.
	Drain func(ctx context.Context) error
	// ShowIDs prefixes every printed message with its outbox id ("<17> "). A
	// message is marked sent only after it was printed, so a crash in between
	// prints it again after the restart; a reader that drops ids it has seen
	// gets every message exactly once.
	ShowIDs bool
	// FilesDir is where pictures and files the bot sends are written (next to
	// the database); empty: attachments are not shown, only their text.
	FilesDir string

	mu      sync.Mutex // serialises output
	seq     atomic.Int64
	prefix  string
	dm      bool
	inbound bot.Inbound // set by Run, for directives that send
}

// Platform is "console".
func (a *Adapter) Platform() string { return bot.Console }

// Limits: a terminal needs no pacing.
func (a *Adapter) Limits() bot.Limits { return bot.Limits{} }

// Send prints a message.
func (a *Adapter) Send(_ context.Context, m bot.Outgoing) (bot.Sent, error) {
	// The operator's terminal must never receive a person's escape sequences.
	m.Chat, m.UserName, m.Text = bot.StripControls(m.Chat), bot.StripControls(m.UserName), bot.StripControls(m.Text)
	var b strings.Builder
	if a.ShowIDs {
		fmt.Fprintf(&b, "<%d> ", m.ID)
	}
	if m.Chat == "" {
		fmt.Fprintf(&b, "[@%s] ", m.UserName)
	} else {
		fmt.Fprintf(&b, "[%s] ", m.Chat)
		for _, a := range m.Addressees() {
			fmt.Fprintf(&b, "@%s ", bot.StripControls(a.Name))
		}
	}
	b.WriteString(strings.ReplaceAll(m.Text, "\n", "\n  "))
	for _, row := range m.Buttons {
		b.WriteString("\n ")
		for _, btn := range row {
			fmt.Fprintf(&b, " [%s]", btn.Text)
		}
	}
	files, err := a.sendFiles(m)
	if err != nil {
		return bot.Sent{}, err
	}
	for _, f := range files {
		b.WriteString("\n  " + f)
	}
	a.println(b.String())
	return bot.Sent{ID: "c" + strconv.FormatInt(m.ID, 10)}, nil
}

func (a *Adapter) println(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fmt.Fprintln(a.Out, s)
}

func (a *Adapter) say(name string, data any) { a.println(a.render(name, data)) }

func (a *Adapter) render(name string, data any) string {
	text, err := a.Prompts.Render(a.Lang, name, data)
	if err != nil {
		text = fmt.Sprintf("! %s: %v", name, err)
	}
	return text
}

// Run reads until EOF or ctx is done, then drains the outbox and returns nil.
func (a *Adapter) Run(ctx context.Context, in bot.Inbound) error {
	// Message ids must differ across runs on the same database, or dedupe would
	// swallow a new run's first lines.
	a.prefix = strconv.FormatInt(time.Now().UnixNano(), 36)
	a.inbound = in
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(a.In)
		sc.Buffer(make([]byte, 64*1024), 4<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	if a.Interactive {
		a.say("console.welcome", map[string]string{"Group": a.Group, "User": a.User})
	}
	var pending []string // lines of a message continued with \
	for {
		if a.Interactive && len(pending) == 0 {
			a.mu.Lock()
			fmt.Fprintf(a.Out, "%s %s> ", a.where(), a.User)
			a.mu.Unlock()
		}
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case line, ok = <-lines:
		}
		if !ok {
			if len(pending) > 0 {
				a.message(ctx, in, strings.Join(pending, "\n"))
			}
			return a.drain(ctx)
		}
		if body, cont := strings.CutSuffix(line, "\\"); cont {
			pending = append(pending, body)
			continue
		}
		if len(pending) > 0 {
			a.message(ctx, in, strings.Join(append(pending, line), "\n"))
			pending = nil
			continue
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			continue
		case strings.HasPrefix(trimmed, ":"):
			a.directive(ctx, trimmed)
		default:
			a.message(ctx, in, line)
		}
	}
}

func (a *Adapter) where() string {
	if a.dm {
		return "@" + a.User
	}
	return a.Group
}

func (a *Adapter) message(ctx context.Context, in bot.Inbound, text string) {
	a.send(ctx, in, text, nil)
}

func (a *Adapter) send(ctx context.Context, in bot.Inbound, text string, attachments []bot.Attachment) {
	m := bot.Message{
		Platform: bot.Console, Chat: a.Group, ChatTitle: a.Group, User: a.User, UserName: a.User,
		ID: a.prefix + "-" + strconv.FormatInt(a.seq.Add(1), 10), Text: text, Time: a.now(), Attachments: attachments,
	}
	if a.dm {
		m.Private, m.Addressed, m.Chat, m.ChatTitle = true, true, "@"+a.User, ""
	}
	if err := in.Handle(ctx, m); err != nil {
		a.say("console.error", map[string]string{"Err": err.Error()})
	}
	if err := a.drain(ctx); err != nil {
		a.say("console.error", map[string]string{"Err": err.Error()})
	}
}

func (a *Adapter) now() time.Time {
	if a.Clock != nil {
		return a.Clock.Now()
	}
	return time.Now()
}

func (a *Adapter) drain(ctx context.Context) error {
	if a.Drain == nil {
		return nil
	}
	return a.Drain(ctx)
}

func (a *Adapter) directive(ctx context.Context, line string) {
	name, arg, _ := strings.Cut(line[1:], " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case "in":
		groups, err := a.Groups(ctx)
		if err != nil {
			a.say("console.error", map[string]string{"Err": err.Error()})
			return
		}
		for _, g := range groups {
			if g == arg {
				a.Group, a.dm = arg, false
				return
			}
		}
		a.say("console.unknown_group", map[string]any{"Group": arg, "Groups": groups})
	case "as":
		if arg == "" {
			a.say("console.usage_as", nil)
			return
		}
		a.User = arg
	case "dm":
		a.dm = true
	case "time":
		a.setTime(ctx, arg)
	case "photo":
		a.attachment(ctx, a.inbound, bot.KindImage, arg)
	case "file":
		a.attachment(ctx, a.inbound, bot.KindFile, arg)
	case "help":
		a.say("console.help", nil)
	default:
		a.say("console.unknown_directive", map[string]string{"Directive": line})
	}
}

func (a *Adapter) setTime(ctx context.Context, arg string) {
	if a.Clock == nil {
		a.say("console.no_virtual_time", nil)
		return
	}
	loc := a.Location
	if loc == nil {
		loc = time.Local
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", arg, loc)
	if err != nil {
		a.say("console.usage_time", map[string]string{"Arg": arg})
		return
	}
	if t.Before(a.Clock.Now()) {
		a.say("console.time_backwards", map[string]string{"Now": a.Clock.Now().In(loc).Format("2006-01-02 15:04")})
		return
	}
	a.Clock.Set(t)
	if a.OnTime != nil {
		if err := a.OnTime(ctx, t); err != nil {
			a.say("console.error", map[string]string{"Err": err.Error()})
		}
	}
	if err := a.drain(ctx); err != nil {
		a.say("console.error", map[string]string{"Err": err.Error()})
	}
}
