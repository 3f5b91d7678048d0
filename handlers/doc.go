// Package handlers is the home of Qiao's capabilities, one subpackage each:
// help (commands and language), requests (suggestions, needs, repairs,
// complaints and their workflow), and more as they come. Handlers get a
// *bot.Context, change state through its storage transaction and answer through
// its outbox; they know nothing of chat platforms.
package handlers
