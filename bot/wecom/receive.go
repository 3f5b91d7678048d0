package wecom

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"github.com/qiao-community/qiao/bot"
)

// receive passes one message callback to the engine. WeCom does not deliver a
// callback again, so a message the engine could not take is logged and lost.
func (a *Adapter) receive(ctx context.Context, in bot.Inbound, f Frame) {
	var cb Callback
	if err := json.Unmarshal(f.Body, &cb); err != nil {
		a.log.Warn("unreadable message callback", "err", err)
		return
	}
	m, ok := a.message(cb)
	if !ok {
		return
	}
	if err := in.Handle(ctx, m); err != nil && ctx.Err() == nil {
		a.log.Error("message not handled", "chat", m.Chat, "id", m.ID, "err", err)
	}
}

// message turns a callback into a bot.Message. The identity is the userid the
// WeCom admin assigned: a person cannot choose it.
func (a *Adapter) message(cb Callback) (bot.Message, bool) {
	user := strings.TrimSpace(cb.From.UserID)
	if user == "" || cb.MsgID == "" {
		return bot.Message{}, false
	}
	m := bot.Message{Platform: bot.WeCom, User: user, UserName: user, ID: cb.MsgID, Addressed: true,
		Time: a.opts.Clock.Now()}
	if cb.CreateTime > 0 {
		m.Time = time.Unix(cb.CreateTime, 0)
	}
	if cb.ChatType == "group" && cb.ChatID != "" {
		m.Chat = cb.ChatID
	} else {
		m.Chat, m.Private = user, true // a single chat is keyed by the person
	}
	switch {
	case cb.MsgType == "text" && cb.Text != nil:
		// A quote carries no message id to answer; its text is not the sender's.
		m.Text = stripMention(cb.Text.Content)
		if m.Text == "" {
			return bot.Message{}, false // only "@bot": nothing to answer
		}
	case cb.MsgType == "":
		return bot.Message{}, false
	default:
		m.NonText = cb.MsgType // image, voice, file, mixed…
	}
	return m, true
}

// stripMention removes the leading @mention of the bot: in a group WeCom
// delivers only messages that @ the bot, with the mention in the text.
func stripMention(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "@") {
		return s
	}
	i := strings.IndexFunc(s, unicode.IsSpace) // also U+2005, which WeCom puts after mentions
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(s[i:])
}
