package polls

import (
	"errors"
	"regexp"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/people"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

var (
	collectorRE = regexp.MustCompile(`(?:收集人|收集|collector)\s*[:：]?\s*(\S+)`)
	overrideRE  = regexp.MustCompile(`(?:^|\s)(?:覆盖|替换|override)(?:\s|$)`)
)

// Paper answers 补录/paper (staff): a paper ballot or score sheet collected
// from a household, "补录 P3 3栋2单元301 2 收集人:王阿姨" or
// "补录 P5 3栋2单元301 3栋 5 4 5 收集人:王阿姨". Households never count twice:
// a household that voted online keeps its online ballot (the paper one is
// refused), a second paper ballot is refused naming who entered the first, and
// "覆盖" replaces a paper ballot. Only household polls (一户一票) take paper.
func (h *Handlers) Paper(c *bot.Context) error {
	ref, words := splitRef(c.Args)
	override := overrideRE.MatchString(" " + words + " ")
	words = strings.TrimSpace(overrideRE.ReplaceAllString(" "+words+" ", " "))
	collector := ""
	words = strings.TrimSpace(collectorRE.ReplaceAllStringFunc(words, func(m string) string {
		collector = collectorRE.FindStringSubmatch(m)[1]
		return " "
	}))
	flatText, rest, _ := strings.Cut(words, " ")
	if ref == 0 || rest == "" {
		return bot.Refuse(prompts.PaperUsage, nil)
	}
	flat, ok := people.ParseFlat(flatText)
	if !ok {
		return bot.Refuse(prompts.PaperBadFlat, map[string]string{"Flat": flatText})
	}
	p, err := targetPoll(c, ref, false)
	if err != nil {
		return err
	}
	if !p.PerHousehold {
		return bot.Refuse(prompts.PaperNotHousehold, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	room := flat.String()
	data := map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Room": room, "Collector": collector,
		"Anonymous": p.Anonymous, "Replaced": false, "Entered": "", "EnteredCollector": ""}
	stored, err := paperBallot(p, strings.TrimSpace(rest))
	if err != nil {
		return err
	}
	voter := "h:" + room
	switch v, err := c.Tx.FindPollVoter(p.ID, voter); {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return err
	case v.Source != storage.SourcePaper:
		return bot.Refuse(prompts.PaperOnlineFirst, data)
	case !override:
		who, err := c.Tx.FindPerson(v.PersonID)
		if err != nil {
			return err
		}
		data["Entered"], data["EnteredCollector"] = who.Name, v.Collector
		return bot.Refuse(prompts.PaperDuplicate, data)
	default:
		data["Replaced"] = true
	}
	ballot, err := ballotKey(c.Tx, p, voter)
	if err != nil {
		return err
	}
	castAt := c.Now()
	if p.Anonymous {
		castAt = p.CreatedAt
	}
	v := storage.PollVoter{PollID: p.ID, VoterKey: voter, PersonID: c.Person.ID, Source: storage.SourcePaper, Collector: collector}
	if stored.sheet != nil {
		_, err = c.Tx.CastSheet(v, ballot, *stored.sheet, castAt)
	} else {
		_, err = c.Tx.CastBallot(v, ballot, stored.choices, castAt)
	}
	if err != nil {
		return err
	}
	src, err := c.Tx.PollBallotSources(p.ID)
	if err != nil {
		return err
	}
	data["Online"], data["Paper"] = src.Online, src.Paper
	return c.Reply(prompts.PaperEntered, data)
}

// paperContent is a paper ballot: choices, or a score sheet.
type paperContent struct {
	choices []int
	sheet   *storage.Sheet
}

// paperBallot reads what a paper ballot says, refusing as a vote or a score
// sheet typed online would be refused.
func paperBallot(p storage.Poll, words string) (paperContent, error) {
	if p.Kind == storage.PollScored {
		entries, err := parseScores(p, words)
		if err != nil {
			return paperContent{}, err
		}
		s := storage.Sheet{Scores: map[int][]int{}}
		for _, e := range entries {
			s.Scores[e.Cand] = mergeScores(s.Scores[e.Cand], e)
		}
		return paperContent{sheet: &s}, nil
	}
	nums, trouble := resolveChoices(p.Options, words)
	if trouble != nil {
		return paperContent{}, refuseChoice(p, trouble)
	}
	if len(nums) == 0 {
		return paperContent{}, bot.Refuse(prompts.PaperUsage, nil)
	}
	choices, err := checkChoices(p, nums)
	return paperContent{choices: choices}, err
}
