// Package alerts decides who hears about a channel's trouble: it turns the
// adapters' bot.ChannelEvent into a log line, a post to the platform's alert
// group, and, after an outage, one notice to each group that missed messages.
//
// Adapters publish from places that must not wait on the database (the
// dispatcher's send call among them), so Publish only queues; Run records each
// event in its own transaction.
package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Alerts handles channel events. Set the fields, then Run; Publish may be
// called before Run starts.
type Alerts struct {
	DB       *storage.DB
	Outbox   *bot.Outbox
	Prompts  *prompts.Set
	Lang     string // language of the log line (posts use the group's)
	Log      *slog.Logger
	Location *time.Location
	BotName  string // how the outage notice names the bot
	// AlertGroups maps a platform to the key of the group told about its
	// trouble. A platform without one is alerted in the log only.
	AlertGroups map[string]string
	// Wake tells the dispatcher that posts are waiting.
	Wake func()

	mu     sync.Mutex
	queue  []bot.ChannelEvent
	signal chan struct{}
}

// Publish queues an event. It never blocks and never touches storage.
func (a *Alerts) Publish(e bot.ChannelEvent) {
	a.mu.Lock()
	a.queue = append(a.queue, e)
	sig := a.signalLocked()
	a.mu.Unlock()
	select {
	case sig <- struct{}{}:
	default:
	}
}

func (a *Alerts) signalLocked() chan struct{} {
	if a.signal == nil {
		a.signal = make(chan struct{}, 1)
	}
	return a.signal
}

// Run handles queued events until ctx is done, then those still queued.
func (a *Alerts) Run(ctx context.Context) {
	a.mu.Lock()
	sig := a.signalLocked()
	a.mu.Unlock()
	for {
		a.drain(context.WithoutCancel(ctx))
		select {
		case <-sig:
		case <-ctx.Done():
			a.drain(context.WithoutCancel(ctx))
			return
		}
	}
}

// Flush handles every event queued now, in the caller's goroutine: for a
// console script's end and for tests, which run no Run loop.
func (a *Alerts) Flush(ctx context.Context) { a.drain(ctx) }

func (a *Alerts) drain(ctx context.Context) {
	for {
		a.mu.Lock()
		if len(a.queue) == 0 {
			a.mu.Unlock()
			return
		}
		e := a.queue[0]
		a.queue = a.queue[1:]
		a.mu.Unlock()
		if err := a.Handle(ctx, e); err != nil {
			a.Log.Error("alert not posted", "platform", e.Platform, "kind", e.Kind, "err", err)
		}
	}
}

// Template is the name of the alert template for an event:
// "<platform>.alert.<kind>" (prompts.WeChatAlert + kind on WeChat).
func Template(e bot.ChannelEvent) string { return e.Platform + ".alert." + string(e.Kind) }

// outageTemplate is the notice to a group that missed messages ("wechat.outage").
func outageTemplate(platform string) string { return platform + ".outage" }

// Handle logs one event and, in one transaction, posts it to the platform's
// alert group and (after an outage) tells each affected group once.
func (a *Alerts) Handle(ctx context.Context, e bot.ChannelEvent) error {
	data := a.data(e)
	tmpl := Template(e)
	text, err := a.Prompts.Render(a.Lang, tmpl, data)
	if err != nil {
		return fmt.Errorf("alert %s: %w", tmpl, err)
	}
	switch e.Kind {
	case bot.EventOnline, bot.EventMemberRenamed:
		a.Log.Info(text, "platform", e.Platform)
	default:
		a.Log.Warn(text, "platform", e.Platform)
	}
	if err := a.recordConnection(ctx, e); err != nil {
		return err
	}
	alertGroup := a.AlertGroups[e.Platform]
	if e.Kind != bot.EventRecovered && e.Kind != bot.EventEnrolled && alertGroup == "" {
		return nil // the log is the alert
	}
	err = a.DB.Update(ctx, func(tx *storage.Tx) error {
		if e.Kind == bot.EventEnrolled {
			if err := a.tellEnrolled(tx, e); err != nil {
				return err
			}
		}
		if e.Kind == bot.EventRecovered {
			if err := a.tellMissed(tx, e, data); err != nil {
				return err
			}
		}
		if alertGroup == "" {
			return nil
		}
		g, err := findGroup(tx, alertGroup)
		if err != nil {
			return err
		}
		return ignoreDuplicate(a.Outbox.ToGroup(tx, g, bot.Post{Template: tmpl, Data: data, DedupeKey: dedupeKey(e)}))
	})
	if err != nil {
		return err
	}
	if a.Wake != nil {
		a.Wake()
	}
	return nil
}

// tellMissed tells each group that was away during an outage, once per outage.
func (a *Alerts) tellMissed(tx *storage.Tx, e bot.ChannelEvent, data map[string]any) error {
	for _, chat := range e.Chats {
		g, err := tx.FindGroupByChat(e.Platform, chat)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		err = a.Outbox.ToGroup(tx, g, bot.Post{Template: outageTemplate(e.Platform), Data: data,
			DedupeKey: fmt.Sprintf("%s:outage:%s:%d", e.Platform, chat, e.Since.Unix())})
		if err := ignoreDuplicate(err); err != nil {
			return err
		}
	}
	return nil
}

// dedupeKey makes one alert per outage or stall, and one QR alert an hour:
// re-login attempts and QR refreshes repeat. Other events are all posted.
func dedupeKey(e bot.ChannelEvent) string {
	switch e.Kind {
	case bot.EventSessionEnded, bot.EventLoginFailed, bot.EventSendStalled, bot.EventRecovered:
		return fmt.Sprintf("%s:%s:%d", e.Platform, e.Kind, e.Since.Unix())
	case bot.EventQR:
		return e.Platform + ":qr:" + strconv.FormatInt(e.At.Truncate(time.Hour).Unix(), 10)
	}
	return ""
}

// data is what the alert templates may use.
func (a *Alerts) data(e bot.ChannelEvent) map[string]any {
	errText := ""
	if e.Err != nil {
		errText = e.Err.Error()
	}
	return map[string]any{"Chat": e.Chat, "Title": e.Title, "Name": e.Name, "Chats": e.Chats, "Account": e.Account,
		"QRFile": e.QRFile, "URL": e.URL, "Retry": e.Retry.String(), "Err": errText, "Bot": a.BotName,
		"Since": a.formatTime(e.Since), "Until": a.formatTime(e.At)}
}

func (a *Alerts) formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(a.Location).Format("01-02 15:04")
}

// findGroup is the configured group with this key, in any community.
func findGroup(tx *storage.Tx, key string) (storage.Group, error) {
	communities, err := tx.Communities()
	if err != nil {
		return storage.Group{}, err
	}
	for _, cm := range communities {
		groups, err := tx.Groups(cm.ID)
		if err != nil {
			return storage.Group{}, err
		}
		for _, g := range groups {
			if g.Key == key {
				return g, nil
			}
		}
	}
	return storage.Group{}, fmt.Errorf("alert group %q: %w", key, storage.ErrNotFound)
}

func ignoreDuplicate(err error) error {
	if errors.Is(err, storage.ErrDuplicate) {
		return nil
	}
	return err
}
