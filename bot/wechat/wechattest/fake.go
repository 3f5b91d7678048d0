// Package wechattest is a fake web-WeChat server for tests: enough of the
// login, sync, contact and send endpoints that the real openwechat library
// (v1.4.10, desktop mode) logs in, receives group messages and sends replies
// against it on 127.0.0.1. Route the library to it with Transport.
//
// Every login (QR, push or hot) starts a new session in which every @ id is
// new, as on real WeChat, so tests see that stable keys survive re-logins.
package wechattest

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
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
}

// Group is a fake group chat.
type Group struct {
	Title   string
	Members []Member
}

// Sent is a message the bot sent.
type Sent struct {
	ID      string // the MsgID WeChat answered
	To      string // the group's title (or the friend's nickname) at the time of sending
	Content string
	Image   []byte // a picture sent with webwxsendmsgimg (Content is then empty)
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
	friends   []string
	session   int
	sid       string // the live session's sid ("" when none)
	ids       map[string]string
	names     map[string]string // id → title or nick, this session
	scanned   bool
	uuids     int
	queue     []map[string]any
	msgID     int
	sent      []Sent
	sendRets  []int
	endRet    int // retcode the next synccheck reports
	logins    map[string]int
	hotRefuse bool
	media     // pictures in and out (media.go)
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
func (f *Fake) AddFriend(nick string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.friends = append(f.friends, nick)
}

// SayPrivately queues a private text from a friend to the bot.
func (f *Fake) SayPrivately(nick, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgID++
	f.queue = append(f.queue, map[string]any{"MsgId": fmt.Sprint(1000 + f.msgID), "MsgType": 1,
		"CreateTime": time.Now().Unix(), "FromUserName": f.ids[nick], "ToUserName": f.ids[f.selfNick],
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

// Rename renames a group.
func (f *Fake) Rename(title, newTitle string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range f.groups {
		if g.Title == title {
			g.Title = newTitle
		}
	}
}

// RenameMember changes a member's nickname in every group.
func (f *Fake) RenameMember(nick, newNick string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range f.groups {
		for i := range g.Members {
			if g.Members[i].Nick == nick {
				g.Members[i].Nick = newNick
			}
		}
	}
}

// ID is the current session's @ id of a group title or a member's nickname.
func (f *Fake) ID(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ids[name]
}

// Say queues a text message from a member in a group; "\n" becomes <br/> and
// the text is HTML-escaped, as web WeChat does.
func (f *Fake) Say(group, nick, text string) {
	content := strings.ReplaceAll(html.EscapeString(text), "\n", "<br/>")
	f.post(group, nick, 1, content, 0)
}

// SayQuoting queues a reply from a member that quotes a message the bot sent.
func (f *Fake) SayQuoting(group, nick string, quoted Sent, text string) {
	f.mu.Lock()
	svrid := quoted.ID
	self := f.ids[f.selfNick]
	f.mu.Unlock()
	xmlText := fmt.Sprintf(`<msg><appmsg appid="" sdkver="0"><title>%s</title><type>57</type><refermsg><type>1</type>`+
		`<svrid>%s</svrid><fromusr>%s</fromusr><chatusr>%s</chatusr><displayname>%s</displayname><content>…</content></refermsg></appmsg></msg>`,
		html.EscapeString(text), svrid, f.ID(group), self, f.selfNick)
	f.post(group, nick, 49, html.EscapeString(xmlText), 57)
}

// SayImage queues an image message from a member.
func (f *Fake) SayImage(group, nick string) { f.post(group, nick, 3, "", 0) }

// SayAsSelf queues a text the bot's own account sent from the phone.
func (f *Fake) SayAsSelf(group, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgID++
	f.queue = append(f.queue, map[string]any{"MsgId": fmt.Sprint(1000 + f.msgID), "MsgType": 1,
		"CreateTime": time.Now().Unix(), "FromUserName": f.ids[f.selfNick], "ToUserName": f.ids[group], "Content": text})
	f.signal()
}

func (f *Fake) post(group, nick string, msgType int, content string, appMsgType int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgID++
	f.queue = append(f.queue, map[string]any{"MsgId": fmt.Sprint(1000 + f.msgID), "MsgType": msgType, "AppMsgType": appMsgType,
		"CreateTime": time.Now().Unix(), "FromUserName": f.ids[group], "ToUserName": f.ids[f.selfNick],
		"Content": f.ids[nick] + ":<br/>" + content})
	f.signal()
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

// newSession gives every group and member a fresh @ id; call with f.mu held.
func (f *Fake) newSession(kind string) {
	f.session++
	f.logins[kind]++
	f.hotRefuse = false
	f.endRet = 0
	f.sid = fmt.Sprintf("sid%d", f.session)
	f.ids, f.names = map[string]string{}, map[string]string{}
	add := func(name, id string) {
		if _, ok := f.ids[name]; !ok {
			f.ids[name], f.names[id] = id, name
		}
	}
	add(f.selfNick, fmt.Sprintf("@self%d", f.session))
	for i, nick := range f.friends {
		f.ids[nick], f.names[fmt.Sprintf("@s%df%d", f.session, i)] = fmt.Sprintf("@s%df%d", f.session, i), nick
	}
	for i, g := range f.groups {
		add(g.Title, fmt.Sprintf("@@s%dg%d", f.session, i))
		for j, m := range g.Members {
			add(m.Nick, fmt.Sprintf("@s%dg%dm%d", f.session, i, j))
		}
	}
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	host := r.Host
	switch {
	case host == "login.wx.qq.com" && path == "/jslogin":
		f.mu.Lock()
		f.uuids++
		uuid := fmt.Sprintf("uuid%d", f.uuids)
		f.mu.Unlock()
		fmt.Fprintf(w, `window.QRLogin.code = 200; window.QRLogin.uuid = "%s";`, uuid)
	case strings.HasSuffix(path, "/mmwebwx-bin/login"):
		f.checkLogin(w, r)
	case strings.HasSuffix(path, "/webwxpushloginurl"):
		fmt.Fprint(w, `{"ret":"0","msg":"all ok","uuid":"push1"}`)
	case strings.HasSuffix(path, "/webwxnewloginpage"):
		f.loginPage(w, r)
	case strings.HasSuffix(path, "/webwxinit"):
		f.init(w, r)
	case strings.HasSuffix(path, "/webwxstatusnotify"):
		fmt.Fprint(w, `{"BaseResponse":{"Ret":0}}`)
	case strings.HasSuffix(path, "/synccheck"):
		f.syncCheck(w, r)
	case strings.HasSuffix(path, "/webwxsync"):
		f.sync(w)
	case strings.HasSuffix(path, "/webwxgetcontact"):
		f.contacts(w)
	case strings.HasSuffix(path, "/webwxbatchgetcontact"):
		f.batchContacts(w, r)
	case strings.HasSuffix(path, "/webwxsendmsg"):
		f.send(w, r)
	case strings.HasSuffix(path, "/webwxgetmsgimg"), strings.HasSuffix(path, "/webwxuploadmedia"),
		strings.HasSuffix(path, "/webwxsendmsgimg"):
		f.serveMedia(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *Fake) checkLogin(w http.ResponseWriter, r *http.Request) {
	push := r.URL.Query().Get("uuid") == "push1"
	f.mu.Lock()
	ch, scanned := f.changed, f.scanned
	f.mu.Unlock()
	if !scanned { // a push login waits for the phone too
		f.wait(r, ch)
		f.mu.Lock()
		scanned = f.scanned
		f.mu.Unlock()
		if !scanned {
			fmt.Fprint(w, `window.code=408;`)
			return
		}
	}
	kind := "qr"
	if push {
		kind = "push"
	}
	fmt.Fprintf(w, "window.code=200;\nwindow.redirect_uri=\"https://wx.qq.com/cgi-bin/mmwebwx-bin/webwxnewloginpage?ticket=T&uuid=U&lang=zh_CN&scan=1&kind=%s\";", kind)
}

func (f *Fake) loginPage(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.scanned = false
	f.newSession(r.URL.Query().Get("kind"))
	sid := f.sid
	f.mu.Unlock()
	for _, c := range []http.Cookie{{Name: "wxuin", Value: "123"}, {Name: "wxsid", Value: sid}, {Name: "webwx_data_ticket", Value: "ticket"}} {
		c.Domain, c.Path = "wx.qq.com", "/"
		http.SetCookie(w, &c)
	}
	fmt.Fprintf(w, `<error><ret>0</ret><message></message><skey>@crypt_1</skey><wxsid>%s</wxsid><wxuin>123</wxuin><pass_ticket>PT</pass_ticket><isgrayscale>1</isgrayscale></error>`, sid)
}

type baseRequest struct {
	BaseRequest struct{ Sid string }
}

func (f *Fake) init(w http.ResponseWriter, r *http.Request) {
	var req baseRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.BaseRequest.Sid != f.sid || f.sid == "" {
		fmt.Fprint(w, `{"BaseResponse":{"Ret":1101}}`)
		return
	}
	if f.logins["init:"+f.sid] > 0 {
		// A second init of the same sid is a hot login: a new session.
		if f.hotRefuse {
			fmt.Fprint(w, `{"BaseResponse":{"Ret":1101}}`)
			return
		}
		old := f.sid
		f.newSession("hot")
		f.sid = old // the cookie and BaseRequest stay valid
	}
	f.logins["init:"+f.sid]++
	writeJSON(w, map[string]any{"BaseResponse": map[string]int{"Ret": 0},
		"User":    map[string]string{"UserName": f.ids[f.selfNick], "NickName": f.selfNick},
		"SyncKey": syncKey(f.session)})
}

func syncKey(n int) map[string]any {
	return map[string]any{"Count": 1, "List": []map[string]int{{"Key": 1, "Val": n}}}
}

func (f *Fake) syncCheck(w http.ResponseWriter, r *http.Request) {
	cookie, err := r.Cookie("wxsid")
	f.mu.Lock()
	ch := f.changed
	live := err == nil && cookie.Value == f.sid && f.sid != ""
	if live && f.endRet != 0 {
		code := f.endRet
		f.sid, f.endRet = "", 0
		f.mu.Unlock()
		fmt.Fprintf(w, `window.synccheck={retcode:"%d",selector:"0"}`, code)
		return
	}
	pending := len(f.queue)
	f.mu.Unlock()
	if !live {
		fmt.Fprint(w, `window.synccheck={retcode:"1101",selector:"0"}`)
		return
	}
	if pending == 0 {
		f.wait(r, ch)
		f.mu.Lock()
		pending = len(f.queue)
		f.mu.Unlock()
	}
	selector := "0"
	if pending > 0 {
		selector = "2"
	}
	fmt.Fprintf(w, `window.synccheck={retcode:"0",selector:"%s"}`, selector)
}

func (f *Fake) sync(w http.ResponseWriter) {
	f.mu.Lock()
	msgs := f.queue
	f.queue = nil
	n := f.session
	f.mu.Unlock()
	if msgs == nil {
		msgs = []map[string]any{}
	}
	writeJSON(w, map[string]any{"BaseResponse": map[string]int{"Ret": 0}, "AddMsgList": msgs, "SyncKey": syncKey(n)})
}

func (f *Fake) contacts(w http.ResponseWriter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var list []map[string]any
	for _, g := range f.groups {
		list = append(list, map[string]any{"UserName": f.ids[g.Title], "NickName": g.Title, "MemberCount": len(g.Members) + 1})
	}
	for _, nick := range f.friends {
		list = append(list, map[string]any{"UserName": f.ids[nick], "NickName": nick})
	}
	writeJSON(w, map[string]any{"BaseResponse": map[string]int{"Ret": 0}, "MemberCount": len(list), "MemberList": list, "Seq": 0})
}

func (f *Fake) batchContacts(w http.ResponseWriter, r *http.Request) {
	var req struct{ List []struct{ UserName string } }
	_ = json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, item := range req.List {
		for _, g := range f.groups {
			if f.ids[g.Title] != item.UserName {
				continue
			}
			members := []map[string]any{{"UserName": f.ids[f.selfNick], "NickName": f.selfNick}}
			for _, m := range g.Members {
				members = append(members, map[string]any{"UserName": f.ids[m.Nick], "NickName": m.Nick, "DisplayName": m.Display})
			}
			out = append(out, map[string]any{"UserName": item.UserName, "NickName": g.Title,
				"MemberCount": len(members), "MemberList": members})
		}
	}
	writeJSON(w, map[string]any{"BaseResponse": map[string]int{"Ret": 0}, "Count": len(out), "ContactList": out})
}

func (f *Fake) send(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Msg struct{ Content, ToUserName, LocalID string }
	}
	body, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(body, &req)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sendRets) > 0 {
		ret := f.sendRets[0]
		f.sendRets = f.sendRets[1:]
		if ret != 0 {
			fmt.Fprintf(w, `{"BaseResponse":{"Ret":%d,"ErrMsg":""}}`, ret)
			return
		}
	}
	to, ok := f.names[req.Msg.ToUserName]
	if !ok {
		fmt.Fprint(w, `{"BaseResponse":{"Ret":1,"ErrMsg":"no such chat"}}`)
		return
	}
	f.msgID++
	id := fmt.Sprint(5000 + f.msgID)
	f.sent = append(f.sent, Sent{ID: id, To: to, Content: req.Msg.Content})
	f.signal()
	fmt.Fprintf(w, `{"BaseResponse":{"Ret":0,"ErrMsg":""},"MsgID":"%s","LocalID":"%s"}`, id, req.Msg.LocalID)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
