// Package activities runs activities people sign up for — 义诊, 体检, 文体 —
// and meetings (板凳会, 夜谈会, 协商议事会): captains, grid workers and staff
// announce them (活动/会议, echoed for a yes before anything is posted),
// residents sign up (报名) and cancel (取消报名), a waitlist moves up on its own,
// people check in at the venue with a short code (签到), and a scheduled job
// (Jobs.Tick) reminds the day before and an hour before. Suggestions raised at
// a meeting keep it as their source; minutes (纪要) go to its groups.
package activities

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/handlers/scope"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// RefPrefix is the prefix of activity numbers people see: A2.
const RefPrefix = "A"

// Ref is the number people see for an activity.
func Ref(number int64) string { return bot.FormatRef(RefPrefix, number) }

// ConvConfirm is the conversation of an organiser asked to confirm a draft.
const ConvConfirm = "activities.confirm"

// Config tunes activities; DefaultConfig is what a deployment gets.
type Config struct {
	Reminders     []time.Duration // before the start, longest first
	CheckinBefore time.Duration   // check-in opens this long before the start
	CheckinAfter  time.Duration   // and closes this long after it
	MeetingWindow time.Duration   // #建议 in a meeting's group this long after its start counts as raised there
	MaxParty      int             // the most people one sign-up may bring
	MaxCapacity   int
	DraftTTL      time.Duration // how long a draft waits for its yes
}

// DefaultConfig is the configuration of a deployment.
func DefaultConfig() Config {
	return Config{Reminders: []time.Duration{24 * time.Hour, time.Hour}, CheckinBefore: 30 * time.Minute,
		CheckinAfter: 2 * time.Hour, MeetingWindow: 3 * time.Hour, MaxParty: 10, MaxCapacity: 5000, DraftTTL: 15 * time.Minute}
}

// Handlers serves the activity commands.
type Handlers struct {
	Config Config
}

var refRE = regexp.MustCompile(`^[Aa]\d{1,9}$`)

// Activity answers 活动: alone, the open activities; with a number (A2), one
// activity; with text, a new activity's draft.
func (h *Handlers) Activity(c *bot.Context) error { return h.activity(c, "") }

// Meeting answers 会议 (or 板凳会, …: the word typed is the meeting's kind):
// like 活动, for meetings with an agenda.
func (h *Handlers) Meeting(c *bot.Context) error {
	if slices.Contains(MeetingKinds, c.Parsed.Word) {
		return h.activity(c, c.Parsed.Word)
	}
	return h.activity(c, "会议")
}

func (h *Handlers) activity(c *bot.Context, kind string) error {
	switch args := strings.TrimSpace(c.Args); {
	case args == "":
		return h.list(c)
	case isLink(args):
		return h.linkJielong(c, args)
	case refRE.MatchString(args):
		a, err := find(c, args)
		if err != nil {
			return err
		}
		return h.show(c, a)
	default:
		return h.draft(c, kind)
	}
}

// find reads an A-number and returns the community's activity.
func find(c *bot.Context, ref string) (storage.Activity, error) {
	n, ok := bot.ParseRef(ref, RefPrefix)
	if !ok {
		return storage.Activity{}, bot.Refuse(prompts.ActivityNotFound, map[string]string{"Ref": ref})
	}
	a, err := c.Tx.FindActivity(c.Community.ID, n)
	if errors.Is(err, storage.ErrNotFound) || err == nil && a.State != storage.ActivityOpen {
		return a, bot.Refuse(prompts.ActivityNotFound, map[string]string{"Ref": Ref(n)})
	}
	return a, err
}

// draft is an activity waiting for its organiser's yes.
type draft struct {
	Spec     Spec
	GroupIDs []int64
}

// draft reads a new activity and echoes it; nothing is posted before the yes.
func (h *Handlers) draft(c *bot.Context, kind string) error {
	if !roles.LeadsHere(c) {
		return bot.Refuse(prompts.ActivityForbidden, nil)
	}
	loc := bot.Location(c.Community.Timezone)
	spec := ParseSpec(c.RawArgs(), kind, c.Now(), loc, Limits{TitleRunes: 40, MaxCapacity: h.Config.MaxCapacity})
	groups, unknown, err := scope.Resolve(c, spec.Scope)
	if err != nil {
		return err
	}
	for _, name := range unknown {
		spec.problem("unknown_scope", name)
	}
	if len(groups) == 0 && len(unknown) == 0 {
		spec.problem("no_scope", "")
	}
	if len(spec.Problems) > 0 {
		return bot.Refuse(prompts.ActivityMalformed, specData(spec, nil, loc))
	}
	d := draft{Spec: spec}
	var names []string
	for _, g := range groups {
		if !roles.Leads(c.Person, g) {
			return bot.Refuse(prompts.ActivityScopeForbidden, map[string]string{"Group": g.Name})
		}
		d.GroupIDs, names = append(d.GroupIDs, g.ID), append(names, g.Name)
	}
	body, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := c.Ask(ConvConfirm, string(body), h.Config.DraftTTL); err != nil {
		return err
	}
	return c.Reply(prompts.ActivityDraft, specData(spec, names, loc))
}

var (
	yesWords    = []string{"是", "是的", "1", "好", "好的", "发布", "确认", "对", "y", "yes", "ok"}
	cancelWords = []string{"否", "不", "取消", "算了", "不发了", "n", "no", "cancel"}
)

// Confirm takes the organiser's answer to a draft: yes publishes it, no drops
// it; anything else is handled as if no question were pending.
func (h *Handlers) Confirm(c *bot.Context) error {
	answer := strings.ToLower(strings.Trim(c.Parsed.Text, " .!,~"))
	switch {
	case contains(cancelWords, answer):
		if err := c.EndConversation(); err != nil {
			return err
		}
		return c.Reply(prompts.ActivityDraftDropped, nil)
	case !contains(yesWords, answer):
		return bot.ErrPass
	}
	var d draft
	if err := json.Unmarshal([]byte(c.Conversation.Data), &d); err != nil {
		return fmt.Errorf("activities: draft: %w", err)
	}
	if err := c.EndConversation(); err != nil {
		return err
	}
	return h.publish(c, d)
}

// publish stores the activity, posts it into its groups and tells the
// organiser the check-in code, privately, with its QR code.
func (h *Handlers) publish(c *bot.Context, d draft) error {
	s := d.Spec
	loc := bot.Location(c.Community.Timezone)
	if !s.StartsAt.After(c.Now()) {
		return bot.Refuse(prompts.ActivityMalformed, specData(Spec{Title: s.Title, Problems: []Problem{{Code: "past_time"}}}, nil, loc))
	}
	a := storage.Activity{CommunityID: c.Community.ID, CreatorID: c.Person.ID, Kind: s.Kind, Title: s.Title, Place: s.Place,
		Agenda: s.Agenda, StartsAt: s.StartsAt, Deadline: s.Deadline, Capacity: s.Capacity, AskContact: s.AskContact,
		CheckinCode: newCode(), GroupIDs: d.GroupIDs}
	if c.Group != nil {
		a.GroupID = c.Group.ID
	}
	a, err := c.Tx.CreateActivity(a)
	if err != nil {
		return err
	}
	data := activityData(a, loc)
	names, err := postEach(c, a, func(g storage.Group) (bot.Post, error) {
		label, err := c.Outbox.Render(c.Outbox.GroupLang(c.Tx, g), prompts.ActivitySignupButton, data)
		buttons := [][]bot.Button{{{Text: label, Data: "signup " + Ref(a.Number)}}}
		return bot.Post{Template: prompts.ActivityAnnounce, Data: data, Buttons: buttons}, err
	})
	if err != nil {
		return err
	}
	if err := h.sendCode(c, a, loc); err != nil {
		return err
	}
	data["Groups"] = names
	return c.Reply(prompts.ActivityCreated, data)
}

// postEach posts into every group of an activity and returns the groups' names.
func postEach(c *bot.Context, a storage.Activity, post func(g storage.Group) (bot.Post, error)) ([]string, error) {
	var names []string
	for _, id := range a.GroupIDs {
		g, err := c.Tx.FindGroup(id)
		if err != nil {
			return nil, err
		}
		p, err := post(g)
		if err != nil {
			return nil, err
		}
		if err := c.Post(g, p); err != nil {
			return nil, err
		}
		names = append(names, g.Name)
	}
	return names, nil
}

// newCode is a four-digit check-in code.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(9000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprint(1000 + n.Int64())
}

// activityData is what every activity template may show.
func activityData(a storage.Activity, loc *time.Location) map[string]any {
	return map[string]any{
		"Ref": Ref(a.Number), "Title": a.Title, "Kind": a.Kind, "Meeting": a.IsMeeting(), "Place": a.Place,
		"Agenda": a.Agenda, "Start": a.StartsAt.In(loc), "Deadline": a.Deadline.In(loc),
		"HasDeadline": !a.Deadline.Equal(a.StartsAt), "Capacity": a.Capacity, "AskContact": a.AskContact,
	}
}

func specData(s Spec, groups []string, loc *time.Location) map[string]any {
	return map[string]any{
		"Title": s.Title, "Kind": s.Kind, "Meeting": s.Kind != "", "Place": s.Place, "Agenda": s.Agenda,
		"HasStart": !s.StartsAt.IsZero(), "Start": s.StartsAt.In(loc), "HasDeadline": !s.Deadline.IsZero(),
		"Deadline": s.Deadline.In(loc), "Capacity": s.Capacity, "AskContact": s.AskContact, "Groups": groups,
		"Problems": s.Problems,
	}
}

// manages reports whether the sender organises the activity or is staff:
// they see names and contacts, post minutes and read the code.
func manages(c *bot.Context, a storage.Activity) bool {
	return c.Person.IsStaff() || c.Person.ID == a.CreatorID
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
