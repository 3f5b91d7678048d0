package wechattest

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Say queues a text message from a member in a group; "\n" becomes <br/> and
// the text is HTML-escaped, as web WeChat does.
func (f *Fake) Say(group, nick, text string) {
	content := strings.ReplaceAll(html.EscapeString(text), "\n", "<br/>")
	f.post(group, nick, 1, content, 0)
}

// SayQuoting queues a reply from a member that quotes a message the bot sent.
// As on real WeChat the quote names its author by wxid (never an @ id) and its
// group as "…@chatroom".
func (f *Fake) SayQuoting(group, nick string, quoted Sent, text string) {
	f.quote(group, nick, quoted.ID, wxid(f.selfNick), f.selfNick, text)
}

// SayQuotingMember queues a reply from a member that quotes a message of
// another member (by handle) whose server id was svrid.
func (f *Fake) SayQuotingMember(group, nick, author, svrid, text string) {
	f.quote(group, nick, svrid, wxid(author), author, text)
}

func (f *Fake) quote(group, nick, svrid, authorWxid, authorName, text string) {
	xmlText := fmt.Sprintf(`<msg><appmsg appid="" sdkver="0"><title>%s</title><type>57</type><refermsg><type>1</type>`+
		`<svrid>%s</svrid><fromusr>%s</fromusr><chatusr>%s</chatusr><displayname>%s</displayname><content>…</content></refermsg></appmsg></msg>`,
		html.EscapeString(text), svrid, chatroom(group), authorWxid, html.EscapeString(authorName))
	f.post(group, nick, 49, html.EscapeString(xmlText), 57)
}

// wxid is a person's permanent WeChat id, which web WeChat shows only inside quotes.
func wxid(handle string) string { return fmt.Sprintf("wxid_%x", handle) }

func chatroom(group string) string { return fmt.Sprintf("%x@chatroom", group) }

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

// Line is one member's text in SayTogether.
type Line struct{ Nick, Text string }

// SayTogether queues several texts in a group at once: one sync returns them all.
func (f *Fake) SayTogether(group string, lines ...Line) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range lines {
		f.queueLocked(group, l.Nick, 1, strings.ReplaceAll(html.EscapeString(l.Text), "\n", "<br/>"), 0)
	}
	f.signal()
}

func (f *Fake) post(group, nick string, msgType int, content string, appMsgType int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queueLocked(group, nick, msgType, content, appMsgType)
	f.signal()
}

func (f *Fake) queueLocked(group, nick string, msgType int, content string, appMsgType int) {
	f.msgID++
	f.queue = append(f.queue, map[string]any{"MsgId": fmt.Sprint(1000 + f.msgID), "MsgType": msgType, "AppMsgType": appMsgType,
		"CreateTime": time.Now().Unix(), "FromUserName": f.ids[group], "ToUserName": f.ids[f.selfNick],
		"Content": f.ids[nick] + ":<br/>" + content})
}

// SayGroupNote queues WeChat's own 接龙 (app message type 53) from a member:
// as on real WeChat, the <title> carries the whole list and <extinfo> the
// solitaire record naming each line's author by wxid.
func (f *Fake) SayGroupNote(group, nick, text string) {
	lines := 0
	for _, l := range strings.Split(text, "\n") {
		if l != "" && l[0] >= '0' && l[0] <= '9' {
			lines++
		}
	}
	var items strings.Builder
	for i := 0; i < lines; i++ {
		fmt.Fprintf(&items, "<i><u>%s</u><h>0</h><s>.</s><t>%d</t><r>0-0</r></i>", wxid(nick), time.Now().Unix())
	}
	xmlText := fmt.Sprintf(`<?xml version="1.0"?>`+"\n"+`<msg><appmsg appid="" sdkver="0"><title>%s</title><des /><type>53</type>`+
		`<appattach><cdnthumbaeskey /><aeskey></aeskey></appattach><extinfo><solitaire_info><![CDATA[<solitaire><tt>0-%d</tt>`+
		`<s>.</s><au>%s</au><hrt>1</hrt><loss>0</loss><content><s>%d</s>%s</content></solitaire>]]></solitaire_info></extinfo>`+
		`</appmsg><fromusername>%s</fromusername><scene>0</scene><appinfo><version>1</version><appname /></appinfo><commenturl /></msg>`,
		html.EscapeString(text), len(text), wxid(nick), lines, items.String(), wxid(nick))
	f.post(group, nick, 49, strings.ReplaceAll(html.EscapeString(xmlText), "\n", "<br/>"), 53)
}
