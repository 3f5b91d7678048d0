// Package telegram connects Qiao to Telegram through the Bot API
// (github.com/go-telegram/bot, the only package that imports it).
//
// Receiving. The library's own polling loop confirms an update before its
// handler runs and its webhook handler answers 200 before processing, so a
// crash at the wrong moment loses an update. The adapter therefore runs its own
// getUpdates loop and its own webhook handler: an update is confirmed to
// Telegram (the next getUpdates offset, or the webhook's 200) only after
// bot.Inbound.Handle returned nil, that is after the engine committed it. A
// crash between commit and confirmation makes Telegram deliver the update
// again; the engine's dedupe (chat and message id, or callback id) then skips
// it. The last committed update id is kept in an OffsetStore across restarts.
//
// Sending. Texts are sent as HTML with every character of the rendered text
// escaped, so user text such as "<b>&" arrives literally; a message addressed
// to a person starts with a mention link. Texts over 4096 UTF-16 units are
// split at line ends; buttons go on the last part, and the Sent id of a split
// post is the last message's id with the number of parts before it ("101/1").
// Outgoing.EditID edits a message (a poll's tally) at most once every EditGap:
// the message holding a split post's last part gets the new text's rest, and a
// text that outgrew one message keeps its head and end (where the turnout is).
// Inline buttons are sent as text and callback_data only (the library's type
// adds an empty copy_text that Telegram refuses). An anonymous group admin
// speaks as the group: user "anon:<chat id>", which no config entry can name.
//
// Button presses. A press becomes a bot.Message with Callback and CallbackID.
// The reply carrying the CallbackID answers it with answerCallbackQuery: a
// short reply is shown only as a toast to the person who pressed (nothing is
// posted into the group, so it costs none of the group's rate); a longer one
// is posted as well. Toasts are not posts, so the dispatcher sends them ahead
// of the chat's pacing (see bot.Dispatcher). A press nobody answered within
// CallbackGrace is answered with an empty toast so the client stops waiting.
//
// Errors from Send follow bot.Adapter: a 429 becomes *bot.RetryAfterError with
// Telegram's retry_after, a migrated group *bot.ChatMovedError, a 403 (the bot
// was removed) or a 400 (a request Telegram will never accept) wraps
// bot.ErrPermanent, and anything else (5xx, network) is a plain error that the
// dispatcher retries with back-off.
package telegram
