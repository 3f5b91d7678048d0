// Package wechattest is a fake web-WeChat server for tests: enough of the
// login, sync, contact and send endpoints that the real openwechat library
// (v1.4.10, desktop mode) logs in, receives group messages and sends replies
// against it on 127.0.0.1. Route the library to it with Transport.
//
// Every login (QR, push or hot) starts a new session in which every @ id is
// new, as on real WeChat, so tests see that stable keys survive re-logins.
// Contacts and groups may share names (a handle tells them apart in tests; the
// library never sees it, except as the wxid inside a quote, as on real WeChat).
// Logins without the UOS headers are refused with ret 1203, as real WeChat
// refuses web logins of most accounts.
package wechattest

import (
	"cmp"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Member is a person in a fake group.
type Member struct {
	Nick    string // WeChat nickname
	Display string // in-group display name ("" if none)
	Handle  string // how tests name this person (default Nick); their wxid is "wxid_" + Handle
}

func (m Member) handle() string { return cmp.Or(m.Handle, m.Nick) }

// Group is a fake group chat.
type Group struct {
	Title   string
	Members []Member
	Handle  string // how tests name this group (default Title)
}

func (g *Group) handle() string { return cmp.Or(g.Handle, g.Title) }

// Friend is a contact of the bot account.
type Friend struct {
	Handle string // how tests name this person (default Nick), shared with their group memberships
	Nick   string
	Remark string // the remark name the bot account gave them
	Attr   int64  // AttrStatus
}

// Sent is a message the bot sent.
type Sent struct {
	ID       string // the MsgID WeChat answered
	To       string // the group's title (or the friend's nickname) at the time of sending
	ToHandle string // the handle of the group or friend it went to
	Content  string
	Image    []byte // a picture sent with webwxsendmsgimg (Content is then empty)
}

// Fake is the fake server. Its exported methods are safe for concurrent use.
type Fake struct {
	Server *httptest.Server
	// Hold bounds how long a long poll (synccheck, login check) waits when
	// there is nothing to report.
	Hold time.Duration

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced whenever something happens
	selfNick  string
	groups    []*Group
	friends   []*Friend
	session   int
	sid       string            // the live session's sid ("" when none)
	ids       map[string]string // handle → @ id, this session
	names     map[string]string // id → title or nick, this session
	handles   map[string]string // id → handle, this session
	scanned   bool
	uuids     int
	syncs     int
	queue     []map[string]any
	msgID     int
	sent      []Sent
	sendRets  []int
	attempts  int // send requests received
	loseNext  int // sends delivered whose answer is lost (connection dropped)
	stallNext int // sends held unanswered until the client gives up
	endRet    int // retcode the next synccheck reports
	logins    map[string]int
	hotRefuse bool
	refuse    bool // every new login is refused with ret 1203
	kick      bool // every session ends with 1101 at its first synccheck
	noRemarks bool // remark names set over the web protocol are ignored
	media          // pictures in and out (media.go)
}

// New starts a fake whose account is called selfNick.
func New(selfNick string, groups ...Group) *Fake {
	f := &Fake{selfNick: selfNick, changed: make(chan struct{}), Hold: 100 * time.Millisecond,
		logins: map[string]int{}}
	for _, g := range groups {
		g.Members = append([]Member(nil), g.Members...) // the fake changes its own copy
		f.groups = append(f.groups, &g)
	}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// AddFriend makes nick a contact (friend) of the bot account from the next login on.
func (f *Fake) AddFriend(nick string) { f.AddContact(Friend{Nick: nick}) }

// AddContact makes a friend of the bot account from the next login on.
func (f *Fake) AddContact(fr Friend) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fr.Handle = cmp.Or(fr.Handle, fr.Nick)
	f.friends = append(f.friends, &fr)
}

// QRCodes counts the login QR codes asked for.
func (f *Fake) QRCodes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.uuids
}

// SyncKey is the value of the sync key last handed out.
func (f *Fake) SyncKey() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.session*1000 + f.syncs
}

// Remark is the remark name the bot account has given a friend.
func (f *Fake) Remark(handle string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fr := range f.friends {
		if fr.Handle == handle {
			return fr.Remark
		}
	}
	return ""
}

// IgnoreRemarks makes remark names set over the web protocol have no effect
// (reported of real WeChat since 2023).
func (f *Fake) IgnoreRemarks() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.noRemarks = true
}

// Refuse1203 makes every new login fail as an account barred from web WeChat.
func (f *Fake) Refuse1203() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = true
}

// KickEveryLogin ends every session at its first synccheck (1101): logged in,
// kicked seconds later.
func (f *Fake) KickEveryLogin() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kick = true
}

// SayPrivately queues a private text from a friend (by handle) to the bot.
func (f *Fake) SayPrivately(handle, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgID++
	f.queue = append(f.queue, map[string]any{"MsgId": fmt.Sprint(1000 + f.msgID), "MsgType": 1,
		"CreateTime": time.Now().Unix(), "FromUserName": f.ids[handle], "ToUserName": f.ids[f.selfNick],
		"Content": strings.ReplaceAll(html.EscapeString(text), "\n", "<br/>")})
	f.signal()
}

// Close stops the server.
func (f *Fake) Close() { f.Server.Close() }

// Transport routes requests for WeChat's hosts to the fake, keeping the Host
// so the fake can tell them apart.
func (f *Fake) Transport() http.RoundTripper {
	u, _ := url.Parse(f.Server.URL)
	return rewrite{to: u}
}

type rewrite struct{ to *url.URL }

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	c := r.Clone(r.Context())
	c.Host = r.URL.Host
	c.URL.Scheme, c.URL.Host = rw.to.Scheme, rw.to.Host
	return http.DefaultTransport.RoundTrip(c)
}

// Scan makes the pending QR login succeed.
func (f *Fake) Scan() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scanned = true
	f.signal()
}

// Logins counts logins by kind: "qr", "push", "hot".
func (f *Fake) Logins(kind string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logins[kind]
}

// RefuseHotLogin makes hot logins fail (as after a kick) until a push or QR login.
func (f *Fake) RefuseHotLogin() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hotRefuse = true
}

// EndSession makes the next synccheck report retcode (1100, 1101, 1102) and
// invalidates the session.
func (f *Fake) EndSession(retcode int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.endRet = retcode
	f.signal()
}

// FailSends makes the next sends answer these Ret codes (e.g. 1205).
func (f *Fake) FailSends(rets ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sendRets = append(f.sendRets, rets...)
}

// LoseSendAnswers makes the next n sends deliver the message but drop the
// connection before answering, as when WeChat's answer is lost on the way.
func (f *Fake) LoseSendAnswers(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loseNext += n
}

// StallSends makes the next n sends hang, unanswered and undelivered, until
// the client gives up.
func (f *Fake) StallSends(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stallNext += n
}

// SendAttempts counts the send requests the fake received.
func (f *Fake) SendAttempts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

// Rename renames a group (by handle or title). Tests may name it by its new
// title from then on, in this session too.
func (f *Fake) Rename(title, newTitle string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range f.groups {
		if g.handle() == title || g.Title == title {
			g.Handle = g.handle() // tests go on naming it as before
			if id := f.ids[g.handle()]; id != "" {
				f.names[id] = newTitle
				if _, taken := f.ids[newTitle]; !taken {
					f.ids[newTitle] = id
				}
			}
			g.Title = newTitle
		}
	}
}

// RenameMember changes a member's nickname (by handle) in every group and
// friend list, at once: the library sees the new name in the next message.
func (f *Fake) RenameMember(handle, newNick string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range f.groups {
		for i := range g.Members {
			if g.Members[i].handle() == handle {
				g.Members[i].Nick = newNick
				if g.Members[i].Handle == "" {
					g.Members[i].Handle = handle
				}
			}
		}
	}
	for _, fr := range f.friends {
		if fr.Handle == handle {
			fr.Nick = newNick
		}
	}
	if id := f.ids[handle]; id != "" {
		f.names[id] = newNick
		if _, taken := f.ids[newNick]; !taken {
			f.ids[newNick] = id
		}
	}
}

// ID is the current session's @ id of a group or a person (by handle).
func (f *Fake) ID(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ids[name]
}

// Sent returns what the bot has sent so far.
func (f *Fake) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// WaitSent waits until the bot has sent at least n messages or timeout passes.
func (f *Fake) WaitSent(n int, timeout time.Duration) []Sent {
	deadline := time.After(timeout)
	for {
		f.mu.Lock()
		ch, got := f.changed, len(f.sent)
		f.mu.Unlock()
		if got >= n {
			return f.Sent()
		}
		select {
		case <-ch:
		case <-deadline:
			return f.Sent()
		}
	}
}

// signal wakes long polls; call with f.mu held.
func (f *Fake) signal() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// wait holds a long poll until something changes, the hold passes or the
// client goes away.
func (f *Fake) wait(r *http.Request, ch chan struct{}) {
	t := time.NewTimer(f.Hold)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	case <-r.Context().Done():
	}
}

// newSession gives every group and person a fresh @ id; call with f.mu held.
// A person in several groups, or a friend too, has one @ id (by handle).
func (f *Fake) newSession(kind string) {
	f.session++
	f.logins[kind]++
	f.hotRefuse = false
	f.endRet = 0
	if f.kick {
		f.endRet = 1101
	}
	f.sid = fmt.Sprintf("sid%d", f.session)
	f.ids, f.names, f.handles = map[string]string{}, map[string]string{}, map[string]string{}
	add := func(handle, name, id string) {
		if _, ok := f.ids[handle]; !ok {
			f.ids[handle], f.names[id], f.handles[id] = id, name, handle
		}
	}
	add(f.selfNick, f.selfNick, fmt.Sprintf("@self%d", f.session))
	for i, fr := range f.friends {
		add(fr.Handle, fr.Nick, fmt.Sprintf("@s%df%d", f.session, i))
	}
	for i, g := range f.groups {
		add(g.handle(), g.Title, fmt.Sprintf("@@s%dg%d", f.session, i))
		for j, m := range g.Members {
			add(m.handle(), m.Nick, fmt.Sprintf("@s%dg%dm%d", f.session, i, j))
		}
	}
	// Tests may also name a renamed group or person by their current name.
	for _, g := range f.groups {
		if _, taken := f.ids[g.Title]; !taken {
			f.ids[g.Title] = f.ids[g.handle()]
		}
	}
}

// AddMember adds a person to a group now (a newcomer: the library fetches
// the group's members again when they speak).
func (f *Fake) AddMember(group string, m Member) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, g := range f.groups {
		if g.handle() == group {
			g.Members = append(g.Members, m)
			if _, ok := f.ids[m.handle()]; !ok && f.ids != nil {
				id := fmt.Sprintf("@s%dg%dm%d", f.session, i, len(g.Members)-1)
				f.ids[m.handle()], f.names[id], f.handles[id] = id, m.Nick, m.handle()
			}
		}
	}
}
