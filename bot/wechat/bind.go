package wechat

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eatmoreapple/openwechat"

	"github.com/qiao-community/qiao/bot"
)

// bind maps this login's @@ ids to the configured chats: by the group's name,
// by a remembered alias, or, for a configured group not found by name, by
// its members (a renamed group). Several groups of one name are told apart by
// their members, or not bound at all. It binds enrolled friends by the remark
// name the bot gave them. It runs on the library's sync goroutine.
func (a *Adapter) bind(ctx context.Context, s *session, outage time.Time) {
	a.publish(s) // before anything of this session reaches the engine
	self, err := s.bot.GetCurrentUser()
	if err != nil {
		return
	}
	s.self = self
	a.saveLogin(s)
	s.chatID, s.idChat, s.friends, s.people = map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	s.bound, s.names, s.tries, s.loginChats = map[string]string{}, map[string]string{}, map[string]int{}, map[string]bool{}
	s.privileged = a.privileged(ctx)
	chats, err := a.Chats(ctx)
	if err != nil {
		a.Log.Error("wechat: configured chats", "err", err)
		return
	}
	for _, chat := range chats {
		s.loginChats[chat] = true
	}
	groups, err := self.Groups(true)
	if err != nil {
		a.Log.Error("wechat: list groups", "err", err)
		return
	}
	if friends, err := self.Friends(); err == nil {
		a.bindFriends(ctx, s, friends)
	}
	byChat := map[string][]*openwechat.Group{}
	var unbound []*openwechat.Group
	for _, g := range groups {
		if chat := a.chatFor(ctx, chats, g.NickName); chat != "" {
			byChat[chat] = append(byChat[chat], g)
		} else {
			unbound = append(unbound, g)
		}
	}
	for _, chat := range chats {
		candidates := byChat[chat]
		if len(candidates) == 1 {
			s.chatID[chat], s.idChat[candidates[0].UserName] = candidates[0].UserName, chat
			continue
		}
		if len(candidates) > 1 {
			// Someone may have made a group of the same name: only the members tell.
			if g := a.pickByMembers(ctx, chat, candidates); g != nil {
				s.chatID[chat], s.idChat[g.UserName] = g.UserName, chat
				continue
			}
			a.Log.Warn("wechat: several groups of one name, none bound", "chat", chat, "groups", len(candidates))
			a.report(bot.ChannelEvent{Kind: bot.EventGroupAmbiguous, Chat: chat})
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
			keys = append(keys, a.memberKey(ctx, s, m))
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

// bindFriends gives each friend its key for this login: an enrolled friend
// its person's (by remark name); friends sharing a name each a key of their
// own (the name and their AttrStatus), so a private reply reaches the right one.
func (a *Adapter) bindFriends(ctx context.Context, s *session, friends openwechat.Friends) {
	count := map[string]int{}
	for _, f := range friends {
		count[personKey(f.User)]++
	}
	for i, f := range friends {
		id, name := f.UserName, personKey(f.User)
		key := boundKey(f.User, s.privileged)
		switch {
		case key != "":
			s.bound[id] = key
		case count[name] > 1:
			tag := strconv.FormatInt(f.AttrStatus, 10)
			if f.AttrStatus == 0 {
				tag = "n" + strconv.Itoa(i)
			}
			key = a.resolveName(ctx, s, name) + "#" + tag
		default:
			key = a.resolveName(ctx, s, name)
		}
		s.people[id], s.names[id], s.friends[key] = key, name, id
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
		common, total, ok := a.overlap(ctx, g, known)
		if !ok {
			continue
		}
		if common >= 3 && common*10 >= len(known)*6 && common*10 >= total*6 && common > bestCommon {
			best, bestCommon = g, common
		}
	}
	return best
}

// overlap counts a group's members other than the bot (total) and how many of
// them are among known (common); ok is false when the members cannot be read.
func (a *Adapter) overlap(ctx context.Context, g *openwechat.Group, known []string) (common, total int, ok bool) {
	members, err := g.Members()
	if err != nil {
		return 0, 0, false
	}
	for _, m := range members {
		if m.UserName == g.Self().UserName {
			continue
		}
		total++
		if slices.Contains(known, a.lookupKey(ctx, personKey(m))) {
			common++
		}
	}
	return common, total, true
}

// pickByMembers picks, among groups of one name, the one whose members are
// most of those remembered for chat, if exactly one is.
func (a *Adapter) pickByMembers(ctx context.Context, chat string, candidates []*openwechat.Group) *openwechat.Group {
	data, _ := a.Store.Load(ctx, keyMembers+chat)
	var known []string
	if json.Unmarshal([]byte(data), &known) != nil || len(known) == 0 {
		return nil
	}
	var best *openwechat.Group
	bestCommon, tie := 0, false
	for _, g := range candidates {
		common, total, ok := a.overlap(ctx, g, known)
		if !ok {
			continue
		}
		if common == 0 || common*10 < len(known)*6 || common*10 < total*6 {
			continue
		}
		switch {
		case common > bestCommon:
			best, bestCommon, tie = g, common, false
		case common == bestCommon:
			tie = true
		}
	}
	if tie {
		return nil
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

// memberKey is the person key of a contact in this session: an enrolled
// contact's person; someone seen already keeps the key they had, even after a
// rename (remembered for later logins unless the new name is a privileged
// one or another member's); anyone else by name.
func (a *Adapter) memberKey(ctx context.Context, s *session, u *openwechat.User) string {
	id, name := u.UserName, personKey(u)
	a.mu.Lock()
	key, bound := s.bound[id]
	prev, seen := s.people[id]
	was := s.names[id]
	a.mu.Unlock()
	switch {
	case bound:
	case seen && was == name:
		key = prev
	case seen:
		key = prev
		if s.privileged[name] || a.nameTaken(s, id, name) {
			a.Log.Warn("wechat: member took a name in use, not remembered", "was", was, "now", name)
			if s.privileged[name] {
				a.claimed(ctx, name)
			}
			break
		}
		_ = a.Store.Save(ctx, keyPerson+name, prev)
		a.Log.Info("wechat: member renamed", "was", prev, "now", name)
		a.report(bot.ChannelEvent{Kind: bot.EventMemberRenamed, Name: prev, Title: name})
	default:
		key = a.resolveName(ctx, s, name)
	}
	a.mu.Lock()
	s.people[id], s.names[id] = key, name
	a.mu.Unlock()
	return key
}

// nameTaken reports whether another contact of this session is called name.
func (a *Adapter) nameTaken(s *session, id, name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for other, n := range s.names {
		if other != id && n == name {
			return true
		}
	}
	return false
}

// resolveName is the key of someone not enrolled and not seen in this
// session: their name (followed through remembered renames), unless that is a
// privileged person's.
func (a *Adapter) resolveName(ctx context.Context, s *session, name string) string {
	key := a.lookupKey(ctx, name)
	if s.privileged[name] || s.privileged[key] {
		return a.claimed(ctx, name)
	}
	return key
}

// UnboundPrefix starts the chat key of a group whose title is a configured
// chat's but which is not bound to it: the engine treats it as unregistered.
const UnboundPrefix = "未绑定:"

// bindLate is the chat key of a group not bound at login. A title binds
// mid-session only to a chat that staff set during this session (#绑定群 or
// a new config) and that no group holds: renaming any group to a configured
// group's title must not make it receive that group's messages.
func (a *Adapter) bindLate(ctx context.Context, s *session, id, title string) string {
	chats, _ := a.Chats(ctx)
	chat := a.chatFor(ctx, chats, title)
	if chat == "" {
		return title // not configured: its key is its name
	}
	a.mu.Lock()
	free := s.chatID[chat] == "" && !s.loginChats[chat]
	if free {
		s.chatID[chat], s.idChat[id] = id, chat
	}
	warned := s.warned[id]
	if s.warned == nil {
		s.warned = map[string]bool{}
	}
	s.warned[id] = true
	a.mu.Unlock()
	if free {
		return chat
	}
	if !warned {
		a.Log.Warn("wechat: a group with a configured title is not bound", "chat", chat, "title", title)
		a.report(bot.ChannelEvent{Kind: bot.EventGroupUnbound, Chat: chat, Title: title})
	}
	return UnboundPrefix + title
}
