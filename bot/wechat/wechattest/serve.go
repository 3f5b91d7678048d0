package wechattest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

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
	case strings.HasSuffix(path, "/webwxoplog"):
		f.oplog(w, r)
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

// refused is what web WeChat answers an account it does not let in.
const refused = `<error><ret>1203</ret><message>为了你的帐号安全，此微信号不能登录网页微信。你可以使用Windows微信或Mac微信在电脑端登录。</message></error>`

func (f *Fake) loginPage(w http.ResponseWriter, r *http.Request) {
	// Only the UOS desktop client's headers get past the web ban.
	uos := r.Header.Get("client-version") != "" && r.Header.Get("extspam") != ""
	f.mu.Lock()
	if f.refuse || !uos {
		f.scanned = false
		f.mu.Unlock()
		fmt.Fprint(w, refused)
		return
	}
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
	f.syncs++ // every sync moves the key on, as on real WeChat
	n := f.session*1000 + f.syncs
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
		list = append(list, map[string]any{"UserName": f.ids[g.handle()], "NickName": g.Title, "MemberCount": len(g.Members) + 1})
	}
	for _, fr := range f.friends {
		list = append(list, map[string]any{"UserName": f.ids[fr.Handle], "NickName": fr.Nick, "RemarkName": fr.Remark,
			"AttrStatus": fr.Attr})
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
			if f.ids[g.handle()] != item.UserName {
				continue
			}
			members := []map[string]any{{"UserName": f.ids[f.selfNick], "NickName": f.selfNick}}
			for _, m := range g.Members {
				members = append(members, map[string]any{"UserName": f.ids[m.handle()], "NickName": m.Nick, "DisplayName": m.Display})
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
	f.attempts++
	if f.stallNext > 0 {
		f.stallNext--
		f.mu.Unlock()
		<-r.Context().Done()
		return
	}
	lose := f.loseNext > 0
	if lose {
		f.loseNext--
		defer dropConnection(w)
	}
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
	f.sent = append(f.sent, Sent{ID: id, To: to, ToHandle: f.handles[req.Msg.ToUserName], Content: req.Msg.Content})
	f.signal()
	if lose {
		return
	}
	fmt.Fprintf(w, `{"BaseResponse":{"Ret":0,"ErrMsg":""},"MsgID":"%s","LocalID":"%s"}`, id, req.Msg.LocalID)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// oplog sets a friend's remark name (CmdId 2), unless remarks are ignored.
func (f *Fake) oplog(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CmdId      int
		RemarkName string
		UserName   string
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.CmdId == 2 && !f.noRemarks {
		for _, fr := range f.friends {
			if f.ids[fr.Handle] == req.UserName {
				fr.Remark = req.RemarkName
			}
		}
	}
	fmt.Fprint(w, `{"BaseResponse":{"Ret":0,"ErrMsg":""}}`)
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}
