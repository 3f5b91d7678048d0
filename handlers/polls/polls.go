// Package polls runs polls and elections in group chats: captains, grid workers
// and staff start them (投票/poll), people vote (投/vote), change or withdraw
// their vote, and read results; a scheduled job (Jobs.Tick) acknowledges votes
// in batches, reminds before the deadline and closes polls on time.
//
// Anonymous polls keep who voted (for one vote per person and for turnout) apart
// from what was chosen: a ballot's key is an HMAC of the voter under a per-poll
// secret that is deleted when the poll closes.
package polls

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// RefPrefix is the prefix of poll IDs people see: P3.
const RefPrefix = "P"

// Ref is the ID people see for a poll.
func Ref(id int64) string { return bot.FormatRef(RefPrefix, id) }

// Handlers serves the poll commands.
type Handlers struct {
	Config Config
}

// Option is a numbered option, as templates show it.
type Option struct {
	Index int
	Text  string
}

func options(texts []string) []Option {
	out := make([]Option, len(texts))
	for i, t := range texts {
		out[i] = Option{Index: i + 1, Text: t}
	}
	return out
}

var (
	refRE    = regexp.MustCompile(`^[Pp]\d{1,12}$`)
	numberRE = regexp.MustCompile(`^\d{1,4}$`)
	splitRE  = regexp.MustCompile(`[\s,;]+`)
)

// Poll answers 投票/poll: a new poll from its text, or — "投票 P3 2" — a vote
// on a named poll.
func (h *Handlers) Poll(c *bot.Context) error {
	if IsVote(c.Args) {
		return h.Vote(c)
	}
	if c.Args == "" {
		return bot.Refuse(prompts.PollUsage, nil)
	}
	if !c.IsLeaderHere() {
		return bot.Refuse(prompts.PollForbidden, nil)
	}
	loc := location(c.Community.Timezone)
	spec := ParseSpec(c.Args, c.RawArgs(), c.Now(), loc, h.Config.limits())
	if !spec.Deadline.IsZero() && spec.Deadline.Sub(c.Now()) > h.Config.MaxDuration {
		spec.problem(Problem{Code: "far_deadline", N: int(h.Config.MaxDuration.Hours() / 24)})
	}
	groups, err := resolveScope(c, spec.Scope, &spec)
	if err != nil {
		return err
	}
	if len(spec.Problems) > 0 {
		return bot.Refuse(prompts.PollMalformed, malformedData(spec, loc))
	}
	for _, g := range groups {
		if !leads(c.Person, g) {
			return bot.Refuse(prompts.PollScopeForbidden, map[string]string{"Group": g.Name})
		}
	}
	p := storage.Poll{
		CommunityID: c.Community.ID, CreatorID: c.Person.ID, Title: spec.DisplayTitle, MaxChoices: spec.MaxChoices,
		Anonymous: spec.Anonymous, PerHousehold: spec.PerHousehold, HideResults: spec.HideResults,
		Deadline: spec.Deadline, Options: spec.DisplayOptions,
	}
	if c.Group != nil {
		p.GroupID = c.Group.ID
	}
	for _, g := range groups {
		p.GroupIDs = append(p.GroupIDs, g.ID)
	}
	if p.ID, err = c.Tx.CreatePoll(p); err != nil {
		return err
	}
	p.State, p.CreatedAt = storage.PollOpen, c.Now()
	if p.Anonymous {
		if err := c.Tx.SetValue(secretKey(p.ID), rand.Text()); err != nil {
			return err
		}
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
		if err := announce(c, p, g, loc); err != nil {
			return err
		}
	}
	return c.Reply(prompts.PollCreated, map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Groups": names,
		"HasDeadline": !p.Deadline.IsZero(), "Deadline": p.Deadline.In(loc)})
}

// IsVote reports whether the text after 投票 is a vote on a named poll
// ("P3 2") rather than a new poll (which has options on further lines).
func IsVote(args string) bool {
	first := splitRE.Split(strings.TrimSpace(args), 2)[0]
	return !strings.Contains(args, "\n") && refRE.MatchString(first)
}

// announce posts a new poll into one group, with a button per option.
func announce(c *bot.Context, p storage.Poll, g storage.Group, loc *time.Location) error {
	post, err := announcement(c.Outbox, c.Outbox.GroupLang(c.Tx, g), p, loc)
	if err != nil {
		return err
	}
	post.Ref = announcementRef(p, g)
	return c.Post(g, post)
}

// announcement is a poll's announcement with its buttons; the polls job posts
// it again as an edit with the live turnout where the platform can edit.
func announcement(out *bot.Outbox, lang string, p storage.Poll, loc *time.Location) (bot.Post, error) {
	var buttons [][]bot.Button
	for _, o := range options(p.Options) {
		label, err := out.Render(lang, prompts.PollButton, o)
		if err != nil {
			return bot.Post{}, err
		}
		buttons = append(buttons, []bot.Button{{Text: label, Data: fmt.Sprintf("vote %s %d", Ref(p.ID), o.Index)}})
	}
	data := pollData(p, loc)
	data["Options"] = options(p.Options)
	data["Live"] = false
	return bot.Post{Template: prompts.PollAnnounce, Data: data, Buttons: buttons}, nil
}

// announcementRef names a poll's announcement in one group, for later edits.
func announcementRef(p storage.Poll, g storage.Group) string {
	return fmt.Sprintf("poll:%s:G%d", Ref(p.ID), g.ID)
}

// pollData is what every poll template may show about a poll.
func pollData(p storage.Poll, loc *time.Location) map[string]any {
	return map[string]any{
		"Ref": Ref(p.ID), "Title": p.Title, "MaxChoices": p.MaxChoices, "Anonymous": p.Anonymous,
		"PerHousehold": p.PerHousehold, "HideResults": p.HideResults, "HasDeadline": !p.Deadline.IsZero(),
		"Deadline": p.Deadline.In(loc), "Closed": !p.Open(), "Example": exampleChoices(p.MaxChoices),
	}
}

func exampleChoices(n int) string {
	if n > 1 {
		return "1 2"
	}
	return "1"
}

func malformedData(s Spec, loc *time.Location) map[string]any {
	return map[string]any{
		"Title": s.Title, "Options": options(s.Options), "HasDeadline": !s.Deadline.IsZero(),
		"Deadline": s.Deadline.In(loc), "MaxChoices": s.MaxChoices, "Anonymous": s.Anonymous,
		"PerHousehold": s.PerHousehold, "HideResults": s.HideResults, "Scope": s.Scope, "Problems": s.Problems,
	}
}

// scope words meaning "this group" and "the whole community".
var (
	scopeHere      = []string{"本群", "此群", "这个群", "this", "here"}
	scopeCommunity = []string{"全社区", "社区", "全部", "所有群", "community", "all"}
)

// resolveScope turns the names of a 范围 setting into groups: this group, a group
// (key or name), a building (every group of it), a grid (every group in it) or
// the community (every building, grid and compound group). Unknown names become
// problems of spec.
func resolveScope(c *bot.Context, names []string, spec *Spec) ([]storage.Group, error) {
	if len(names) == 0 {
		if c.Group == nil {
			spec.problem(Problem{Code: "no_scope"})
			return nil, nil
		}
		return []storage.Group{*c.Group}, nil
	}
	all, err := c.Tx.Groups(c.Community.ID)
	if err != nil {
		return nil, err
	}
	buildings, err := c.Tx.Buildings(c.Community.ID)
	if err != nil {
		return nil, err
	}
	grids, err := c.Tx.Grids(c.Community.ID)
	if err != nil {
		return nil, err
	}
	picked := map[int64]bool{}
	pick := func(match func(g storage.Group) bool) bool {
		found := false
		for _, g := range all {
			if match(g) {
				picked[g.ID], found = true, true
			}
		}
		return found
	}
	residential := func(g storage.Group) bool {
		return g.Kind == storage.GroupBuilding || g.Kind == storage.GroupGrid || g.Kind == storage.GroupCompound
	}
	for _, name := range names {
		lower := strings.ToLower(name)
		switch {
		case slices.Contains(scopeHere, lower):
			if c.Group == nil {
				spec.problem(Problem{Code: "no_scope"})
				continue
			}
			picked[c.Group.ID] = true
		case slices.Contains(scopeCommunity, lower):
			pick(residential)
		case pick(func(g storage.Group) bool { return g.Key == name || g.Name == name }):
		case pick(func(g storage.Group) bool {
			for _, b := range buildings {
				if (b.Key == name || b.Name == name) && g.Building == b.Key && residential(g) {
					return true
				}
			}
			return false
		}):
		case pick(func(g storage.Group) bool {
			for _, gr := range grids {
				if (gr.Key == name || gr.Name == name) && g.Grid == gr.Key && residential(g) {
					return true
				}
			}
			return false
		}):
		default:
			spec.problem(Problem{Code: "unknown_scope", Text: name})
		}
	}
	var out []storage.Group
	for _, g := range all {
		if picked[g.ID] {
			out = append(out, g)
		}
	}
	return out, nil
}

// leads reports whether a person may start a poll in a group: staff anywhere, a
// captain in the groups of their building, a grid worker in the groups of their grid.
func leads(p storage.Person, g storage.Group) bool {
	switch {
	case p.IsStaff():
		return true
	case g.Building != "" && p.Has(storage.RoleCaptain, g.Building):
		return true
	default:
		return g.Grid != "" && p.Has(storage.RoleGridWorker, g.Grid)
	}
}

// Vote answers 投/vote: "投 2", "投 1 3", "投 P3 2" (and a button's "vote P3 2").
func (h *Handlers) Vote(c *bot.Context) error {
	ref, nums, ok := parseVote(c.Args)
	if !ok && c.Command != nil && strings.HasPrefix(c.Parsed.Word, c.Command.Name) && c.Parsed.Word != c.Command.Name {
		// "#投诉 …" is another word that starts with 投, not a vote.
		return bot.Refuse(prompts.UnknownCommand, map[string]string{"Word": c.Parsed.Word, "Closest": ""})
	}
	if !ok || len(nums) == 0 {
		return bot.Refuse(prompts.PollVoteUsage, nil)
	}
	p, err := targetPoll(c, ref, false)
	if err != nil {
		return err
	}
	groupID, err := electorGroup(c, p)
	if err != nil {
		return err
	}
	choices, err := checkChoices(p, nums)
	if err != nil {
		return err
	}
	voter, ballot, err := keys(c.Tx, c.Person, p)
	if err != nil {
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
	if replaced {
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
	return c.Reply(prompts.PollReceipt, map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Choices": chosen, "Changed": replaced})
}

// receiptWanted reports whether a vote is answered at once: in a private chat,
// and for a button press (the platform shows the receipt privately). In a group,
// votes are acknowledged in batches so a busy vote stays a quiet group.
func receiptWanted(c *bot.Context) bool { return c.Group == nil || c.Msg.CallbackID != "" }

// parseVote reads "[P3] 1 3".
func parseVote(args string) (ref int64, nums []int, ok bool) {
	for i, f := range splitRE.Split(strings.TrimSpace(args), -1) {
		switch {
		case f == "":
		case i == 0 && refRE.MatchString(f):
			ref, _ = bot.ParseRef(f, RefPrefix)
		case numberRE.MatchString(f):
			n, _ := strconv.Atoi(f)
			nums = append(nums, n)
		default:
			return 0, nil, false
		}
	}
	return ref, nums, true
}

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
	if ref != 0 {
		p, err := c.Tx.FindPoll(c.Community.ID, ref)
		if errors.Is(err, storage.ErrNotFound) {
			return p, bot.Refuse(prompts.PollNotFound, map[string]string{"Ref": Ref(ref)})
		}
		if err == nil && (!p.Open() || expired(p, c.Now())) && !closedOK {
			return p, bot.Refuse(prompts.PollIsClosed, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
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
		return last, bot.Refuse(prompts.PollIsClosed, map[string]string{"Ref": Ref(last.ID), "Title": last.Title})
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

// voterKey is who a vote counts for: the person, or their household.
func voterKey(person storage.Person, p storage.Poll) (string, error) {
	if !p.PerHousehold {
		return "p:" + strconv.FormatInt(person.ID, 10), nil
	}
	room := strings.TrimSpace(person.Room)
	if room == "" {
		return "", bot.Refuse(prompts.PollNoRoom, map[string]string{"Ref": Ref(p.ID)})
	}
	return "h:" + room, nil
}

// keys are a person's voter key and ballot key in an open poll.
func keys(tx *storage.Tx, person storage.Person, p storage.Poll) (voter, ballot string, err error) {
	if voter, err = voterKey(person, p); err != nil {
		return "", "", err
	}
	ballot, err = ballotKey(tx, p, voter)
	return voter, ballot, err
}

func secretKey(pollID int64) string { return "polls.secret." + strconv.FormatInt(pollID, 10) }

// ballotKey is where a voter's choices are filed: the voter key of a named poll;
// for an anonymous poll an HMAC of it under the poll's secret, which only
// exists while the poll is open.
func ballotKey(tx *storage.Tx, p storage.Poll, voter string) (string, error) {
	if !p.Anonymous {
		return voter, nil
	}
	secret, err := tx.Value(secretKey(p.ID))
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
	v, err := c.Tx.FindPollVoter(p.ID, voter)
	if errors.Is(err, storage.ErrNotFound) {
		return bot.Refuse(prompts.PollNotVoted, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	if err != nil {
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
	return c.Reply(prompts.PollWithdrawn, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
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

// MyVote answers 我的投票/myvote [ID]: what the sender (or their household) chose.
func (h *Handlers) MyVote(c *bot.Context) error {
	p, err := pollArg(c, false, true)
	if err != nil {
		return err
	}
	voter, err := voterKey(c.Person, p)
	if err != nil {
		return err
	}
	data := map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Open": p.Open(), "Voted": false, "Sealed": false,
		"By": "", "Choices": []Option(nil)}
	v, err := c.Tx.FindPollVoter(p.ID, voter)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return c.Reply(prompts.PollMyVote, data)
	case err != nil:
		return err
	}
	data["Voted"] = true
	if v.PersonID != c.Person.ID {
		by, err := c.Tx.FindPerson(v.PersonID)
		if err != nil {
			return err
		}
		data["By"] = by.Name
	}
	if p.Anonymous && !p.Open() {
		data["Sealed"] = true // the key that linked the ballot to its voter is gone
		return c.Reply(prompts.PollMyVote, data)
	}
	ballot, err := ballotKey(c.Tx, p, voter)
	if err != nil {
		return err
	}
	nums, err := c.Tx.FindBallot(p.ID, ballot)
	if err != nil {
		return err
	}
	var chosen []Option
	for _, n := range nums {
		chosen = append(chosen, Option{Index: n, Text: p.Options[n-1]})
	}
	data["Choices"] = chosen
	return c.Reply(prompts.PollMyVote, data)
}

// Results answers 结果/results [ID]: counts, percentages, rank and turnout.
func (h *Handlers) Results(c *bot.Context) error {
	p, err := pollArg(c, false, true)
	if err != nil {
		return err
	}
	data, err := resultData(c.Tx, p, location(c.Community.Timezone))
	if err != nil {
		return err
	}
	if p.HideResults && p.Open() {
		return c.Reply(prompts.PollResultsHidden, data)
	}
	return c.Reply(prompts.PollResults, data)
}

// resultData tallies a poll for the result templates.
func resultData(tx *storage.Tx, p storage.Poll, loc *time.Location) (map[string]any, error) {
	counts, ballots, err := tx.TallyPoll(p.ID, len(p.Options))
	if err != nil {
		return nil, err
	}
	voters, eligible, err := tx.PollTurnout(p.ID, p.PerHousehold)
	if err != nil {
		return nil, err
	}
	r := Rank(p.Options, counts, ballots, p.MaxChoices)
	data := pollData(p, loc)
	data["Standings"], data["Winners"], data["TieAtCut"] = r.Standings, r.Winners(), r.TieAtCut
	data["Ballots"], data["Voters"], data["Eligible"] = r.Ballots, voters, eligible
	return data, nil
}

// ClosePoll answers 结束投票/closepoll ID: the creator or staff close a poll early;
// the result goes to every group of the poll.
func (h *Handlers) ClosePoll(c *bot.Context) error {
	p, err := pollArg(c, true, false)
	if err != nil {
		return err
	}
	if p.CreatorID != c.Person.ID && !c.Person.IsStaff() {
		return bot.Refuse(prompts.PollCloseForbidden, map[string]string{"Ref": Ref(p.ID)})
	}
	n, err := closePoll(c.Tx, c.Outbox, p, location(c.Community.Timezone))
	if err != nil {
		return err
	}
	return c.Reply(prompts.PollClosedNow, map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Groups": n})
}

// Turnout answers 投票率/turnout [ID] for captains, grid workers and staff: per
// group of theirs, how many voted and who has not yet — never what anyone chose.
func (h *Handlers) Turnout(c *bot.Context) error {
	p, err := pollArg(c, false, true)
	if err != nil {
		return err
	}
	rows, err := c.Tx.PollTurnoutByGroup(p.ID, p.PerHousehold, h.Config.NonVoterList)
	if err != nil {
		return err
	}
	var mine []storage.GroupTurnout
	for _, t := range rows {
		g, err := c.Tx.FindGroup(t.GroupID)
		if err != nil {
			return err
		}
		if leads(c.Person, g) {
			mine = append(mine, t)
		}
	}
	if len(mine) == 0 {
		return bot.Refuse(prompts.PollTurnoutDenied, map[string]string{"Ref": Ref(p.ID)})
	}
	voters, eligible, err := c.Tx.PollTurnout(p.ID, p.PerHousehold)
	if err != nil {
		return err
	}
	data := pollData(p, location(c.Community.Timezone))
	data["Groups"], data["Voters"], data["Eligible"] = mine, voters, eligible
	return c.Reply(prompts.PollTurnout, data)
}

// location is a community's time zone.
func location(name string) *time.Location { return bot.Location(name) }
