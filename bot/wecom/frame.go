package wecom

import "encoding/json"

// The long connection's commands (developer.work.weixin.qq.com document 101463).
const (
	cmdSubscribe     = "aibot_subscribe"
	cmdPing          = "ping"
	cmdMsgCallback   = "aibot_msg_callback"
	cmdEventCallback = "aibot_event_callback"
	cmdSendMsg       = "aibot_send_msg"
	// eventDisconnected tells the old connection that a newer one took the bot.
	eventDisconnected = "disconnected_event"
)

// Frame is one JSON message on the long connection in either direction. A
// request carries cmd; its answer echoes the req_id with errcode and no cmd.
type Frame struct {
	Cmd     string          `json:"cmd,omitempty"`
	Headers Headers         `json:"headers"`
	Body    json.RawMessage `json:"body,omitempty"`
	ErrCode int             `json:"errcode,omitempty"`
	ErrMsg  string          `json:"errmsg,omitempty"`
}

// Headers carry the request id that pairs a request with its answer.
type Headers struct {
	ReqID string `json:"req_id"`
}

// SubscribeBody authenticates the connection.
type SubscribeBody struct {
	BotID  string `json:"bot_id"`
	Secret string `json:"secret"`
}

// Callback is the body of aibot_msg_callback and aibot_event_callback.
type Callback struct {
	MsgID    string `json:"msgid"`
	AIBotID  string `json:"aibotid"`
	ChatID   string `json:"chatid,omitempty"`   // set in group chats
	ChatType string `json:"chattype,omitempty"` // "single" or "group"
	From     struct {
		UserID string `json:"userid"`
	} `json:"from"`
	CreateTime int64    `json:"create_time,omitempty"`
	MsgType    string   `json:"msgtype"`
	Text       *Content `json:"text,omitempty"`
	Quote      *Quote   `json:"quote,omitempty"`
	Event      *Event   `json:"event,omitempty"`
}

// Content is a text or markdown content.
type Content struct {
	Content string `json:"content"`
}

// Quote is the message a callback quotes.
type Quote struct {
	MsgType string   `json:"msgtype"`
	Text    *Content `json:"text,omitempty"`
}

// Event is an event callback's kind.
type Event struct {
	EventType string `json:"eventtype"`
}

// SendBody is the body of aibot_send_msg: an active push into a chat.
type SendBody struct {
	ChatID   string   `json:"chatid"`
	ChatType int      `json:"chat_type,omitempty"` // 1 single, 2 group
	MsgType  string   `json:"msgtype"`
	Markdown *Content `json:"markdown,omitempty"`
}

// Chat types of aibot_send_msg.
const (
	chatTypeSingle = 1
	chatTypeGroup  = 2
)
