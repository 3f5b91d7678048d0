package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Platform names.
const (
	Console  = "console"
	Telegram = "telegram"
	WeChat   = "wechat"
	WeCom    = "wecom"
	// WeComWebhook is a WeCom group robot: send-only, one webhook key per group.
	WeComWebhook = "wecom_webhook"
)

// Message is one inbound event from a chat platform: a text, or a button press.
type Message struct {
	Platform   string
	Chat       string // platform chat key; for a private chat, the user's chat
	ChatTitle  string
	Private    bool
	User       string // the sender's stable platform identity
	UserName   string // display name
	ID         string // platform message id, the dedupe key within the chat
	ReplyTo    string // id of the message this one answers, if any
	Addressed  bool   // an @mention of the bot, a reply to the bot, or a private chat
	Text       string
	NonText    string // the kind of a message that is not text (image, voice, …); Text is then empty
	Callback   string // button data, for a button press
	CallbackID string // platform id of the button press, to answer it
	// Joined reports that the bot was just added to the chat (no text): an
	// unregistered group gets one polite notice and staff are told its chat key.
	Joined bool
	Time   time.Time
	// Attachments are the pictures and files sent with the message; Text is
	// then the caption, if any.
	Attachments []Attachment
}

// Button is an inline button: its label and the command text it sends back.
type Button struct {
	Text string
	Data string
}

// Outgoing is a message from the outbox on its way to a platform.
type Outgoing struct {
	ID       int64  // outbox id: stable across retries
	Chat     string // "" for a direct message to User
	User     string // with Chat: the person addressed (mention); without: the recipient
	UserName string
	// Also are more people addressed in the same group post, after User.
	Also       []Addressee
	Text       string
	Buttons    [][]Button
	EditID     string // platform id of a message to edit instead of sending a new one
	CallbackID string // the button press this answers (a toast where the platform has them)
	// Attachments are sent with the text (as its caption where the platform has captions).
	Attachments []Attachment
}

// Addressee is a person a group post addresses: the platform's user key and
// the name shown.
type Addressee struct {
	User, Name string
}

// Addressees are everyone a group post addresses, User first; none for a
// direct message or a post to the whole group.
func (o Outgoing) Addressees() []Addressee {
	if o.Chat == "" || o.UserName == "" {
		return nil
	}
	return append([]Addressee{{User: o.User, Name: o.UserName}}, o.Also...)
}

// Sent is what an adapter reports after delivering a message.
type Sent struct {
	ID string // the platform's message id, kept so later messages can edit it
}

// Limits is a platform's pacing. Zero values mean no limit.
type Limits struct {
	Global  time.Duration // minimum gap between any two sends
	Group   time.Duration // minimum gap between sends into one group
	Private time.Duration // minimum gap between sends into one private chat
	Jitter  time.Duration // random extra delay added to each gap
	// PerMinute caps the sends of the platform in any minute (0: no cap).
	PerMinute int
}

// Inbound receives messages from adapters. The Engine implements it. An error
// means the message was not handled and must be delivered again.
type Inbound interface {
	Handle(ctx context.Context, m Message) error
}

// BatchInbound is an Inbound that also takes messages that arrived together
// (a getUpdates page, a webhook burst, a WeChat sync) in one call, in order,
// so they share one commit; errs[i] is what Handle would have returned for
// msgs[i]. A Checkpoint, if given, is stored in the transaction that commits
// the batch. The Engine is one.
type BatchInbound interface {
	Inbound
	HandleBatch(ctx context.Context, msgs []Message, cp ...Checkpoint) (errs []error)
}

// Checkpoint is where a platform's stream resumes (Telegram's update offset),
// stored with the batch it follows: in the same transaction, so it names
// exactly what is committed. Key is an entry of the database's kv table.
type Checkpoint struct {
	Key string
	// Value is told how many leading messages of the batch were handled (the
	// first failure stops the count) and returns the value to store; ok false
	// stores nothing.
	Value func(handled int) (value string, ok bool)
}

// Adapter connects one chat platform.
type Adapter interface {
	// Platform is the adapter's platform name.
	Platform() string
	// Run receives messages and passes them to in until ctx is done or the
	// platform ends; it returns nil on a normal end.
	Run(ctx context.Context, in Inbound) error
	// Send delivers one message. It returns a *RetryAfterError when the
	// platform asks to slow down, an error wrapping ErrPermanent when the
	// message can never be delivered, a *ChatMovedError when the chat has a new key.
	Send(ctx context.Context, m Outgoing) (Sent, error)
	// Limits is the platform's pacing.
	Limits() Limits
}

// Editor is implemented by adapters that can edit a message they sent (Telegram).
// On other platforms an edit (a post with an EditRef, such as a poll's live
// tally) is not sent at all: posting it anew would only add noise.
type Editor interface {
	CanEdit() bool
}

func canEdit(a Adapter) bool {
	e, ok := a.(Editor)
	return ok && e.CanEdit()
}

// ErrPermanent marks a send error that retrying will not fix.
var ErrPermanent = errors.New("permanent send error")

// RetryAfterError asks the dispatcher to wait before sending to the chat again.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("retry after %s: %v", e.After, e.Err)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// ChatMovedError reports that a chat has a new key (a Telegram group that became
// a supergroup). The dispatcher moves the group and its pending messages.
type ChatMovedError struct {
	NewChat string
}

func (e *ChatMovedError) Error() string { return "chat moved to " + e.NewChat }
