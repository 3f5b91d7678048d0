package bot

import (
	"fmt"
	"runtime/debug"

	"github.com/qiao-community/qiao/prompts"
)

// Recover turns a handler's panic into an error, logged with its stack: the
// Engine then rolls the message back and answers with the internal-error
// prompt, and the bot keeps running. Install it first, so it wraps the rest.
func Recover(next HandlerFunc) HandlerFunc {
	return func(c *Context) (err error) {
		defer func() {
			if p := recover(); p != nil {
				name := ""
				if c.Command != nil {
					name = c.Command.ASCII()
				}
				c.Log.Error("handler panic", "command", name, "panic", p, "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return next(c)
	}
}

// Authorize refuses a command whose Permission does not allow the sender,
// naming who may use it. The refusal rolls back and answers like any other.
func Authorize(next HandlerFunc) HandlerFunc {
	return func(c *Context) error {
		cmd := c.Command
		if cmd == nil || cmd.Allow == nil || cmd.Allow.Allow(c) {
			return next(c)
		}
		who, err := c.Outbox.Render(c.Lang, cmd.Allow.Who, nil)
		if err != nil {
			return err
		}
		return Refuse(prompts.Forbidden, map[string]string{"Command": commandName(c.Lang, cmd), "Who": who})
	}
}

// commandName is how a command is shown to a person: the Chinese name, or the
// ASCII name in English.
func commandName(lang string, c *Command) string {
	if lang == "en" && c.ASCII() != "" {
		return c.ASCII()
	}
	return c.Name
}
