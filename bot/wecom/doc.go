// Package wecom connects Qiao to WeCom (企业微信) for staff, grid workers and
// departments, through WeCom's official bot interfaces (it is the only package
// that speaks them).
//
// Adapter is the 智能机器人 over its long connection (a WebSocket, document
// 101463): it subscribes with the bot id and secret, sends a heartbeat every
// ping_seconds, and reconnects with a growing wait when the connection drops.
// A refused subscription is retried a few times, then Run returns the error
// (a wrong secret does not fix itself). When WeCom says another connection took
// the bot over (disconnected_event), the adapter stops for good and calls
// Options.Displaced: two processes with one bot would otherwise displace each
// other forever.
//
// A message callback becomes a bot.Message whose identity is the sender's
// userid, assigned by the WeCom admin and not choosable by the person. In a
// group the bot sees only messages that @ it, so every message is Addressed
// and the leading @mention is removed; a single chat is keyed by the userid.
// WeCom does not deliver a callback twice, so a message the engine refuses is
// logged and lost.
//
// Sending uses aibot_send_msg with markdown (one API for replies and pushes),
// split at 4,096 bytes; buttons become commands to type. Errcode 45009 (too
// frequent) becomes *bot.RetryAfterError of a minute, -1 (busy) and a lost
// connection plain errors the dispatcher retries, any other errcode
// bot.ErrPermanent.
//
// Webhook is the send-only group robot (消息推送): one key per group, text
// split at 2,048 bytes, paced under its 20 messages a minute.
package wecom
