package activities

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

var (
	partyRE   = regexp.MustCompile(`^(\d{1,3}|[一二两三四五六七八九十])\s*(?:人|位|个人|口人)?$`)
	contactRE = regexp.MustCompile(`^\+?\d[\d-]{6,}$`)
	cnDigits  = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
)

// signupArgs is what follows #报名: the activity, the party and a contact.
type signupArgs struct {
	Ref     string
	Party   int
	Contact string
	Extra   []string // words that are none of these
}

func parseSignup(args string) signupArgs {
	s := signupArgs{Party: 1}
	for i, w := range strings.Fields(args) {
		switch m := partyRE.FindStringSubmatch(w); {
		case i == 0 && refRE.MatchString(w):
			s.Ref = w
		case m != nil:
			if n, ok := cnDigits[m[1]]; ok {
				s.Party = n
			} else {
				s.Party, _ = strconv.Atoi(m[1])
			}
		case contactRE.MatchString(w):
			s.Contact = w
		default:
			s.Extra = append(s.Extra, w)
		}
	}
	return s
}

// target finds the activity a sign-up command names: by number, else by its
// title ("#报名 周六义诊"), else the one open activity of the group it was sent
// in. It clears args.Extra when the words were the title.
func target(c *bot.Context, args *signupArgs, command string) (storage.Activity, error) {
	if args.Ref != "" {
		return find(c, args.Ref)
	}
	list, err := c.Tx.UpcomingActivities(c.Community.ID, c.Now())
	if err != nil {
		return storage.Activity{}, err
	}
	var open, named []storage.Activity
	title := strings.Join(args.Extra, " ")
	for _, a := range list {
		if c.Group != nil && !contains64(a.GroupIDs, c.Group.ID) {
			continue
		}
		open = append(open, a)
		if title != "" && (strings.Contains(a.Title, title) || strings.Contains(title, a.Title)) {
			named = append(named, a)
		}
	}
	switch {
	case len(named) == 1:
		args.Extra = nil
		return named[0], nil
	case title == "" && c.Group != nil && len(open) == 1:
		return open[0], nil
	}
	return storage.Activity{}, bot.Refuse(prompts.ActivitySignupUsage, map[string]any{"Command": command, "Open": briefs(open)})
}

// SignUp answers 报名: "#报名 A2", "#报名 A2 2人", "#报名 A2 2人 13812345678".
func (h *Handlers) SignUp(c *bot.Context) error {
	args := parseSignup(c.Args)
	a, err := target(c, &args, c.Parsed.Word)
	if err != nil {
		return err
	}
	data := activityData(a, bot.Location(c.Community.Timezone))
	switch {
	case len(args.Extra) > 0:
		return bot.Refuse(prompts.ActivitySignupUsage, map[string]any{"Command": c.Parsed.Word, "Open": briefs([]storage.Activity{a})})
	case !c.Now().Before(a.Deadline):
		return bot.Refuse(prompts.ActivityClosed, data)
	case args.Party > h.Config.MaxParty:
		data["Max"] = h.Config.MaxParty
		return bot.Refuse(prompts.ActivityPartyTooBig, data)
	case a.AskContact && args.Contact == "":
		return bot.Refuse(prompts.ActivityNeedContact, data)
	}
	if ok, err := mayJoin(c, a); err != nil || !ok {
		if err == nil {
			err = bot.Refuse(prompts.ActivityOutOfScope, data)
		}
		return err
	}
	s, err := c.Tx.SignUp(a, c.Person.ID, args.Party, args.Contact)
	already := errors.Is(err, storage.ErrAlreadySignedUp)
	if err != nil && !already {
		return err
	}
	counts, err := c.Tx.CountSignups(a.ID)
	if err != nil {
		return err
	}
	data["Signup"], data["Already"], data["Counts"] = s, already, counts
	data["Left"], data["MaskedContact"] = max(a.Capacity-counts.Seats, 0), prompts.Mask(s.Contact)
	return c.Reply(prompts.ActivitySignedUp, data)
}

// mayJoin reports whether the sender may sign up: the activity was announced
// where they speak or in a group they were seen in; staff always.
func mayJoin(c *bot.Context, a storage.Activity) (bool, error) {
	if c.Person.IsStaff() || c.Group != nil && contains64(a.GroupIDs, c.Group.ID) {
		return true, nil
	}
	return c.Tx.IsMemberOfAny(c.Person.ID, a.GroupIDs)
}

// Cancel answers 取消报名: the sender's own sign-up only. Seats that come free
// go to the waitlist in order, and each person promoted is told privately, in
// the same transaction as the cancellation.
func (h *Handlers) Cancel(c *bot.Context) error {
	args := parseSignup(c.Args)
	if args.Contact != "" || args.Ref != "" && len(args.Extra) > 0 {
		return bot.Refuse(prompts.ActivityCancelOwn, nil)
	}
	a, err := target(c, &args, c.Parsed.Word)
	if err != nil {
		return err
	}
	loc := bot.Location(c.Community.Timezone)
	data := activityData(a, loc)
	if !c.Now().Before(a.StartsAt) {
		return bot.Refuse(prompts.ActivityCancelTooLate, data)
	}
	s, promoted, err := c.Tx.CancelSignup(a, c.Person.ID)
	if errors.Is(err, storage.ErrNotFound) || err == nil && s.Status == storage.SignupWalkIn {
		return bot.Refuse(prompts.ActivityNotSignedUp, data)
	}
	if err != nil {
		return err
	}
	if err := notifyPromoted(c, a, promoted, loc); err != nil {
		return err
	}
	data["Signup"], data["Promoted"] = s, len(promoted)
	return c.Reply(prompts.ActivityCancelled, data)
}

// brief is one line of a list of activities.
type brief struct {
	Ref, Title string
	Data       map[string]any
	Counts     storage.SignupCounts
}

func briefs(list []storage.Activity) []brief {
	out := make([]brief, len(list))
	for i, a := range list {
		out[i] = brief{Ref: Ref(a.Number), Title: a.Title}
	}
	return out
}

func contains64(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// notifyPromoted tells each person moved up from the waitlist, privately.
func notifyPromoted(c *bot.Context, a storage.Activity, promoted []storage.Signup, loc *time.Location) error {
	for _, p := range promoted {
		person, err := c.Tx.FindPerson(p.PersonID)
		if err != nil {
			return err
		}
		pd := activityData(a, loc)
		pd["Signup"] = p
		if err := c.Notify(person, bot.Post{Template: prompts.ActivityPromoted, Data: pd}); err != nil {
			return err
		}
	}
	return nil
}
