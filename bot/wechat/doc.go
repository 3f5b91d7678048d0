// Package wechat connects Qiao to WeChat group chats through a personal
// account logged in to web WeChat (desktop/UOS mode) with openwechat. It is the
// only package that imports openwechat.
//
// Web WeChat is fragile: logins are refused or kicked, every @ id changes at
// each login, and accounts that send fast are restricted. The adapter
// therefore keys groups by their configured name and people by their
// nickname (never by @ ids), sends slowly with jitter, keeps every message in
// the outbox while WeChat is away, re-logs in with back-off, and publishes a bot.ChannelEvent
// when something went wrong (a handler decides who is told).
package wechat
