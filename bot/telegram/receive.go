package telegram

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/qiao-community/qiao/bot"
)

// poll runs the getUpdates loop. Telegram forgets an update when getUpdates is
// called with a higher offset, so the offset sent is always one past the last
// update the engine committed.
//
// After a restart the first call sends no offset: Telegram then returns every
// unconfirmed update, and the engine skips those it committed before. (Sending
// the stored id + 1 instead would silently confirm updates whose ids restarted
// lower, which Telegram does after a week without updates.)
func (a *Adapter) poll(ctx context.Context, in bot.Inbound) error {
	if _, err := a.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		a.log.Warn("deleteWebhook failed", "err", err)
	}
	stored, err := a.opts.Offsets.Offset(ctx)
	if err != nil {
		return fmt.Errorf("telegram: read offset: %w", err)
	}
	a.log.Info("polling", "last_committed_update", stored)
	var next int64 // 0: no offset
	var backoff time.Duration
	for ctx.Err() == nil {
		if backoff > 0 && !a.wait(ctx, backoff) {
			break
		}
		updates, err := a.getUpdates(ctx, next)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			backoff = a.nextBackoff(backoff, err)
			a.log.Warn("getUpdates failed", "err", err, "retry_in", backoff)
			continue
		}
		backoff = 0
		last, saved, err := a.handlePage(ctx, in, updates)
		if last > 0 {
			if last <= stored {
				a.log.Info("updates delivered again after a restart", "up_to", last)
			}
			next = last + 1
			// The engine stores the offset with the page's messages; only a
			// page that ends without a message to commit costs a write here.
			if !saved {
				if err := a.opts.Offsets.SetOffset(ctx, last); err != nil && ctx.Err() == nil {
					a.log.Warn("store offset", "update", last, "err", err)
				}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// Not confirmed: the next getUpdates returns it (and what followed) again.
			backoff = a.nextBackoff(backoff, err)
			a.log.Error("update not handled; will retry", "update", last+1, "err", err, "retry_in", backoff)
		}
	}
	return nil
}

// wait waits d (real time: network back-off) and reports whether ctx is still live.
func (a *Adapter) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// nextBackoff doubles the wait after a failure, from minBackoff up to a
// minute, or waits what a 429 asks.
func (a *Adapter) nextBackoff(cur time.Duration, err error) time.Duration {
	var tm *tg.TooManyRequestsError
	if errors.As(err, &tm) && tm.RetryAfter > 0 {
		return time.Duration(tm.RetryAfter) * time.Second
	}
	return min(max(2*cur, a.minBackoff), time.Minute)
}

// apiResponse is the Bot API's envelope.
type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// getUpdates calls getUpdates itself: the library keeps it unexported and its
// loop confirms updates before they are handled.
func (a *Adapter) getUpdates(ctx context.Context, offset int64) ([]*models.Update, error) {
	params := map[string]any{"timeout": a.cfg.PollSeconds, "allowed_updates": allowedUpdates}
	if offset > 0 {
		params["offset"] = offset
	}
	body, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, a.cfg.pollTimeout()+30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.APIURL+"/bot"+a.cfg.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.opts.HTTP.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL holds the token: keep it out of logs
		}
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	var r apiResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d: %w", resp.StatusCode, err)
	}
	if !r.OK {
		if r.ErrorCode == http.StatusTooManyRequests {
			return nil, &tg.TooManyRequestsError{Message: r.Description, RetryAfter: r.Parameters.RetryAfter}
		}
		return nil, fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	var updates []*models.Update
	if err := json.Unmarshal(r.Result, &updates); err != nil {
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	return updates, nil
}

// secretHeader carries the webhook's secret token.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler receives updates posted by Telegram. It answers 200 only after
// the update was committed, and 500 otherwise so Telegram posts it again. A
// request without the configured secret token gets 401 and is ignored. When
// in takes batches, updates posted together are committed together (burst).
func (a *Adapter) WebhookHandler(in bot.Inbound) http.Handler {
	secret := []byte(a.cfg.Webhook.SecretToken)
	handle := func(ctx context.Context, u *models.Update) error { return a.handle(ctx, in, u) }
	if b, ok := in.(bot.BatchInbound); ok {
		bursts := &burst{a: a, in: b}
		a.mu.Lock()
		a.bursts = bursts
		a.mu.Unlock()
		handle = func(ctx context.Context, u *models.Update) error {
			if migrates(u) {
				return a.handle(ctx, in, u)
			}
			msg, ok, err := a.incoming(ctx, u)
			if err != nil || !ok {
				return err
			}
			return bursts.handle(ctx, pageItem{id: u.ID, msg: msg, ok: true})
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get(secretHeader))
		if len(secret) == 0 || subtle.ConstantTimeCompare(got, secret) != 1 {
			a.log.Warn("webhook request with a wrong secret token", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var u models.Update
		if err := json.NewDecoder(io.LimitReader(r.Body, 16<<20)).Decode(&u); err != nil {
			a.log.Error("webhook: bad update", "err", err)
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if err := handle(r.Context(), &u); err != nil {
			a.log.Error("webhook: update not handled; Telegram will post it again", "update", u.ID, "err", err)
			http.Error(w, "not handled", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// serveWebhook registers the webhook and serves it until ctx is done.
func (a *Adapter) serveWebhook(ctx context.Context, in bot.Inbound) error {
	u, err := url.Parse(a.cfg.Webhook.URL)
	if err != nil {
		return fmt.Errorf("telegram: webhook url: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle(path, a.WebhookHandler(in))
	ln, err := net.Listen("tcp", a.cfg.Webhook.Listen)
	if err != nil {
		return fmt.Errorf("telegram: webhook: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	_, err = a.api.SetWebhook(cctx, &tg.SetWebhookParams{URL: a.cfg.Webhook.URL, SecretToken: a.cfg.Webhook.SecretToken,
		AllowedUpdates: allowedUpdates})
	cancel()
	if err != nil && ctx.Err() == nil {
		_ = srv.Close()
		return fmt.Errorf("telegram: setWebhook: %w", err)
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("telegram: webhook: %w", err)
	}
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer scancel()
	return srv.Shutdown(sctx) // lets updates being handled finish and answer
}

// message turns an update into a bot.Message; ok is false for updates Qiao ignores.
func (a *Adapter) message(u *models.Update) (bot.Message, bool) {
	switch {
	case u.Message != nil:
		return a.textMessage(u.Message)
	case u.CallbackQuery != nil:
		return a.buttonPress(u.CallbackQuery)
	case u.MyChatMember != nil:
		return a.memberChange(u)
	}
	return bot.Message{}, false // edited messages, channel posts, …
}

func (a *Adapter) textMessage(m *models.Message) (bot.Message, bool) {
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	media := len(m.Photo) > 0 || m.Document != nil
	if m.From == nil || text == "" && !media || !chatSupported(m.Chat.Type) {
		return bot.Message{}, false
	}
	user, name := chatKey(m.From.ID), displayName(m.From)
	switch sc := m.SenderChat; {
	case sc != nil && sc.ID == m.Chat.ID:
		// An anonymous group admin (From is Telegram's GroupAnonymousBot): the
		// group speaks. It is a person keyed by the chat that no config entry
		// can name (not a numeric id), so it holds no privileges.
		user, name = anonymousKey(sc.ID), sc.Title
		if name == "" {
			name = user
		}
	case sc != nil, m.From.IsBot:
		return bot.Message{}, false // a channel's post, another bot
	}
	msg := bot.Message{
		Platform: bot.Telegram, Chat: chatKey(m.Chat.ID), ChatTitle: m.Chat.Title,
		Private: m.Chat.Type == models.ChatTypePrivate, User: user, UserName: name,
		ID: strconv.Itoa(m.ID), Text: text, Time: time.Unix(int64(m.Date), 0),
	}
	if r := m.ReplyToMessage; r != nil {
		msg.ReplyTo = strconv.Itoa(r.ID)
		if r.From != nil && r.From.ID == a.me.ID {
			msg.Addressed = true
		}
	}
	if msg.Private || strings.Contains(strings.ToLower(text), "@"+strings.ToLower(a.me.Username)) {
		msg.Addressed = true
	}
	return msg, true
}

func (a *Adapter) buttonPress(q *models.CallbackQuery) (bot.Message, bool) {
	var chat models.Chat
	switch {
	case q.Message.Message != nil:
		chat = q.Message.Message.Chat
	case q.Message.InaccessibleMessage != nil:
		chat = q.Message.InaccessibleMessage.Chat
	default:
		return bot.Message{}, false // a button of an inline message: Qiao sends none
	}
	if q.Data == "" || !chatSupported(chat.Type) {
		return bot.Message{}, false
	}
	return bot.Message{
		Platform: bot.Telegram, Chat: chatKey(chat.ID), ChatTitle: chat.Title,
		Private: chat.Type == models.ChatTypePrivate, User: chatKey(q.From.ID), UserName: displayName(&q.From),
		ID: "cb:" + q.ID, Addressed: true, Callback: q.Data, CallbackID: q.ID, Time: a.opts.Clock.Now(),
	}, true
}

// memberChange reports the bot being added to a group as a Joined message; the
// engine greets an unregistered group and tells staff its chat id.
func (a *Adapter) memberChange(u *models.Update) (bot.Message, bool) {
	c := u.MyChatMember
	if c.Chat.Type != models.ChatTypeGroup && c.Chat.Type != models.ChatTypeSupergroup {
		return bot.Message{}, false
	}
	was, is := present(c.OldChatMember.Type), present(c.NewChatMember.Type)
	if !is {
		if was {
			a.log.Warn("the bot was removed from a group", "chat", c.Chat.ID, "title", c.Chat.Title)
		}
		return bot.Message{}, false
	}
	if was {
		return bot.Message{}, false // a promotion or restriction: still there
	}
	return bot.Message{
		Platform: bot.Telegram, Chat: chatKey(c.Chat.ID), ChatTitle: c.Chat.Title,
		User: chatKey(c.From.ID), UserName: displayName(&c.From), ID: "joined:" + strconv.FormatInt(u.ID, 10),
		Joined: true, Time: time.Unix(int64(c.Date), 0),
	}, true
}

func present(t models.ChatMemberType) bool {
	switch t {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember, models.ChatMemberTypeRestricted:
		return true
	}
	return false
}

func chatSupported(t models.ChatType) bool {
	return t == models.ChatTypePrivate || t == models.ChatTypeGroup || t == models.ChatTypeSupergroup
}

func chatKey(id int64) string { return strconv.FormatInt(id, 10) }

// anonymousKey is the identity of a group's anonymous admins.
func anonymousKey(chat int64) string { return "anon:" + chatKey(chat) }

func displayName(u *models.User) string {
	if n := strings.TrimSpace(u.FirstName + " " + u.LastName); n != "" {
		return n
	}
	return u.Username
}
