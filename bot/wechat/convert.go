package wechat

import (
	"context"
	"time"

	"github.com/eatmoreapple/openwechat"

	"github.com/qiao-community/qiao/bot"
)

// convert turns a library message into a bot.Message. It runs on the sync
// goroutine and reports false for messages Qiao ignores.
func (a *Adapter) convert(ctx context.Context, s *session, msg *openwechat.Message) (bot.Message, bool) {
	if msg.IsSendBySelf() || msg.IsSystem() || msg.StatusNotify() || msg.IsRecalled() {
		return bot.Message{}, false
	}
	m := bot.Message{Platform: bot.WeChat, ID: msg.MsgId, Time: time.Unix(msg.CreateTime, 0)}
	if m.Time.Unix() <= 0 {
		m.Time = a.Clock.Now()
	}
	switch {
	case msg.IsText():
		m.Text = groupText(msg.RawContent)
	case msg.MsgType == openwechat.MsgTypeApp && msg.AppMsgType == appMsgQuote:
		text, replyTo, author, ok := parseQuote(groupText(msg.RawContent))
		if !ok {
			return m, false
		}
		m.Text, m.ReplyTo = text, replyTo
		m.Addressed = a.quotesBot(ctx, replyTo, author)
	case msg.MsgType == openwechat.MsgTypeApp && msg.AppMsgType == appMsgGroupNote:
		text, ok := parseGroupNote(groupText(msg.RawContent))
		if !ok {
			return m, false
		}
		m.Text = text // the whole 接龙, as if typed: handlers/jielong reads it
	case msg.IsPicture() || msg.IsEmoticon() || msg.IsVoice() || msg.IsVideo() || msg.IsMedia() ||
		msg.IsLocation() || msg.IsCard():
		m.NonText = msg.MsgType.String()
		if msg.IsPicture() {
			if at, err := fetchPicture(msg); err == nil {
				m.NonText, m.Attachments = "", []bot.Attachment{at}
			} else {
				a.Log.Warn("wechat: picture not fetched", "err", err)
			}
		}
	default:
		return m, false
	}
	if !msg.IsSendByGroup() {
		if !msg.IsSendByFriend() {
			return m, false
		}
		sender, err := msg.Sender()
		if err != nil {
			return m, false
		}
		m.Private, m.Addressed = true, true
		if code, ok := enrolCode(m.Text); ok {
			a.enrol(ctx, s, sender, code) // never stored: the code is a secret
			return m, false
		}
		m.User = a.memberKey(ctx, s, sender)
		m.UserName, m.Chat = displayName(sender), m.User
		a.mu.Lock()
		s.friends[m.User] = sender.UserName
		a.mu.Unlock()
		return m, m.User != ""
	}
	sender, err := msg.SenderInGroup()
	if err != nil {
		a.Log.Warn("wechat: unknown sender", "group", msg.FromUserName, "err", err)
		return m, false
	}
	if code, ok := enrolCode(m.Text); ok {
		a.burn(ctx, code, displayName(sender)) // shown to a group: no longer secret
		return m, false
	}
	m.User, m.UserName = a.memberKey(ctx, s, sender), displayName(sender)
	m.Addressed = m.Addressed || msg.IsAt()
	a.mu.Lock()
	m.Chat = s.idChat[msg.FromUserName]
	a.mu.Unlock()
	group, err := msg.Sender()
	title := ""
	if err == nil {
		title = openwechat.FormatEmoji(group.NickName)
	}
	m.ChatTitle = title
	if m.Chat == "" {
		m.Chat = a.bindLate(ctx, s, msg.FromUserName, title)
	} else if title != "" && title != m.Chat {
		if alias, _ := a.Store.Load(ctx, keyAlias+title); alias != m.Chat {
			_ = a.Store.Save(ctx, keyAlias+title, m.Chat)
			a.report(bot.ChannelEvent{Kind: bot.EventGroupRenamed, Chat: m.Chat, Title: title})
		}
	}
	return m, m.Chat != "" && m.User != ""
}
