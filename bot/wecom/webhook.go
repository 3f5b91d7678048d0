package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/qiao-community/qiao/bot"
)

// Webhook is the send-only bot.Adapter of WeCom group robots (消息推送): each
// wecom_webhook group's chat names a robot whose key is in Config.Webhooks.
// It suits digests and alerts into groups the long-connection bot cannot
// join, and it needs no connection that another process could take over.
type Webhook struct {
	URL  string            // the send endpoint, default DefaultWebhookURL
	Keys map[string]string // chat → robot key
	HTTP *http.Client      // default a client with a 30 s timeout
}

// Platform is "wecom_webhook".
func (w *Webhook) Platform() string { return bot.WeComWebhook }

// Limits keeps each robot within its 20 messages a minute, with a margin for
// the network's jitter: WeCom counts by its own clock.
func (w *Webhook) Limits() bot.Limits { return bot.Limits{Group: 3200 * time.Millisecond} }

// Run has nothing to receive: it waits until ctx is done.
func (w *Webhook) Run(ctx context.Context, _ bot.Inbound) error {
	<-ctx.Done()
	return nil
}

// Send posts a message as text, split into parts of at most 2,048 bytes. A
// retried message resends all its parts: a robot answers nothing to dedupe by.
func (w *Webhook) Send(ctx context.Context, m bot.Outgoing) (bot.Sent, error) {
	key := w.Keys[m.Chat]
	if m.Chat == "" || key == "" {
		return bot.Sent{}, fmt.Errorf("%w: wecom webhook: no robot key for chat %q", bot.ErrPermanent, m.Chat)
	}
	text := compose(bot.Outgoing{Chat: m.Chat, Text: m.Text, Buttons: m.Buttons}) // robots cannot @ by Qiao's keys
	for _, part := range splitBytes(text, maxText) {
		if err := w.post(ctx, key, part); err != nil {
			return bot.Sent{}, err
		}
	}
	return bot.Sent{}, nil
}

type hookAnswer struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (w *Webhook) post(ctx context.Context, key, text string) error {
	body, err := json.Marshal(map[string]any{"msgtype": "text", "text": map[string]string{"content": text}})
	if err != nil {
		return err
	}
	base := w.URL
	if base == "" {
		base = DefaultWebhookURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"?key="+url.QueryEscape(key), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: wecom webhook: %w", bot.ErrPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	hc := w.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL holds the key: keep it out of logs
		}
		return fmt.Errorf("wecom webhook: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("wecom webhook: %w", err)
	}
	var ans hookAnswer
	if err := json.Unmarshal(data, &ans); err != nil {
		return fmt.Errorf("wecom webhook: HTTP %d: %w", resp.StatusCode, err)
	}
	if ans.ErrCode != 0 {
		return codeError("webhook", ans.ErrCode, ans.ErrMsg)
	}
	return nil
}
