package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// Context is what a handler gets: the message, who sent it and where, the open
// transaction, and the outbox to answer through. Everything a handler writes
// and enqueues commits together, or not at all.
type Context struct {
	context.Context
	Tx        *storage.Tx
	Msg       Message
	Parsed    Parsed
	Command   *Command // the command being served; nil for free text and refusals
	Args      string   // the text after the command name, trimmed; may span lines
	Community storage.Community
	Group     *storage.Group // nil in a private chat
	Person    storage.Person
	Lang      string // the sender's language
	// Conversation is the pending question this message answers, if any.
	Conversation *storage.Conversation
	Outbox       *Outbox
	Log          *slog.Logger
	BotName      string
	// Advice is what Engine.Advise said of free text ("" when not asked).
	Advice string
	// Foreseen is what Engine.Foresee made of free text (nil when not asked).
	Foreseen any
	display  displayed // RawArgs worked out before the transaction
}

// Now is the transaction's time.
func (c *Context) Now() time.Time { return c.Tx.Now }

// Reply answers the sender where they spoke, addressing them, in their language.
func (c *Context) Reply(template string, data any) error {
	return c.ReplyPost(Post{Template: template, Data: data})
}

// ReplyPost is Reply with options.
func (c *Context) ReplyPost(p Post) error {
	if p.Lang == "" {
		p.Lang = c.Lang
	}
	if p.CallbackID == "" {
		p.CallbackID = c.Msg.CallbackID
	}
	if c.Group == nil {
		return c.Outbox.ToPerson(c.Tx, c.Person, p)
	}
	if p.Mention == nil {
		person := c.Person
		p.Mention = &person
	}
	return c.Outbox.ToGroup(c.Tx, *c.Group, p)
}

// Say posts into the chat the message came from without addressing anyone.
func (c *Context) Say(template string, data any) error {
	if c.Group == nil {
		return c.Outbox.ToPerson(c.Tx, c.Person, Post{Template: template, Data: data, Lang: c.Lang})
	}
	return c.Outbox.ToGroup(c.Tx, *c.Group, Post{Template: template, Data: data})
}

// Post enqueues a post into any group.
func (c *Context) Post(g storage.Group, p Post) error { return c.Outbox.ToGroup(c.Tx, g, p) }

// Notify enqueues a direct message to a person.
func (c *Context) Notify(person storage.Person, p Post) error {
	return c.Outbox.ToPerson(c.Tx, person, p)
}

// Ask starts a conversation: the sender's next message in this chat, until ttl
// passes, goes to the handler registered for kind with c.Conversation set.
func (c *Context) Ask(kind, data string, ttl time.Duration) error {
	return c.Tx.SetConversation(storage.Conversation{
		CommunityID: c.Community.ID, GroupID: c.groupID(), PersonID: c.Person.ID,
		Kind: kind, Data: data, ExpiresAt: c.Now().Add(ttl),
	})
}

// EndConversation forgets the sender's pending conversation in this chat.
func (c *Context) EndConversation() error { return c.Tx.EndConversation(c.groupID(), c.Person.ID) }

func (c *Context) groupID() int64 {
	if c.Group == nil {
		return 0
	}
	return c.Group.ID
}
