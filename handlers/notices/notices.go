// Package notices posts announcements (通知) from captains, grid workers and
// staff into residents' groups. A notice marked 需确认 asks everyone to
// confirm: residents answer 收到 (or 已阅, or press the button, or send
// #收到 N3) while it is open; the organiser sees per building and group who has
// not (names only), and a scheduled job (Jobs.Tick) reminds them once.
package notices

import (
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/handlers/scope"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// RefPrefix is the prefix of notice numbers people see: N3. (Needs, a kind of
// request, are never typed with N in the notice commands.)
const RefPrefix = "N"

// Ref is the number people see for a notice.
func Ref(number int64) string { return bot.FormatRef(RefPrefix, number) }

// Config tunes notices.
type Config struct {
	Open        time.Duration // confirmations are taken this long after posting
	RemindAfter time.Duration // those who have not confirmed are reminded once, this long after
	ListNames   int           // names of those who have not confirmed, per group
}

// DefaultConfig is the configuration of a deployment.
func DefaultConfig() Config {
	return Config{Open: 72 * time.Hour, RemindAfter: 24 * time.Hour, ListNames: 30}
}

// Handlers serves the notice commands.
type Handlers struct {
	Config Config
}

var (
	refRE     = regexp.MustCompile(`^[Nn]\d{1,9}$`)
	needsAck  = regexp.MustCompile(`[(（\[]?\s*(?:需确认|需要确认|请确认|收到请回复)\s*[)）\]]?`)
	scopeLine = regexp.MustCompile(`(?m)^范围\s*:?\s*(.+)$`)
	// rawScopeLine is the same line as typed (a full-width colon).
	rawScopeLine = regexp.MustCompile(`(?m)^\s*范围\s*[:：]?.*$`)
)

// Notice answers 通知: with a number (N3), who has confirmed; with text, a new
// notice posted to this group or to the groups its 范围 line names.
func (h *Handlers) Notice(c *bot.Context) error {
	args := strings.TrimSpace(c.Args)
	switch {
	case args == "":
		return bot.Refuse(prompts.NoticeUsage, nil)
	case refRE.MatchString(args):
		return h.turnout(c, args)
	case !roles.LeadsHere(c):
		return bot.Refuse(prompts.NoticeForbidden, nil)
	}
	raw := c.RawArgs()
	var names []string
	if m := scopeLine.FindStringSubmatch(args); m != nil {
		names = strings.FieldsFunc(m[1], func(r rune) bool { return r == ' ' || r == ',' || r == '、' || r == ';' })
		raw = rawScopeLine.ReplaceAllString(raw, "")
	}
	ack := needsAck.MatchString(raw)
	text := strings.TrimSpace(needsAck.ReplaceAllString(raw, ""))
	if text == "" {
		return bot.Refuse(prompts.NoticeUsage, nil)
	}
	groups, unknown, err := scope.Resolve(c, names)
	if err != nil {
		return err
	}
	if len(unknown) > 0 || len(groups) == 0 {
		return bot.Refuse(prompts.NoticeScopeProblem, map[string]any{"Unknown": unknown})
	}
	n := storage.Notice{CommunityID: c.Community.ID, CreatorID: c.Person.ID, Text: text, NeedsAck: ack,
		ClosesAt: c.Now().Add(h.Config.Open)}
	var groupNames []string
	for _, g := range groups {
		if !roles.Leads(c.Person, g) {
			return bot.Refuse(prompts.NoticeForbidden, nil)
		}
		n.GroupIDs, groupNames = append(n.GroupIDs, g.ID), append(groupNames, g.Name)
	}
	if n, err = c.Tx.CreateNotice(n); err != nil {
		return err
	}
	data := noticeData(n, bot.Location(c.Community.Timezone))
	for _, g := range groups {
		post := bot.Post{Template: prompts.NoticeAnnounce, Data: data}
		if n.NeedsAck {
			label, err := c.Outbox.Render(c.Outbox.GroupLang(c.Tx, g), prompts.NoticeAckButton, data)
			if err != nil {
				return err
			}
			post.Buttons = [][]bot.Button{{{Text: label, Data: "ack " + Ref(n.Number)}}}
		}
		if err := c.Post(g, post); err != nil {
			return err
		}
	}
	data["Groups"] = groupNames
	return c.Reply(prompts.NoticeCreated, data)
}

func noticeData(n storage.Notice, loc *time.Location) map[string]any {
	return map[string]any{"Ref": Ref(n.Number), "Text": n.Text, "NeedsAck": n.NeedsAck, "Closes": n.ClosesAt.In(loc)}
}

// find reads a notice number.
func find(c *bot.Context, ref string) (storage.Notice, error) {
	num, ok := bot.ParseRef(ref, RefPrefix)
	if !ok {
		return storage.Notice{}, bot.Refuse(prompts.NoticeNotFound, map[string]string{"Ref": ref})
	}
	n, err := c.Tx.FindNotice(c.Community.ID, num)
	if errors.Is(err, storage.ErrNotFound) {
		return n, bot.Refuse(prompts.NoticeNotFound, map[string]string{"Ref": Ref(num)})
	}
	return n, err
}

// turnout answers #通知 N3: per group (and its building), how many confirmed
// and the names of those who have not; for captains, grid workers and staff.
func (h *Handlers) turnout(c *bot.Context, ref string) error {
	n, err := find(c, ref)
	if err != nil {
		return err
	}
	if !roles.LeadsHere(c) && c.Person.ID != n.CreatorID {
		return bot.Refuse(prompts.NoticeTurnoutDenied, nil)
	}
	data := noticeData(n, bot.Location(c.Community.Timezone))
	if !n.NeedsAck {
		return bot.Refuse(prompts.NoticeNoAck, data)
	}
	groups, err := c.Tx.NoticeTurnoutByGroup(n.ID, h.Config.ListNames)
	if err != nil {
		return err
	}
	confirmed, total := 0, 0
	for _, g := range groups {
		confirmed, total = confirmed+g.Voters, total+g.Eligible
	}
	data["Groups"], data["Confirmed"], data["Total"], data["Open"] = groups, confirmed, total, n.Open(c.Now())
	return c.Reply(prompts.NoticeTurnout, data)
}
