package requests

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// lapsedGrace is how long after a question lapsed a "是" is still taken as its
// late answer.
const lapsedGrace = 2 * time.Hour

// LateAnswer is the text handler for a "是" that comes after the bot's question
// lapsed. Silence would let an elderly resident believe the repair is
// registered: she is told it is not, and what to send. The lapsed question is
// then forgotten, so she is told once.
func (h *Handlers) LateAnswer(c *bot.Context) error {
	if !containsString(yes, strings.ToLower(strings.Trim(c.Parsed.Text, " .!,~"))) {
		return bot.ErrPass
	}
	var groupID int64
	if c.Group != nil {
		groupID = c.Group.ID
	}
	conv, err := c.Tx.FindLapsedConversation(groupID, c.Person.ID, lapsedGrace)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && conv.Kind != ConvConfirm && conv.Kind != ConvDetail) {
		return bot.ErrPass
	}
	if err != nil {
		return err
	}
	var d draft
	if err := json.Unmarshal([]byte(conv.Data), &d); err != nil {
		return fmt.Errorf("requests: lapsed conversation data: %w", err)
	}
	if err := c.Tx.EndConversation(groupID, c.Person.ID); err != nil {
		return err
	}
	return c.Reply(prompts.RequestsConfirmLapsed, map[string]any{"Kind": d.Kind, "Text": d.Text})
}
