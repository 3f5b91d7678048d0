// Package bot is Qiao's platform-neutral core.
//
// Adapters (console, Telegram, WeChat) turn platform events into a Message and
// hand it to the Engine. The Mux alone decides where a message goes
// (Mux.Route: a command, an unknown or over-long command to refuse, another
// bot's command to ignore, or free text); `qiao parse` calls the same function.
// The Engine, in one storage transaction, holds back flooders, drops messages it
// has seen, finds the group and the person, and has the Mux run the handler
// (Mux.Serve) inside the middleware installed with Use: Recover, Authorize.
// The handler changes state and enqueues its replies through the Context on the
// same transaction. After the commit the Dispatcher sends the outbox through the
// adapters under each platform's limits.
//
// bot knows nothing of suggestions or polls, nor who may use what (the role
// rules are in handlers/roles); handlers know nothing of platforms.
package bot
