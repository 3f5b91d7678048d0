package jielong

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/handlers/when"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Handlers serves 接龙 posts, #接龙 (list), #结束接龙 and #导出 接龙.
type Handlers struct {
	// OnChange, when set, runs after a re-post is merged, in its transaction:
	// an activity linked to the 接龙 syncs its sign-ups (activities.JielongChanged).
	OnChange func(c *bot.Context, jielongID int64) error
}

// listWindow is how far back #接龙 looks for a group's lists.
const listWindow = 7 * 24 * time.Hour

// Command serves "#接龙 …": a post when it has a body, else the group's lists.
func (h *Handlers) Command(c *bot.Context) error {
	if strings.TrimSpace(c.Args) == "" {
		return h.list(c)
	}
	return h.post(c, "#接龙 "+c.Args)
}

// Text serves a 接龙 whose marker is not at the start ("@小桥 打卡#接龙 …"),
// as WeChat's app message (type 53) carries it; other text passes on.
func (h *Handlers) Text(c *bot.Context) error {
	// Only a post with numbered lines: "请看上面的#接龙" is talk about one.
	if n, ok := Parse(c.Parsed.Text); !ok || len(n.Entries) == 0 {
		return bot.ErrPass
	}
	return h.post(c, c.Parsed.Text)
}

// post merges one post into its canonical list.
func (h *Handlers) post(c *bot.Context, text string) error {
	if c.Group == nil {
		return bot.Refuse(prompts.JielongPrivate, nil)
	}
	note, ok := Parse(text)
	if !ok {
		return bot.Refuse(prompts.JielongUsage, nil)
	}
	if len([]rune(note.Title)) > 60 {
		note.Title = string([]rune(note.Title)[:60])
	}
	loc := bot.Location(c.Community.Timezone)
	j, err := c.Tx.LatestJielong(c.Group.ID, note.Title)
	today := c.Now().In(loc).Format(time.DateOnly)
	switch {
	case errors.Is(err, storage.ErrNotFound) || (err == nil && !j.Open() && j.Day != today && c.Now().Sub(j.ClosedAt) > listWindow):
		if len(note.Entries) == 0 && len(strings.Split(strings.TrimSpace(text), "\n")) == 1 && err != nil {
			return bot.Refuse(prompts.JielongNotFound, map[string]string{"Title": note.Title})
		}
		return h.start(c, note, today, loc)
	case err != nil:
		return err
	case !j.Open():
		return bot.Refuse(prompts.JielongClosed, view(j, nil, loc))
	}
	if len(note.Entries) == 0 && len(strings.Split(strings.TrimSpace(text), "\n")) == 1 {
		return h.show(c, j, loc) // "#接龙 周六义诊": show it
	}
	return h.merge(c, j, note, loc)
}

// start creates a 接龙 from its first post.
func (h *Handlers) start(c *bot.Context, note Note, today string, loc *time.Location) error {
	j := storage.Jielong{CommunityID: c.Community.ID, GroupID: c.Group.ID, Title: note.Title, Day: today,
		Description: note.Description, Example: note.Example, CreatorID: c.Person.ID, Deadline: deadline(note, c.Now(), loc)}
	id, err := c.Tx.CreateJielong(j)
	if err != nil {
		return err
	}
	if j, err = c.Tx.FindJielong(id); err != nil {
		return err
	}
	if _, err := h.apply(c, j, note, loc); err != nil {
		return err
	}
	lines, err := c.Tx.JielongLines(j.ID)
	if err != nil {
		return err
	}
	return c.Say(prompts.JielongStarted, view(j, lines, loc))
}

// merge applies a re-post and tells the group about lines it lost, once each.
func (h *Handlers) merge(c *bot.Context, j storage.Jielong, note Note, loc *time.Location) error {
	ch, err := h.apply(c, j, note, loc)
	if err != nil {
		return err
	}
	if h.OnChange != nil {
		if err := h.OnChange(c, j.ID); err != nil {
			return err
		}
	}
	var lost []storage.JielongLine
	lines, err := c.Tx.JielongLines(j.ID)
	if err != nil {
		return err
	}
	for _, l := range ch.Lost {
		first, err := c.Tx.MarkJielongLineLost(l.ID)
		if err != nil {
			return err
		}
		if first {
			for _, full := range lines {
				if full.ID == l.ID {
					lost = append(lost, full)
				}
			}
		}
	}
	if len(lost) == 0 {
		return nil // a re-post is the group's own business: no reply
	}
	data := view(j, lines, loc)
	data["Poster"] = c.Person.Name
	data["Lost"] = numbered(lines, lost)
	return c.Outbox.ToGroup(c.Tx, *c.Group, bot.Post{Template: prompts.JielongLost, Data: data,
		DedupeKey: fmt.Sprintf("jielong:%d:lost:%d", j.ID, lost[0].ID)})
}

// apply writes a post's changes into the canonical list.
func (h *Handlers) apply(c *bot.Context, j storage.Jielong, note Note, loc *time.Location) (Change, error) {
	stored, err := c.Tx.JielongLines(j.ID)
	if err != nil {
		return Change{}, err
	}
	lines := make([]Line, len(stored))
	for i, l := range stored {
		lines[i] = Line{ID: l.ID, Key: l.Key, Text: l.Text, AuthorID: l.AuthorID, Removed: !l.RemovedAt.IsZero(), Reported: !l.LostAt.IsZero()}
	}
	ch := Merge(lines, note.Entries, c.Person.ID)
	for _, e := range ch.Added {
		if _, err := c.Tx.AddJielongLine(storage.JielongLine{JielongID: j.ID, Key: Key(e.Name), Name: e.Name, Text: e.Text,
			Count: e.Count, Note: e.Note, AuthorID: c.Person.ID}); err != nil {
			return ch, err
		}
	}
	for _, ed := range ch.Edited {
		if err := c.Tx.EditJielongLine(ed.Line.ID, ed.Entry.Text, ed.Entry.Count, ed.Entry.Note); err != nil {
			return ch, err
		}
	}
	for _, l := range ch.Back {
		if err := c.Tx.RestoreJielongLine(l.ID); err != nil {
			return ch, err
		}
	}
	for _, l := range ch.Removed {
		if err := c.Tx.RemoveJielongLine(l.ID); err != nil {
			return ch, err
		}
	}
	return ch, c.Tx.TouchJielong(j.ID, note.Description, note.Example)
}

// deadline reads "截止周五18:00" (or "周五18点截止") from the description.
func deadline(note Note, now time.Time, loc *time.Location) time.Time {
	for _, l := range strings.Split(note.Description, "\n") {
		before, after, ok := strings.Cut(l, "截止")
		if !ok {
			continue
		}
		if r, ok := when.Prefix(strings.TrimLeft(after, "：: "), now, loc); ok && r.At.After(now) {
			return r.At
		}
		if strings.TrimSpace(after) != "" {
			continue // "报名 截止…" that names no time: the words before are the title, not a deadline
		}
		words := strings.Fields(before) // "周六义诊 周五18点截止": the words just before 截止
		if len(words) == 0 {
			continue
		}
		if r, ok := when.Parse(words[len(words)-1], now, loc); ok && r.At.After(now) {
			return r.At
		}
	}
	return time.Time{}
}

// list shows the group's 接龙 of the last week, open ones first.
func (h *Handlers) list(c *bot.Context) error {
	if c.Group == nil {
		return bot.Refuse(prompts.JielongPrivate, nil)
	}
	loc := bot.Location(c.Community.Timezone)
	js, err := c.Tx.GroupJielongs(c.Group.ID, c.Now().Add(-listWindow))
	if err != nil {
		return err
	}
	if len(js) == 0 {
		return c.Reply(prompts.JielongNone, nil)
	}
	var items []map[string]any
	for _, j := range js {
		lines, err := c.Tx.JielongLines(j.ID)
		if err != nil {
			return err
		}
		items = append(items, view(j, lines, loc))
	}
	return c.Reply(prompts.JielongList, map[string]any{"Lists": items})
}

func (h *Handlers) show(c *bot.Context, j storage.Jielong, loc *time.Location) error {
	lines, err := c.Tx.JielongLines(j.ID)
	if err != nil {
		return err
	}
	return c.Reply(prompts.JielongShow, view(j, lines, loc))
}

// Close serves "#结束接龙 [标题]": its starter or the group's leaders close it
// and the final list is posted.
func (h *Handlers) Close(c *bot.Context) error {
	if c.Group == nil {
		return bot.Refuse(prompts.JielongPrivate, nil)
	}
	loc := bot.Location(c.Community.Timezone)
	j, err := h.find(c, strings.TrimSpace(c.Args))
	if err != nil {
		return err
	}
	if j.CreatorID != c.Person.ID && !roles.LeadsHere(c) {
		return bot.Refuse(prompts.JielongCloseForbidden, view(j, nil, loc))
	}
	if ok, err := c.Tx.CloseJielong(j.ID); err != nil || !ok {
		if err == nil {
			err = bot.Refuse(prompts.JielongClosed, view(j, nil, loc))
		}
		return err
	}
	lines, err := c.Tx.JielongLines(j.ID)
	if err != nil {
		return err
	}
	return c.Say(prompts.JielongFinal, view(j, lines, loc))
}

// find is the group's open 接龙 named title, or its newest open one.
func (h *Handlers) find(c *bot.Context, title string) (storage.Jielong, error) {
	js, err := c.Tx.GroupJielongs(c.Group.ID, c.Now().Add(-listWindow))
	if err != nil {
		return storage.Jielong{}, err
	}
	for _, j := range js {
		if j.Open() && (title == "" || j.Title == title || strings.Contains(j.Title, title)) {
			return j, nil
		}
	}
	return storage.Jielong{}, bot.Refuse(prompts.JielongNotFound, map[string]string{"Title": title})
}
