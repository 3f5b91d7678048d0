package polls

import (
	"errors"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// scrubKey marks the outbox rows that carry an anonymous poll's choices: they
// are blanked once delivered and deleted at the close (see closePoll).
func scrubKey(p storage.Poll) string {
	if !p.Anonymous {
		return ""
	}
	return "poll:" + Ref(p.ID)
}

// answerPrivately sends a post that says what someone chose to them alone. In a
// private chat it is the reply. In a group, a button press is answered with a
// toast where the platform has them; the text is addressed to the person, so a
// press too old to answer falls back to a private message, never to the group.
// A typed command in a group gets the answer privately and the group a short
// "sent privately" note (without any choice).
func answerPrivately(c *bot.Context, p storage.Poll, post bot.Post) error {
	post.Scrub = scrubKey(p)
	if c.Group == nil {
		return c.ReplyPost(post)
	}
	if post.Lang == "" {
		post.Lang = c.Lang
	}
	post.CallbackID = c.Msg.CallbackID
	if err := c.Notify(c.Person, post); err != nil {
		return err
	}
	if c.Msg.CallbackID != "" {
		return nil
	}
	return c.Reply(prompts.PollSentPrivately, map[string]string{"Ref": Ref(p.ID)})
}

// liveResultsHidden reports whether an open poll's counts are withheld: when
// it says so (结果截止后公布), and always for anonymous polls, where counts
// read before and after an acknowledgement naming one voter would give away
// that voter's choice by difference.
func liveResultsHidden(p storage.Poll) bool { return p.Open() && (p.HideResults || p.Anonymous) }

// ownVote checks that the vote filed under voter, if any, was cast by the
// sender: in a household poll nobody sees, changes or withdraws a vote a
// housemate (or someone claiming the same flat) cast. It returns the vote and
// whether there is one.
func ownVote(c *bot.Context, p storage.Poll, voter string) (storage.PollVoter, bool, error) {
	v, err := c.Tx.FindPollVoter(p.ID, voter)
	if errors.Is(err, storage.ErrNotFound) {
		return v, false, nil
	}
	if err != nil {
		return v, false, err
	}
	if v.Source == storage.SourcePaper {
		return v, false, nil // online wins over paper: this vote replaces the household's paper ballot
	}
	if v.PersonID != c.Person.ID {
		return v, true, bot.Refuse(prompts.PollHouseholdTaken, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	return v, true, nil
}

// sealedBallot refuses to change or withdraw an anonymous vote whose ballot
// cannot be found under the poll's current secret: the database was restored
// from a backup, which never carries ballot secrets. Counting it again would
// give its voter two ballots.
func sealedBallot(c *bot.Context, p storage.Poll, voted bool, ballot string) error {
	if !p.Anonymous || !voted {
		return nil
	}
	if _, err := c.Tx.FindBallot(p.ID, ballot); errors.Is(err, storage.ErrNotFound) {
		return bot.Refuse(prompts.PollBallotSealed, map[string]string{"Ref": Ref(p.ID)})
	} else if err != nil {
		return err
	}
	return nil
}
