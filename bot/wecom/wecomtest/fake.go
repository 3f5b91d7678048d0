// Package wecomtest is a fake WeCom for tests, on 127.0.0.1: the 智能机器人
// long connection (WebSocket frames as in developer.work.weixin.qq.com
// document 101463) and the group robots' webhook.
package wecomtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// Frame is one frame on the long connection.
type Frame struct {
	Cmd     string `json:"cmd,omitempty"`
	Headers struct {
		ReqID string `json:"req_id"`
	} `json:"headers"`
	Body    json.RawMessage `json:"body,omitempty"`
	ErrCode int             `json:"errcode,omitempty"`
	ErrMsg  string          `json:"errmsg,omitempty"`
}

// Push is one aibot_send_msg the fake accepted.
type Push struct {
	ChatID   string `json:"chatid"`
	ChatType int    `json:"chat_type"`
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

// Hook is one group robot message the fake accepted.
type Hook struct {
	Key     string
	MsgType string
	Content string
}

// Limits of the group robot webhook.
const (
	HookPerMinute = 20
	HookMaxText   = 2048
)

// Server is the fake.
type Server struct {
	BotID, Secret string
	// Now is the webhook's clock for its 20-a-minute limit (default time.Now).
	Now func() time.Time
	srv *httptest.Server

	mu         sync.Mutex
	conn       *websocket.Conn // the subscribed connection
	connCtx    context.Context
	subscribes int
	rejected   int
	rejectNext int
	limitNext  int
	limitAt    int
	pings      int
	pushes     []Push
	hooks      []Hook
	hookTimes  map[string][]time.Time
	hookLimits int
	seq        int
	changed    chan struct{}
}

// New starts a fake on 127.0.0.1 that accepts botID and secret; it stops
// when the test ends.
func New(t testing.TB, botID, secret string) *Server {
	s := &Server{BotID: botID, Secret: secret, Now: time.Now, limitAt: -1, hookTimes: map[string][]time.Time{},
		changed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/", s.serveWS)
	mux.HandleFunc("POST /cgi-bin/webhook/send", s.serveHook)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		s.mu.Lock()
		if s.conn != nil {
			s.conn.CloseNow()
		}
		s.mu.Unlock()
		s.srv.Close()
	})
	return s
}

// URL is the long connection's ws:// address.
func (s *Server) URL() string { return "ws" + strings.TrimPrefix(s.srv.URL, "http") }

// WebhookURL is the robots' send endpoint.
func (s *Server) WebhookURL() string { return s.srv.URL + "/cgi-bin/webhook/send" }

// RejectSubscribes makes the next n subscriptions fail with errcode 40058.
func (s *Server) RejectSubscribes(n int) { s.update(func() { s.rejectNext = n }) }

// RateLimitPushes answers the next n aibot_send_msg with errcode 45009.
func (s *Server) RateLimitPushes(n int) { s.update(func() { s.limitNext = n }) }

// RateLimitPushAt refuses, once, the push that would be the n-th accepted
// (counting from 0) with errcode 45009: a long message's later part.
func (s *Server) RateLimitPushAt(n int) { s.update(func() { s.limitAt = n }) }

// Counts reports subscriptions accepted and refused, and heartbeats.
func (s *Server) Counts() (subscribes, rejected, pings int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subscribes, s.rejected, s.pings
}

// Connected reports whether a subscribed connection is open.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn != nil
}

// Pushes are the accepted aibot_send_msg bodies, in order.
func (s *Server) Pushes() []Push {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Push(nil), s.pushes...)
}

// Hooks are the accepted robot messages, in order.
func (s *Server) Hooks() []Hook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hook(nil), s.hooks...)
}

// HookLimited is how many robot messages were refused with 45009.
func (s *Server) HookLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookLimits
}

// Wait blocks until cond holds, failing the test after 5 s. cond is checked
// after every change of the fake and every few milliseconds, for conditions on
// the client's side.
func (s *Server) Wait(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("wecomtest: timed out waiting for %s", what)
		}
	}
}

// update changes state under the lock and wakes waiters.
func (s *Server) update(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	close(s.changed)
	s.changed = make(chan struct{})
}

// Callback delivers an aibot_msg_callback with this body on the subscribed
// connection.
func (s *Server) Callback(t testing.TB, body any) {
	t.Helper()
	s.send(t, "aibot_msg_callback", body)
}

// Text delivers a text message from userid; chatID "" is a single chat.
func (s *Server) Text(t testing.TB, msgID, chatID, userID, content string) {
	t.Helper()
	body := map[string]any{"msgid": msgID, "aibotid": s.BotID, "chattype": "single", "from": map[string]string{"userid": userID},
		"msgtype": "text", "text": map[string]string{"content": content}}
	if chatID != "" {
		body["chattype"], body["chatid"] = "group", chatID
	}
	s.Callback(t, body)
}

// Displace tells the connection another one took the bot, then closes it, as
// WeCom does.
func (s *Server) Displace(t testing.TB) {
	t.Helper()
	s.send(t, "aibot_event_callback", map[string]any{"msgid": "ev" + s.nextID(), "aibotid": s.BotID,
		"msgtype": "event", "event": map[string]string{"eventtype": "disconnected_event"}})
	s.Drop()
}

// Drop closes the connection from the server side.
func (s *Server) Drop() {
	s.update(func() {
		if s.conn != nil {
			s.conn.Close(websocket.StatusGoingAway, "server closing")
			s.conn = nil
		}
	})
}

func (s *Server) nextID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return strconv.Itoa(s.seq)
}

func (s *Server) send(t testing.TB, cmd string, body any) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	f := Frame{Cmd: cmd, Body: raw}
	f.Headers.ReqID = "srv_" + s.nextID()
	s.mu.Lock()
	conn, ctx := s.conn, s.connCtx
	s.mu.Unlock()
	if conn == nil {
		t.Fatalf("wecomtest: %s with no subscribed connection", cmd)
	}
	if err := wsjson.Write(ctx, conn, f); err != nil {
		t.Fatalf("wecomtest: %s: %v", cmd, err)
	}
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer conn.CloseNow()
	ctx := r.Context()
	subscribed := false
	defer func() {
		s.update(func() {
			if s.conn == conn {
				s.conn = nil
			}
		})
	}()
	for {
		var f Frame
		if err := wsjson.Read(ctx, conn, &f); err != nil {
			return
		}
		ans := Frame{Headers: f.Headers}
		switch {
		case f.Cmd == "aibot_subscribe":
			var b struct {
				BotID  string `json:"bot_id"`
				Secret string `json:"secret"`
			}
			_ = json.Unmarshal(f.Body, &b)
			s.update(func() {
				if s.rejectNext > 0 || b.BotID != s.BotID || b.Secret != s.Secret {
					s.rejectNext = max(s.rejectNext-1, 0)
					s.rejected++
					ans.ErrCode, ans.ErrMsg = 40058, "invalid bot_id or secret"
					return
				}
				s.subscribes++
				subscribed = true
				s.conn, s.connCtx = conn, ctx
			})
		case !subscribed:
			ans.ErrCode, ans.ErrMsg = 40001, "not subscribed"
		case f.Cmd == "ping":
			s.update(func() { s.pings++ })
		case f.Cmd == "aibot_send_msg":
			var p Push
			if err := json.Unmarshal(f.Body, &p); err != nil || p.ChatID == "" || p.MsgType != "markdown" || p.Markdown.Content == "" {
				ans.ErrCode, ans.ErrMsg = 40003, "invalid body"
				break
			}
			s.update(func() {
				if s.limitNext > 0 || len(s.pushes) == s.limitAt {
					s.limitNext = max(s.limitNext-1, 0)
					if len(s.pushes) == s.limitAt {
						s.limitAt = -1
					}
					ans.ErrCode, ans.ErrMsg = 45009, "api freq out of limit"
					return
				}
				s.pushes = append(s.pushes, p)
			})
		default:
			ans.ErrCode, ans.ErrMsg = 40004, "unknown cmd"
		}
		if err := wsjson.Write(ctx, conn, ans); err != nil {
			return
		}
		if ans.ErrCode != 0 && f.Cmd == "aibot_subscribe" {
			return // WeCom closes a connection that failed to subscribe
		}
	}
}

func (s *Server) serveHook(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	var b struct {
		MsgType string `json:"msgtype"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
		Markdown struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	answer := func(code int, msg string) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"errcode": code, "errmsg": msg})
	}
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		answer(40035, "invalid json")
		return
	}
	content := b.Text.Content
	if b.MsgType == "markdown" {
		content = b.Markdown.Content
	}
	switch {
	case key == "" || strings.HasPrefix(key, "bad"):
		answer(93000, "invalid webhook url")
		return
	case b.MsgType != "text" && b.MsgType != "markdown", content == "":
		answer(40008, "invalid message type")
		return
	case b.MsgType == "text" && len(content) > HookMaxText, len(content) > 4096:
		answer(40058, "content exceed max length")
		return
	}
	code := 0
	s.update(func() {
		now := s.Now()
		var recent []time.Time
		for _, at := range s.hookTimes[key] {
			if now.Sub(at) < time.Minute {
				recent = append(recent, at)
			}
		}
		if len(recent) >= HookPerMinute {
			s.hookLimits++
			code = 45009
			return
		}
		s.hookTimes[key] = append(recent, now)
		s.hooks = append(s.hooks, Hook{Key: key, MsgType: b.MsgType, Content: content})
	})
	if code != 0 {
		answer(code, "api freq out of limit")
		return
	}
	answer(0, "ok")
}
