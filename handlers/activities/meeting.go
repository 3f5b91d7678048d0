package activities

import (
	"errors"
	"regexp"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/when"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// sourceRE finds "来源:A4" in a suggestion, as typed (full-width or not).
var sourceRE = regexp.MustCompile(`来源\s*[:：]?\s*([AaＡａ][0-9０-９]{1,9})\s*`)

// SuggestFrom wraps the 建议 command so a suggestion keeps the meeting it came
// from: "#建议 来源:A4 …" (the organiser or staff entering what was said), or a
// #建议 from an attendee (signed up or checked in) in a meeting's group while
// the meeting is under way.
func (h *Handlers) SuggestFrom(next bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		meeting, err := h.source(c)
		if err != nil {
			return err
		}
		if err := next(c); err != nil || meeting.ID == 0 {
			return err
		}
		var groupID int64
		if c.Group != nil {
			groupID = c.Group.ID
		}
		r, err := c.Tx.LatestRequestBy(c.Community.ID, c.Person.ID, groupID, c.Now())
		if errors.Is(err, storage.ErrNotFound) || err == nil && r.Kind != storage.KindSuggestion {
			return nil // folded into an earlier one or still a draft: nothing new to link
		}
		if err != nil {
			return err
		}
		id := r.ID
		if err := c.Tx.LinkSuggestion(id, meeting.ID); err != nil {
			return err
		}
		data := activityData(meeting, bot.Location(c.Community.Timezone))
		data["Suggestion"] = bot.FormatRef("S", id)
		return c.Say(prompts.ActivitySuggestionLinked, data)
	}
}

// source finds the meeting a #建议 belongs to and takes "来源:A4" out of the
// text the suggestion keeps.
func (h *Handlers) source(c *bot.Context) (storage.Activity, error) {
	if m := sourceRE.FindStringSubmatch(c.Args); m != nil {
		a, err := find(c, m[1])
		if err != nil {
			return a, err
		}
		if !manages(c, a) {
			return a, bot.Refuse(prompts.ActivityNotOrganiser, activityData(a, bot.Location(c.Community.Timezone)))
		}
		c.Args = strings.TrimSpace(sourceRE.ReplaceAllString(c.Args, ""))
		c.Msg.Text = strings.TrimSpace(sourceRE.ReplaceAllString(c.Msg.Text, ""))
		return a, nil
	}
	if c.Group == nil {
		return storage.Activity{}, nil
	}
	list, err := c.Tx.MeetingsInGroupAt(c.Group.ID, c.Now(), h.Config.MeetingWindow)
	if err != nil {
		return storage.Activity{}, err
	}
	for _, a := range list {
		_, err := c.Tx.FindSignup(a.ID, c.Person.ID)
		if err == nil {
			return a, nil
		}
		if !errors.Is(err, storage.ErrNotFound) {
			return storage.Activity{}, err
		}
	}
	return storage.Activity{}, nil
}

// Minutes answers 纪要: "#纪要 A4 text" posts a meeting's minutes into its
// groups (organiser or staff).
func (h *Handlers) Minutes(c *bot.Context) error {
	ref, _, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
	if !refRE.MatchString(ref) {
		return bot.Refuse(prompts.ActivityMinutesUsage, nil)
	}
	a, err := find(c, ref)
	if err != nil {
		return err
	}
	data := activityData(a, bot.Location(c.Community.Timezone))
	if !manages(c, a) {
		return bot.Refuse(prompts.ActivityNotOrganiser, data)
	}
	raw := c.RawArgs()
	if i := strings.IndexAny(raw, " \n"); i >= 0 {
		raw = strings.TrimSpace(raw[i:])
	} else {
		raw = ""
	}
	if raw == "" {
		return bot.Refuse(prompts.ActivityMinutesUsage, nil)
	}
	if err := c.Tx.SetActivityMinutes(a.ID, raw); err != nil {
		return err
	}
	ids, err := c.Tx.MeetingSuggestions(a.ID)
	if err != nil {
		return err
	}
	data["Minutes"], data["Suggestions"] = raw, suggestionRefs(ids)
	names, err := postEach(c, a, func(storage.Group) (bot.Post, error) {
		return bot.Post{Template: prompts.ActivityMinutesPost, Data: data}, nil
	})
	if err != nil {
		return err
	}
	data["Groups"] = names
	return c.Reply(prompts.ActivityMinutesDone, data)
}

// StatsWith wraps 统计: after the request statistics, how many suggestions
// each meeting of the period produced ("板凳会 A4 收集建议 12 条").
func (h *Handlers) StatsWith(next bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		if err := next(c); err != nil {
			return err
		}
		arg := strings.TrimSpace(c.Args)
		if arg == "" {
			arg = "今年"
		}
		span, ok := when.Period(arg, c.Now(), bot.Location(c.Community.Timezone))
		if !ok {
			return nil
		}
		counts, err := c.Tx.MeetingSuggestionCounts(c.Community.ID, span.From, span.To)
		if err != nil || len(counts) == 0 {
			return err
		}
		type line struct {
			Ref, Kind, Title string
			N                int
		}
		lines := make([]line, len(counts))
		for i, m := range counts {
			lines[i] = line{Ref: Ref(m.Number), Kind: m.Kind, Title: m.Title, N: m.Suggestions}
		}
		return c.Say(prompts.ActivityStatsMeetings, map[string]any{"Meetings": lines})
	}
}
