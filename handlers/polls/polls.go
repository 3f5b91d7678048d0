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
	"crypto/rand"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/roles"
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
	refRE   = regexp.MustCompile(`^[Pp]\d{1,12}$`)
	splitRE = regexp.MustCompile(`[\s,;]+`)
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
	if !roles.LeadsHere(c) {
		return bot.Refuse(prompts.PollForbidden, nil)
	}
	loc := location(c.Community.Timezone)
	spec := ParseSpec(c.Args, c.RawArgs(), c.Now(), loc, h.Config.limits())
	groups, err := h.scope(c, &spec)
	if err != nil {
		return err
	}
	if len(spec.Problems) > 0 {
		return bot.Refuse(prompts.PollMalformed, malformedData(spec, loc))
	}
	p := newPoll(c, spec)
	p.Options = spec.DisplayOptions
	names, err := start(c, &p, groups, loc)
	if err != nil {
		return err
	}
	return c.Reply(prompts.PollCreated, map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Groups": names,
		"HasDeadline": !p.Deadline.IsZero(), "Deadline": p.Deadline.In(loc)})
}

// scope checks a spec's deadline against the longest allowed and returns the
// groups of its scope (unknown names become problems of the spec).
func (h *Handlers) scope(c *bot.Context, spec *Spec) ([]storage.Group, error) {
	if !spec.Deadline.IsZero() && spec.Deadline.Sub(c.Now()) > h.Config.MaxDuration {
		spec.problem(Problem{Code: "far_deadline", N: int(h.Config.MaxDuration.Hours() / 24)})
	}
	return resolveScope(c, spec.Scope, spec)
}

// newPoll is the poll a spec describes, started by the sender.
func newPoll(c *bot.Context, spec Spec) storage.Poll {
	return storage.Poll{
		CommunityID: c.Community.ID, CreatorID: c.Person.ID, Title: spec.DisplayTitle, MaxChoices: spec.MaxChoices,
		Anonymous: spec.Anonymous, PerHousehold: spec.PerHousehold, HideResults: spec.HideResults, Deadline: spec.Deadline,
	}
}

// start refuses a group of the scope the sender does not lead, then stores a
// poll (or evaluation) in its groups, gives an anonymous one its secret and
// announces it in each group. It returns the groups' names.
func start(c *bot.Context, p *storage.Poll, groups []storage.Group, loc *time.Location) ([]string, error) {
	for _, g := range groups {
		if !roles.Leads(c.Person, g) {
			return nil, bot.Refuse(prompts.PollScopeForbidden, map[string]string{"Group": g.Name})
		}
	}
	if c.Group != nil {
		p.GroupID = c.Group.ID
	}
	for _, g := range groups {
		p.GroupIDs = append(p.GroupIDs, g.ID)
	}
	var err error
	if p.ID, err = c.Tx.CreatePoll(*p); err != nil {
		return nil, err
	}
	p.State, p.CreatedAt = storage.PollOpen, c.Now()
	if p.Anonymous {
		if err := c.Tx.SetValue(secretKey(p.ID), rand.Text()); err != nil {
			return nil, err
		}
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
		if err := announce(c, *p, g, loc); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// IsVote reports whether the text after 投票 is a vote on a named poll
// ("P3 2") rather than a new poll (which has options on further lines).
func IsVote(args string) bool {
	first := splitRE.Split(strings.TrimSpace(args), 2)[0]
	return !strings.Contains(args, "\n") && refRE.MatchString(first)
}

// announce posts a new poll into one group, with a button per option.
func announce(c *bot.Context, p storage.Poll, g storage.Group, loc *time.Location) error {
	post, err := announcement(c.Tx, c.Outbox, c.Outbox.GroupLang(c.Tx, g), p, loc)
	if err != nil {
		return err
	}
	post.Ref = announcementRef(p, g)
	return c.Post(g, post)
}

// announcement is a poll's announcement with its buttons; the polls job posts
// it again as an edit with the live turnout where the platform can edit.
func announcement(tx *storage.Tx, out *bot.Outbox, lang string, p storage.Poll, loc *time.Location) (bot.Post, error) {
	if p.Kind == storage.PollScored {
		return scoredAnnouncement(tx, p, loc)
	}
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
		"Configured": false, // turnout is of a configured electorate, not only members seen
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
