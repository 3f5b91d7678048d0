package wechat

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Web WeChat refuses most accounts outright (ret 1203, "此微信号不能登录网页微信")
// and ends others' sessions seconds after login; retrying either is what got
// accounts warned and banned in 2025. The adapter stops instead, and says so.
const (
	// States of State.State.
	StateOnline  = "online"
	StateOffline = "offline"
	StateRefused = "refused" // ret 1203: this account may not use web WeChat
	StateGaveUp  = "gave_up" // kicked soon after login too often in a row
	keyState     = "wechat:state"
	// stableSession is how long a session must last for the next outage to
	// start the re-login wait afresh.
	stableSession = 10 * time.Minute
	firstRelogin  = 5 * time.Second
)

// State is the adapter's condition as `qiao status` shows it.
type State struct {
	State string    `json:"state"`
	Since time.Time `json:"since"`
	Err   string    `json:"err,omitempty"`
}

// LoadState reads the state the adapter last recorded ("" state if none).
func LoadState(ctx context.Context, store Store) (State, error) {
	var st State
	data, err := store.Load(ctx, keyState)
	if err != nil || data == "" {
		return st, err
	}
	return st, json.Unmarshal([]byte(data), &st)
}

// setState records the adapter's condition for Status and `qiao status`.
func (a *Adapter) setState(ctx context.Context, state string, err error) {
	st := State{State: state, Since: a.Clock.Now()}
	if err != nil {
		st.Err = err.Error()
	}
	a.mu.Lock()
	a.state = st
	a.mu.Unlock()
	data, _ := json.Marshal(st)
	if err := a.Store.Save(context.WithoutCancel(ctx), keyState, string(data)); err != nil {
		a.Log.Error("wechat: save state", "err", err)
	}
}

// Status is the adapter's current condition.
func (a *Adapter) Status() State {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state
}

// refused reports a login answered with ret 1203. The library turns the
// answer into an error carrying only its message.
func refused(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "1203") || strings.Contains(msg, "登录网页微信") && strings.Contains(msg, "不")
}

// recovered logs a panic in one of the library's callbacks and keeps the
// process (and the next message) going.
func (a *Adapter) recovered(where string) {
	if p := recover(); p != nil {
		a.Log.Error("wechat: panic in callback, skipped", "where", where, "panic", fmt.Sprint(p),
			"stack", string(debug.Stack()))
	}
}

// gate counts the library's callbacks running for a session, so that
// shutdown waits for them and none starts after.
type gate struct {
	mu     sync.Mutex
	n      int
	closed bool
	idle   *sync.Cond
}

func (g *gate) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.n++
	return true
}

func (g *gate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n--
	if g.n == 0 && g.idle != nil {
		g.idle.Broadcast()
	}
}

// close lets no callback start and waits for those running.
func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	if g.idle == nil {
		g.idle = sync.NewCond(&g.mu)
	}
	for g.n > 0 {
		g.idle.Wait()
	}
}

// recentIDs remembers the last server ids of messages the bot sent.
type recentIDs struct {
	mu   sync.Mutex
	ids  map[string]bool
	ring []string
}

const keepSentIDs = 4096

func (r *recentIDs) add(id string) {
	if id == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ids == nil {
		r.ids = map[string]bool{}
	}
	if len(r.ring) >= keepSentIDs {
		delete(r.ids, r.ring[0])
		r.ring = r.ring[1:]
	}
	r.ids[id], r.ring = true, append(r.ring, id)
}

func (r *recentIDs) has(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ids[id]
}

// quotesBot reports whether a quote's author is the bot. Real quotes name the
// author by wxid, which web WeChat shows nowhere else: the bot's own is learnt
// from the first quote of a message it is known to have sent.
func (a *Adapter) quotesBot(ctx context.Context, svrid, author string) bool {
	if a.sentIDs.has(svrid) {
		if author != "" {
			if known, _ := a.Store.Load(ctx, keySelfWxid); known != author {
				_ = a.Store.Save(ctx, keySelfWxid, author)
			}
		}
		return true
	}
	known, _ := a.Store.Load(ctx, keySelfWxid)
	return known != "" && author == known
}

// saveLogin saves a QR-logged-in session whenever its sync key moved on (the
// library saves only sessions that came from a file), so a restart resumes
// where it stopped. It runs on the sync goroutine.
func (a *Adapter) saveLogin(s *session) {
	if s.save == nil || s.bot.Storage == nil || s.bot.Storage.Response == nil {
		return
	}
	key := fmt.Sprint(s.bot.Storage.Response.SyncKey)
	if key == s.savedKey {
		return
	}
	if err := s.bot.DumpTo(s.save); err != nil {
		a.Log.Error("wechat: save login", "err", err)
		return
	}
	s.savedKey = key
}
