package polls

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// NumberHint answers a bare option number ("2", "②", "第2个") sent without a
// command while a poll is open: the sender most likely meant to vote, and
// silence would let them believe they had. It is never counted (a number in a
// chat may mean anything); they are told what to send, once per poll, so a
// group hears it once per person.
func (h *Handlers) NumberHint(c *bot.Context) error {
	text := strings.TrimSpace(c.Parsed.Text)
	if c.Msg.Callback != "" || text == "" || utf8.RuneCountInString(text) > 6 {
		return bot.ErrPass
	}
	var open []storage.Poll
	var err error
	if c.Group != nil {
		open, err = c.Tx.OpenPollsInGroup(c.Group.ID)
	} else {
		open, err = c.Tx.OpenPollsOfMember(c.Community.ID, c.Person.ID)
	}
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	var fits []storage.Poll
	for _, p := range open {
		if p.Kind == storage.PollScored || !numericChoices(text, len(p.Options)) { // scores are not votes
			continue
		}
		if nums, trouble := resolveChoices(p.Options, text); trouble == nil && len(nums) > 0 && inRange(nums, len(p.Options)) {
			fits = append(fits, p)
		}
	}
	if len(fits) == 0 {
		return bot.ErrPass
	}
	p := fits[0]
	data := map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "N": text, "Several": len(open) > 1}
	err = c.ReplyPost(bot.Post{Template: prompts.PollNumberHint, Data: data,
		DedupeKey: fmt.Sprintf("vote-hint:%d:%d", p.ID, c.Person.ID)})
	if errors.Is(err, storage.ErrDuplicate) {
		return nil // told once already
	}
	return err
}

func inRange(nums []int, count int) bool {
	for _, n := range nums {
		if n < 1 || n > count {
			return false
		}
	}
	return true
}
