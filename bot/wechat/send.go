package wechat

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/eatmoreapple/openwechat"

	"github.com/qiao-community/qiao/bot"
)

// Back-off after WeChat answers "operating too often" (Ret 1205): it doubles
// with each refusal in a row, up to maxTooOften.
const (
	firstTooOften = time.Minute
	maxTooOften   = 30 * time.Minute
	retTooOften   = openwechat.Ret(1205)
	missingWait   = 10 * time.Minute
	bindingWait   = 3 * time.Second
)

// Send delivers one message. While WeChat is not logged in, after "too
// often", or when the group is not found in this login, it returns a
// *bot.RetryAfterError: the message stays in the outbox.
func (a *Adapter) Send(ctx context.Context, m bot.Outgoing) (bot.Sent, error) {
	now := a.Clock.Now()
	a.mu.Lock()
	s, paused := a.sess, a.paused
	ready := s != nil && s.ready
	binding := s != nil && !s.ready
	var to string
	if ready {
		if m.Chat != "" {
			to = s.chatID[m.Chat]
		} else {
			to = s.friends[m.User]
		}
	}
	if a.parts == nil {
		a.parts = map[int64]int{}
	}
	done := a.parts[m.ID]
	a.mu.Unlock()

	switch {
	case paused.After(now):
		return bot.Sent{}, &bot.RetryAfterError{After: paused.Sub(now), Err: retTooOften}
	case binding: // logged in a moment ago; groups are being bound
		return bot.Sent{}, a.failed(ctx, now, &bot.RetryAfterError{After: bindingWait, Err: ErrOffline})
	case !ready:
		return bot.Sent{}, a.failed(ctx, now, &bot.RetryAfterError{After: offlineWait, Err: ErrOffline})
	case to == "" && m.Chat == "":
		return bot.Sent{}, fmt.Errorf("wechat: %q is not a friend of the bot: %w", m.User, bot.ErrPermanent)
	case to == "":
		return bot.Sent{}, a.failed(ctx, now, &bot.RetryAfterError{After: missingWait,
			Err: fmt.Errorf("wechat: group %q not found in this login", m.Chat)})
	}
	parts := split(compose(m), a.Config.SplitRunes)
	var sent *openwechat.SentMessage
	for i := done; i < len(parts); i++ {
		if i > done {
			// The parts of a long text are paced like separate messages.
			gap := a.Config.Pacing.GroupGap + rand.N(a.Config.Pacing.Jitter+1)
			select {
			case <-ctx.Done():
				return bot.Sent{}, ctx.Err()
			case <-a.Clock.After(gap):
			}
		}
		var err error
		sent, err = s.self.SendTextToGroup(&openwechat.Group{User: &openwechat.User{UserName: to}}, parts[i])
		if err != nil {
			return bot.Sent{}, a.sendError(ctx, err)
		}
		a.sentIDs.add(sent.MsgId)
		a.mu.Lock()
		a.parts[m.ID] = i + 1
		a.mu.Unlock()
	}
	if len(m.Attachments) > 0 { // after the text, which is not sent again on a retry
		pic, err := sendAttachments(s.self, to, m)
		if err != nil {
			return bot.Sent{}, a.sendError(ctx, err)
		}
		sent = pic
	}
	a.mu.Lock()
	delete(a.parts, m.ID)
	a.backoff, a.failFrom, a.stalled = 0, time.Time{}, false
	a.mu.Unlock()
	return bot.Sent{ID: sent.MsgId}, nil
}

// sendError turns a library error into what the dispatcher understands.
func (a *Adapter) sendError(ctx context.Context, err error) error {
	now := a.Clock.Now()
	var ret openwechat.Ret
	if !errors.As(err, &ret) {
		return a.failed(ctx, now, fmt.Errorf("wechat send: %w", err))
	}
	switch {
	case ret == retTooOften:
		a.mu.Lock()
		a.backoff = min(max(a.backoff*2, firstTooOften), maxTooOften)
		a.paused = now.Add(a.backoff)
		wait := a.backoff
		a.mu.Unlock()
		a.Log.Warn("wechat: sending too often, pausing", "for", wait)
		return a.failed(ctx, now, &bot.RetryAfterError{After: wait, Err: err})
	case ret >= 1100 && ret <= 1102:
		return a.failed(ctx, now, &bot.RetryAfterError{After: offlineWait, Err: err})
	}
	return a.failed(ctx, now, fmt.Errorf("wechat send: %w", err))
}

// failed records a failed send and raises EventSendStalled once when nothing
// could be sent for Config.StallAlert.
func (a *Adapter) failed(ctx context.Context, now time.Time, err error) error {
	a.mu.Lock()
	if a.failFrom.IsZero() {
		a.failFrom = now
	}
	since := a.failFrom
	raise := !a.stalled && now.Sub(since) >= a.Config.StallAlert
	if raise {
		a.stalled = true
	}
	a.mu.Unlock()
	if raise {
		a.report(bot.ChannelEvent{Kind: bot.EventSendStalled, Since: since, Err: err})
	}
	return err
}
