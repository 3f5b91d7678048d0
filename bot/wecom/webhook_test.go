package wecom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wecom"
	"github.com/qiao-community/qiao/bot/wecom/wecomtest"
)

func TestWebhookSendsTextInParts(t *testing.T) {
	fake := wecomtest.New(t, "bot1", "s3cret")
	w := &wecom.Webhook{URL: fake.WebhookURL(), Keys: map[string]string{"office": "KEY1"}}
	text := strings.Repeat(strings.Repeat("周报", 100)+"\n", 8) // 601 bytes a line
	if _, err := w.Send(context.Background(), bot.Outgoing{ID: 1, Chat: "office", Text: text}); err != nil {
		t.Fatal(err)
	}
	hooks := fake.Hooks()
	if len(hooks) != 3 {
		t.Fatalf("%d robot messages, want 3", len(hooks))
	}
	var parts []string
	for _, h := range hooks {
		if h.Key != "KEY1" || h.MsgType != "text" || len(h.Content) > wecomtest.HookMaxText {
			t.Errorf("robot message: key %q, type %q, %d bytes", h.Key, h.MsgType, len(h.Content))
		}
		parts = append(parts, h.Content)
	}
	if strings.Join(parts, "\n") != strings.TrimRight(text, "\n") {
		t.Error("the parts do not add up to the text")
	}
}

func TestWebhookErrors(t *testing.T) {
	fake := wecomtest.New(t, "bot1", "s3cret")
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	fake.Now = func() time.Time { return now }
	w := &wecom.Webhook{URL: fake.WebhookURL(), Keys: map[string]string{"office": "KEY1", "gone": "bad-key"}}
	ctx := context.Background()
	for i := range wecomtest.HookPerMinute {
		if _, err := w.Send(ctx, bot.Outgoing{ID: int64(i), Chat: "office", Text: "告警"}); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	_, err := w.Send(ctx, bot.Outgoing{ID: 99, Chat: "office", Text: "第 21 条"})
	var retry *bot.RetryAfterError
	if !errors.As(err, &retry) {
		t.Errorf("the 21st message in a minute: err = %v, want a RetryAfterError", err)
	}
	for _, chat := range []string{"gone", "unknown", ""} {
		if _, err := w.Send(ctx, bot.Outgoing{ID: 100, Chat: chat, Text: "x"}); !errors.Is(err, bot.ErrPermanent) {
			t.Errorf("chat %q: err = %v, want a permanent error", chat, err)
		}
	}
}

// The webhook's pacing keeps a robot within 20 messages in any minute.
func TestWebhookLimitsKeepWithinTwentyAMinute(t *testing.T) {
	w := &wecom.Webhook{}
	gap := w.Limits().Group
	if n := int(time.Minute / gap); n >= wecomtest.HookPerMinute {
		t.Errorf("a gap of %s allows %d messages a minute", gap, n+1)
	}
}
