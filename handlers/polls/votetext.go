package polls

import (
	"errors"
	"regexp"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// maxLetterChoices is how far letters count as option numbers when the poll is
// not yet known (A–Z).
const maxLetterChoices = 26

// malformedNumberRE is a number or poll ID no option can have: "-1", "P99999999999999999".
var malformedNumberRE = regexp.MustCompile(`^(?:[Pp]\d+|[-+]\d+)(?:\s|$)`)

func malformedNumber(words string) bool { return malformedNumberRE.MatchString(words) }

// splitRef separates a leading poll ID ("P3 2") from the words naming options.
func splitRef(args string) (ref int64, words string) {
	args = strings.TrimSpace(args)
	first, rest, _ := strings.Cut(args, " ")
	if refRE.MatchString(first) {
		ref, _ = bot.ParseRef(first, RefPrefix)
		return ref, strings.TrimSpace(rest)
	}
	return 0, args
}

// refuseChoice asks back when a vote's words name several options or none.
func refuseChoice(p storage.Poll, t *choiceTrouble) error {
	name := prompts.PollChoiceUnknown
	if t.Ambiguous {
		name = prompts.PollChoiceAmbiguous
	}
	return bot.Refuse(name, map[string]any{"Ref": Ref(p.ID), "Word": t.Word, "Options": t.Candidates})
}

// VoteText takes a vote written without a command — "我投2", "我选现代廊架",
// "投第2个" — in a private chat or when the bot is addressed, if a poll the
// sender may vote in is open and the words name one of its options (or could
// name several: then they are asked which). Any other text passes to the next
// text handler ("我投诉…" is a complaint, not a vote).
func (h *Handlers) VoteText(c *bot.Context) error {
	if c.Group != nil && !c.Msg.Addressed && !c.Parsed.Mentioned {
		return bot.ErrPass
	}
	words, ok := voteText(c.Parsed.Text)
	if !ok {
		return bot.ErrPass
	}
	ref, rest := splitRef(words)
	var open []storage.Poll
	var err error
	switch {
	case ref != 0:
		var p storage.Poll
		if p, err = c.Tx.FindPoll(c.Community.ID, ref); err == nil {
			open = append(open, p)
		}
	case c.Group != nil:
		open, err = c.Tx.OpenPollsInGroup(c.Group.ID)
	default:
		open, err = c.Tx.OpenPollsOfMember(c.Community.ID, c.Person.ID)
	}
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	for _, p := range open {
		if p.Kind == storage.PollScored {
			continue // "我投3栋" is not a score sheet
		}
		if _, trouble := resolveChoices(p.Options, rest); trouble == nil || trouble.Ambiguous {
			c.Args = words
			return h.Vote(c)
		}
	}
	return bot.ErrPass
}
