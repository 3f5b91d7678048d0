package polls

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Vote answers 投/vote: "投 2", "投 1 3", "投 P3 2" (and a button's "vote P3 2"),
// and options named in everyday words (choice.go): "投 第2个", "投 二", "投 ②",
// "投 B", "投 现代廊架".
func (h *Handlers) Vote(c *bot.Context) error {
	ref, words := splitRef(c.Args)
	if !numericChoices(words, maxLetterChoices) && c.Command != nil && strings.HasPrefix(c.Parsed.Word, c.Command.Name) && c.Parsed.Word != c.Command.Name {
		// "#投诉 …" is another word that starts with 投, not a vote.
		return bot.Refuse(prompts.UnknownCommand, map[string]string{"Word": c.Parsed.Word, "Closest": ""})
	}
	if words == "" || malformedNumber(words) {
		return bot.Refuse(prompts.PollVoteUsage, nil)
	}
	p, err := targetPollOf(c, ref, false, storage.PollChoice)
	if err != nil {
		return err
	}
	if p.Kind == storage.PollScored {
		return bot.Refuse(prompts.ScoredNotAVote, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	groupID, err := electorGroup(c, p)
	if err != nil {
		return err
	}
	nums, trouble := resolveChoices(p.Options, words)
	if trouble != nil {
		return refuseChoice(p, trouble)
	}
	choices, err := checkChoices(p, nums)
	if err != nil {
		return err
	}
	voter, ballot, err := keys(c.Tx, c.Person, p)
	if err != nil {
		return err
	}
	_, voted, err := ownVote(c, p, voter)
	if err != nil {
		return err
	}
	if err := sealedBallot(c, p, voted, ballot); err != nil {
		return err
	}
	castAt := c.Now()
	if p.Anonymous {
		castAt = p.CreatedAt // a ballot's time would point at its voter
	}
	v := storage.PollVoter{PollID: p.ID, VoterKey: voter, PersonID: c.Person.ID, GroupID: groupID}
	replaced, err := c.Tx.CastBallot(v, ballot, choices, castAt)
	if err != nil {
		return err
	}
	action := storage.AckVote
	if replaced && voted { // not when it replaced the household's paper ballot
		action = storage.AckChange
	}
	if err := c.Tx.AddPollAck(p.ID, groupID, c.Person.ID, action); err != nil {
		return err
	}
	if !receiptWanted(c) {
		return nil // the group hears of it in the next coalesced acknowledgement
	}
	chosen := make([]Option, len(choices))
	for i, n := range choices {
		chosen[i] = Option{Index: n, Text: p.Options[n-1]}
	}
	return answerPrivately(c, p, bot.Post{Template: prompts.PollReceipt,
		Data: map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Choices": chosen, "Changed": replaced && voted}})
}

// receiptWanted reports whether a vote is answered at once: in a private chat,
// and for a button press (answered privately, see answerPrivately). In a group,
// votes are acknowledged in batches so a busy vote stays a quiet group.
func receiptWanted(c *bot.Context) bool { return c.Group == nil || c.Msg.CallbackID != "" }

// checkChoices validates option numbers against a poll and returns them sorted
// without repeats.
func checkChoices(p storage.Poll, nums []int) ([]int, error) {
	var out []int
	for _, n := range nums {
		if n < 1 || n > len(p.Options) {
			return nil, bot.Refuse(prompts.PollInvalidOption, map[string]any{"Ref": Ref(p.ID), "N": n, "Max": len(p.Options)})
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) > p.MaxChoices {
		return nil, bot.Refuse(prompts.PollTooMany, map[string]any{"Ref": Ref(p.ID), "Max": p.MaxChoices, "Got": len(out)})
	}
	slices.Sort(out)
	return out, nil
}

// targetPoll finds the poll a command means: the named one, or the one open poll
// of this group (of the sender's groups, in a private chat). closedOK allows a
// named poll that has closed.
func targetPoll(c *bot.Context, ref int64, closedOK bool) (storage.Poll, error) {
	return targetPollOf(c, ref, closedOK, "")
}

// targetPollOf is targetPoll among the polls of one kind ("" for any): "投 2"
// in a group with a poll and an evaluation open means the poll.
func targetPollOf(c *bot.Context, ref int64, closedOK bool, kind string) (storage.Poll, error) {
	if ref != 0 {
		p, err := c.Tx.FindPoll(c.Community.ID, ref)
		if errors.Is(err, storage.ErrNotFound) {
			return p, bot.Refuse(prompts.PollNotFound, map[string]string{"Ref": Ref(ref)})
		}
		if err == nil && (!p.Open() || expired(p, c.Now())) && !closedOK {
			return p, bot.Refuse(byKind(p, prompts.PollIsClosed, prompts.ScoredIsClosed), map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
		}
		return p, err
	}
	var open []storage.Poll
	var err error
	if c.Group != nil {
		open, err = c.Tx.OpenPollsInGroup(c.Group.ID)
	} else {
		open, err = c.Tx.OpenPollsOfMember(c.Community.ID, c.Person.ID)
	}
	if kind != "" {
		open = slices.DeleteFunc(open, func(p storage.Poll) bool { return p.Kind != kind })
	}
	open, ended := dropExpired(open, c.Now())
	switch {
	case err != nil:
		return storage.Poll{}, err
	case len(open) == 0 && c.Group != nil:
		// "投 2" just after the close: say it closed rather than that nothing is open.
		last, err := justClosed(c, ended)
		if errors.Is(err, storage.ErrNotFound) {
			return last, bot.Refuse(prompts.PollNoneOpen, nil)
		}
		if err != nil {
			return last, err
		}
		if closedOK {
			return last, nil
		}
		return last, bot.Refuse(byKind(last, prompts.PollIsClosed, prompts.ScoredIsClosed), map[string]string{"Ref": Ref(last.ID), "Title": last.Title})
	case len(open) == 0:
		return storage.Poll{}, bot.Refuse(prompts.PollNoneOpen, nil)
	case len(open) > 1:
		var list []map[string]string
		for _, p := range open {
			list = append(list, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
		}
		return storage.Poll{}, bot.Refuse(prompts.PollWhich, map[string]any{"Polls": list, "Command": commandWord(c)})
	}
	return open[0], nil
}

func commandWord(c *bot.Context) string {
	if c.Command == nil {
		return ""
	}
	if c.Lang == "en" && c.Command.ASCII() != "" {
		return c.Command.ASCII()
	}
	return c.Command.Name
}

// electorGroup returns the group of the poll's scope the sender votes through
// (this one if it is in scope), or refuses a sender outside the electorate.
func electorGroup(c *bot.Context, p storage.Poll) (int64, error) {
	var here int64
	if c.Group != nil {
		here = c.Group.ID
	}
	g, err := c.Tx.PollMemberGroup(p.ID, c.Person.ID, here)
	if errors.Is(err, storage.ErrNotFound) {
		return 0, bot.Refuse(prompts.PollOutOfScope, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	return g, err
}

// voterKey is who a vote counts for: the person, or their household. In a
// household poll, someone who already voted keeps voting for the household they
// voted for: registering another room never yields a second vote.
func voterKey(tx *storage.Tx, person storage.Person, p storage.Poll) (string, error) {
	if !p.PerHousehold {
		return "p:" + strconv.FormatInt(person.ID, 10), nil
	}
	if key, err := tx.PollVoterKeyOf(p.ID, person.ID); err == nil {
		return key, nil
	} else if !errors.Is(err, storage.ErrNotFound) {
		return "", err
	}
	room := strings.TrimSpace(person.Room)
	if room == "" {
		return "", bot.Refuse(prompts.PollNoRoom, map[string]string{"Ref": Ref(p.ID)})
	}
	return "h:" + room, nil
}

// keys are a person's voter key and ballot key in an open poll.
func keys(tx *storage.Tx, person storage.Person, p storage.Poll) (voter, ballot string, err error) {
	if voter, err = voterKey(tx, person, p); err != nil {
		return "", "", err
	}
	ballot, err = ballotKey(tx, p, voter)
	return voter, ballot, err
}

func secretKey(pollID int64) string { return storage.PollSecretKey(pollID) }

// ballotKey is where a voter's choices are filed: the voter key of a named poll;
// for an anonymous poll an HMAC of it under the poll's secret, which only
// exists while the poll is open.
func ballotKey(tx *storage.Tx, p storage.Poll, voter string) (string, error) {
	if !p.Anonymous {
		return voter, nil
	}
	secret, err := tx.Value(secretKey(p.ID))
	if errors.Is(err, storage.ErrNotFound) && p.Open() {
		// Restored from a backup, which never carries ballot secrets: new
		// ballots get a new secret; earlier ones can no longer be found (sealedBallot).
		secret = rand.Text()
		err = tx.SetValue(secretKey(p.ID), secret)
	}
	if err != nil {
		return "", fmt.Errorf("poll %d secret: %w", p.ID, err)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(voter))
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// Unvote answers 撤票/unvote [ID]: the sender's vote is withdrawn.
func (h *Handlers) Unvote(c *bot.Context) error {
	p, err := pollArg(c, false, false)
	if err != nil {
		return err
	}
	voter, ballot, err := keys(c.Tx, c.Person, p)
	if err != nil {
		return err
	}
	v, voted, err := ownVote(c, p, voter)
	if err != nil {
		return err
	}
	if !voted {
		return bot.Refuse(prompts.PollNotVoted, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	if err := sealedBallot(c, p, voted, ballot); err != nil {
		return err
	}
	if _, err := c.Tx.WithdrawBallot(p.ID, voter, ballot); err != nil {
		return err
	}
	if err := c.Tx.AddPollAck(p.ID, v.GroupID, c.Person.ID, storage.AckWithdraw); err != nil {
		return err
	}
	if !receiptWanted(c) {
		return nil
	}
	return answerPrivately(c, p, bot.Post{Template: prompts.PollWithdrawn, Data: map[string]string{"Ref": Ref(p.ID), "Title": p.Title}})
}

// pollArg finds the poll a command's argument names (see targetPoll); required
// refuses a missing ID.
func pollArg(c *bot.Context, required, closedOK bool) (storage.Poll, error) {
	ref, ok := optionalRef(c.Args)
	if !ok || (required && ref == 0) {
		return storage.Poll{}, bot.Refuse(prompts.PollRefUsage, map[string]string{"Command": commandWord(c)})
	}
	return targetPoll(c, ref, closedOK)
}

// optionalRef reads an optional poll ID argument.
func optionalRef(args string) (int64, bool) {
	args = strings.TrimSpace(args)
	if args == "" {
		return 0, true
	}
	return bot.ParseRef(args, RefPrefix)
}

// MyVote answers 我的投票/myvote [ID]: what the sender chose, told to them
// alone (asked in a group, the group hears only that the answer went privately).
// A household vote cast by someone else is not shown.
func (h *Handlers) MyVote(c *bot.Context) error {
	p, err := pollArg(c, false, true)
	if err != nil {
		return err
	}
	if p.Kind == storage.PollScored {
		return h.MyScore(c) // a score sheet, not choices
	}
	voter, err := voterKey(c.Tx, c.Person, p)
	if err != nil {
		return err
	}
	data := map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Open": p.Open(), "Voted": false, "Sealed": false,
		"ByOther": false, "Choices": []Option(nil)}
	v, err := c.Tx.FindPollVoter(p.ID, voter)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return answerPrivately(c, p, bot.Post{Template: prompts.PollMyVote, Data: data})
	case err != nil:
		return err
	}
	data["Voted"] = true
	if v.PersonID != c.Person.ID || v.Source == storage.SourcePaper {
		data["ByOther"] = true // only the one who cast a vote may read it; a paper ballot is nobody's to read
		return answerPrivately(c, p, bot.Post{Template: prompts.PollMyVote, Data: data})
	}
	if p.Anonymous && !p.Open() {
		data["Sealed"] = true // the key that linked the ballot to its voter is gone
		return answerPrivately(c, p, bot.Post{Template: prompts.PollMyVote, Data: data})
	}
	ballot, err := ballotKey(c.Tx, p, voter)
	if err != nil {
		return err
	}
	nums, err := c.Tx.FindBallot(p.ID, ballot)
	if errors.Is(err, storage.ErrNotFound) && p.Anonymous {
		data["Sealed"] = true // restored from a backup without the secret
		return answerPrivately(c, p, bot.Post{Template: prompts.PollMyVote, Data: data})
	}
	if err != nil {
		return err
	}
	var chosen []Option
	for _, n := range nums {
		chosen = append(chosen, Option{Index: n, Text: p.Options[n-1]})
	}
	data["Choices"] = chosen
	return answerPrivately(c, p, bot.Post{Template: prompts.PollMyVote, Data: data})
}
