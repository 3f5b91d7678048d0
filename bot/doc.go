// Package bot is Qiao's platform-neutral core.
//
// Adapters (console, Telegram, WeChat) turn platform events into a Message and
// hand it to the Engine. The Engine, in one storage transaction, drops messages it
// has seen, finds the group and the person, parses the command and calls the
// handler registered on the Mux; the handler changes state and enqueues its
// replies through the Context on the same transaction. After the commit the
// Dispatcher sends the outbox through the adapters under each platform's limits.
//
// bot knows nothing of suggestions or polls; handlers know nothing of platforms.
package bot
