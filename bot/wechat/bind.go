package wechat

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/eatmoreapple/openwechat"

	"github.com/qiao-community/qiao/bot"
)

// bind maps this login's @@ ids to the configured chats: by the group's name,
// by a remembered alias, or, for a configured group not found by name, by
// its members (a renamed group). It runs on the library's sync goroutine.
func (a *Adapter) bind(ctx context.Context, s *session, outage time.Time) {
	a.publish(s) // before anything of this session reaches the engine
	self, err := s.bot.GetCurrentUser()
	if err != nil {
		return
	}
	s.self = self
	if s.save != nil {
		if err := s.bot.DumpTo(s.save); err != nil {
			a.Log.Error("wechat: save login", "err", err)
		}
	}
	s.chatID, s.idChat, s.friends, s.people = map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	chats, err := a.Chats(ctx)
	if err != nil {
		a.Log.Error("wechat: configured chats", "err", err)
		return
	}
	groups, err := self.Groups(true)
	if err != nil {
		a.Log.Error("wechat: list groups", "err", err)
		return
	}
	if friends, err := self.Friends(); err == nil {
		for _, f := range friends {
			s.friends[personKey(f.User)] = f.UserName
		}
	}
	var unbound []*openwechat.Group
	for _, g := range groups {
		chat := a.chatFor(ctx, chats, g.NickName)
		if chat == "" || s.chatID[chat] != "" {
			unbound = append(unbound, g)
			continue
		}
		s.chatID[chat], s.idChat[g.UserName] = g.UserName, chat
	}
	for _, chat := range chats {
		if s.chatID[chat] != "" {
			continue
		}
		if g := a.findByMembers(ctx, chat, unbound); g != nil {
			s.chatID[chat], s.idChat[g.UserName] = g.UserName, chat
			_ = a.Store.Save(ctx, keyAlias+g.NickName, chat)
			a.Log.Warn("wechat: group renamed, found by its members", "chat", chat, "title", g.NickName)
			a.report(bot.ChannelEvent{Kind: bot.EventGroupRenamed, Chat: chat, Title: g.NickName})
			continue
		}
		a.Log.Warn("wechat: configured group not found", "chat", chat)
		a.report(bot.ChannelEvent{Kind: bot.EventGroupMissing, Chat: chat})
	}
	for _, g := range groups {
		chat := s.idChat[g.UserName]
		if chat == "" {
			continue
		}
		members, err := g.Members()
		if err != nil {
			a.Log.Warn("wechat: group members", "chat", chat, "err", err)
			continue
		}
		var keys []string
		for _, m := range members {
			if m.UserName == self.UserName {
				continue
			}
			key := a.memberKey(ctx, s, m)
			keys = append(keys, key)
		}
		sort.Strings(keys)
		a.noteRename(ctx, chat, keys)
		data, _ := json.Marshal(keys)
		_ = a.Store.Save(ctx, keyMembers+chat, string(data))
	}
	a.mu.Lock()
	s.ready = true
	a.mu.Unlock()
	a.report(bot.ChannelEvent{Kind: bot.EventOnline, Account: self.NickName})
	if !outage.IsZero() {
		bound := make([]string, 0, len(s.chatID))
		for chat := range s.chatID {
			bound = append(bound, chat)
		}
		sort.Strings(bound)
		a.report(bot.ChannelEvent{Kind: bot.EventRecovered, Since: outage, Chats: bound})
	}
}

// noteRename compares a group's members with those of the last login: when
// exactly one name is gone and one is new, it is likely one person who renamed
// themselves while the bot was away. Staff are asked to merge them, since a
// guess must not silently decide who is who.
func (a *Adapter) noteRename(ctx context.Context, chat string, keys []string) {
	data, _ := a.Store.Load(ctx, keyMembers+chat)
	var known []string
	if json.Unmarshal([]byte(data), &known) != nil || len(known) == 0 {
		return
	}
	var gone, added []string
	for _, k := range known {
		if !slices.Contains(keys, k) {
			gone = append(gone, k)
		}
	}
	for _, k := range keys {
		if !slices.Contains(known, k) {
			added = append(added, k)
		}
	}
	if len(gone) == 1 && len(added) == 1 {
		a.Log.Info("wechat: maybe renamed", "chat", chat, "was", gone[0], "now", added[0])
		a.report(bot.ChannelEvent{Kind: bot.EventMaybeRenamed, Chat: chat, Name: gone[0], Title: added[0]})
	}
}

// chatFor is the configured chat a group title belongs to ("" if none).
func (a *Adapter) chatFor(ctx context.Context, chats []string, title string) string {
	if slices.Contains(chats, title) {
		return title
	}
	alias, _ := a.Store.Load(ctx, keyAlias+title)
	if slices.Contains(chats, alias) {
		return alias
	}
	return ""
}

// findByMembers finds the group whose members are mostly those remembered for
// chat: at least three in common and at least 60% of both lists.
func (a *Adapter) findByMembers(ctx context.Context, chat string, candidates []*openwechat.Group) *openwechat.Group {
	data, _ := a.Store.Load(ctx, keyMembers+chat)
	var known []string
	if json.Unmarshal([]byte(data), &known) != nil || len(known) < 3 {
		return nil
	}
	var best *openwechat.Group
	bestCommon := 0
	for _, g := range candidates {
		members, err := g.Members()
		if err != nil {
			continue
		}
		common, total := 0, 0
		for _, m := range members {
			if m.UserName == g.Self().UserName {
				continue
			}
			total++
			if slices.Contains(known, a.lookupKey(ctx, personKey(m))) {
				common++
			}
		}
		if common >= 3 && common*10 >= len(known)*6 && common*10 >= total*6 && common > bestCommon {
			best, bestCommon = g, common
		}
	}
	return best
}

// personKey is a member's stable key: the nickname (the in-group display name
// when the nickname is empty). @ ids change at every login; names do not.
func personKey(u *openwechat.User) string {
	if n := strings.TrimSpace(openwechat.FormatEmoji(u.NickName)); n != "" {
		return n
	}
	return strings.TrimSpace(openwechat.FormatEmoji(u.DisplayName))
}

// displayName is how a member is shown: the in-group name, else the nickname.
func displayName(u *openwechat.User) string {
	if n := strings.TrimSpace(openwechat.FormatEmoji(u.DisplayName)); n != "" {
		return n
	}
	return personKey(u)
}

// lookupKey follows a remembered rename to the person's first key.
func (a *Adapter) lookupKey(ctx context.Context, key string) string {
	if old, _ := a.Store.Load(ctx, keyPerson+key); old != "" {
		return old
	}
	return key
}

// memberKey is the person key for a member in this session. A member whose
// nickname changed while the bot watched keeps the key it had, and the new
// name is remembered for later logins.
func (a *Adapter) memberKey(ctx context.Context, s *session, u *openwechat.User) string {
	name := personKey(u)
	key := a.lookupKey(ctx, name)
	if prev, ok := s.people[u.UserName]; ok && prev != key {
		_ = a.Store.Save(ctx, keyPerson+name, prev)
		a.Log.Info("wechat: member renamed", "was", prev, "now", name)
		a.report(bot.ChannelEvent{Kind: bot.EventMemberRenamed, Name: prev, Title: name})
		key = prev
	}
	s.people[u.UserName] = key
	return key
}

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
		m.Addressed = author != "" && author == msg.Owner().UserName
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
		m.User = a.lookupKey(ctx, personKey(sender))
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
		// A group bound after login (new, or renamed to a configured name), or
		// one that is not configured: its key is its name.
		chats, _ := a.Chats(ctx)
		m.Chat = a.chatFor(ctx, chats, title)
		if m.Chat != "" {
			a.mu.Lock()
			s.chatID[m.Chat], s.idChat[msg.FromUserName] = msg.FromUserName, m.Chat
			a.mu.Unlock()
		} else {
			m.Chat = title
		}
	} else if title != "" && title != m.Chat {
		if alias, _ := a.Store.Load(ctx, keyAlias+title); alias != m.Chat {
			_ = a.Store.Save(ctx, keyAlias+title, m.Chat)
			a.report(bot.ChannelEvent{Kind: bot.EventGroupRenamed, Chat: m.Chat, Title: title})
		}
	}
	return m, m.Chat != "" && m.User != ""
}
