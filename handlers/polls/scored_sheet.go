package polls

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// scoreEntry is one candidate's scores in a message: Named entries (卫生5)
// fill in the candidate's earlier scores; positional ones (5 4 5) replace them.
type scoreEntry struct {
	Cand   int
	Scores []int // per criterion, storage.NoScore where not given
	Named  bool
}

var (
	entrySplitRE = regexp.MustCompile(`[;；\n]+`)
	scoreWordRE  = regexp.MustCompile(`[\s、,，]+`)
	namedScoreRE = regexp.MustCompile(`^(\D+?)[:：=]?(\d{1,2})分?$`)
	panelMarks   = []string{"评委", "panel"}
)

// parseScores reads the score entries of a message ("3栋 5 4 5; 4栋 卫生5").
// A refusal names the first thing wrong; nothing is saved then.
func parseScores(p storage.Poll, text string) ([]scoreEntry, error) {
	var out []scoreEntry
	for _, raw := range entrySplitRE.Split(text, -1) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		e, err := parseEntry(p, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, bot.Refuse(prompts.ScoredSheetUsage, map[string]string{"Ref": Ref(p.ID), "Example": exampleScores(p)})
	}
	return out, nil
}

func parseEntry(p storage.Poll, raw string) (scoreEntry, error) {
	data := map[string]any{"Ref": Ref(p.ID), "Example": exampleScores(p), "Min": p.Scale.Min, "Max": p.Scale.Max,
		"Criteria": len(p.Criteria)}
	cand, rest := matchCandidate(p.Options, raw)
	if cand == 0 {
		data["Word"], _, _ = strings.Cut(raw, " ")
		return scoreEntry{}, bot.Refuse(prompts.ScoredUnknownCandidate, data)
	}
	e := scoreEntry{Cand: cand, Scores: slices.Repeat([]int{storage.NoScore}, len(p.Criteria))}
	words := scoreWordRE.Split(strings.TrimSpace(rest), -1)
	if len(words) == 1 && len(words[0]) == len(p.Criteria) && len(p.Criteria) > 1 && p.Scale.Max < 10 && allDigits(words[0]) {
		words = strings.Split(words[0], "") // "545"
	}
	pos := 0
	for i := 0; i < len(words); i++ {
		w := strings.TrimSuffix(words[i], "分")
		if w == "" {
			continue
		}
		crit, value, word := -1, 0, w
		switch m := namedScoreRE.FindStringSubmatch(w); {
		case allDigits(w):
			if pos >= len(p.Criteria) {
				return e, bot.Refuse(prompts.ScoredTooManyScores, data)
			}
			crit, value = pos, atoi(w)
			pos++
		case m != nil:
			crit, value, word = criterionIndex(p, m[1]), atoi(m[2]), m[1]
		case i+1 < len(words) && allDigits(strings.TrimSuffix(words[i+1], "分")): // "卫生 5"
			crit, value = criterionIndex(p, w), atoi(strings.TrimSuffix(words[i+1], "分"))
			i++
		}
		if crit < 0 {
			data["Word"] = word
			return e, bot.Refuse(prompts.ScoredUnknownCriterion, data)
		}
		if value < p.Scale.Min || value > p.Scale.Max {
			data["Value"] = value
			return e, bot.Refuse(prompts.ScoredOutOfRange, data)
		}
		if !allDigits(w) {
			e.Named = true
		}
		e.Scores[crit] = value
	}
	if !slices.ContainsFunc(e.Scores, func(v int) bool { return v != storage.NoScore }) {
		return e, bot.Refuse(prompts.ScoredSheetUsage, data)
	}
	return e, nil
}

// matchCandidate finds the candidate an entry starts with: its name (the
// longest that fits, followed by a space or the end) or its number.
func matchCandidate(options []string, raw string) (int, string) {
	norm := bot.Normalize(raw)
	best, bestLen := 0, 0
	for i, o := range options {
		o = bot.Normalize(o)
		if (norm == o || strings.HasPrefix(norm, o+" ")) && len(o) > bestLen {
			best, bestLen = i+1, len(o)
		}
	}
	if best > 0 {
		return best, norm[bestLen:]
	}
	first, rest, _ := strings.Cut(norm, " ")
	if n := atoi(strings.TrimSuffix(first, "号")); allDigits(strings.TrimSuffix(first, "号")) && n >= 1 && n <= len(options) {
		return n, rest
	}
	return 0, ""
}

func criterionIndex(p storage.Poll, name string) int {
	name = bot.Normalize(strings.TrimRight(name, ":：="))
	for i, c := range p.Criteria {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func allDigits(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	_, err := strconv.Atoi(s)
	return err == nil && !strings.ContainsAny(s, "+-")
}

// scoreSheet answers "评分 [P5] [评委] 3栋 5 4 5": the sender's sheet (their
// household's, or their panel sheet) gets these scores.
func (h *Handlers) scoreSheet(c *bot.Context) error {
	ref, words := splitRef(c.Args)
	asPanel := false
	if first, rest, _ := strings.Cut(words, " "); slices.Contains(panelMarks, strings.ToLower(first)) {
		asPanel, words = true, strings.TrimSpace(rest)
	}
	p, err := targetPollOf(c, ref, false, storage.PollScored)
	if err != nil {
		return err
	}
	if p.Kind != storage.PollScored {
		return bot.Refuse(prompts.ScoredNotScored, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	onPanel := p.OnPanel(c.Person.ID)
	switch {
	case asPanel && !onPanel:
		return bot.Refuse(prompts.ScoredNotPanel, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	case !onPanel && panelWeight(p) == 100:
		return bot.Refuse(prompts.ScoredPanelOnly, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	var entries []scoreEntry
	form := formCandidate(c, p, words)
	if form == 0 {
		if entries, err = parseScores(p, words); err != nil {
			return err
		}
	}
	v := storage.PollVoter{PollID: p.ID, PersonID: c.Person.ID}
	if onPanel {
		v.VoterKey = "j:" + strconv.FormatInt(c.Person.ID, 10)
		if c.Group != nil && slices.Contains(p.GroupIDs, c.Group.ID) {
			v.GroupID = c.Group.ID
		}
	} else {
		if v.GroupID, err = electorGroup(c, p); err != nil {
			return err
		}
		if v.VoterKey, err = voterKey(c.Tx, c.Person, p); err != nil {
			return err
		}
	}
	ballot, err := ballotKey(c.Tx, p, v.VoterKey)
	if err != nil {
		return err
	}
	_, voted, err := ownVote(c, p, v.VoterKey)
	if err != nil {
		return err
	}
	if err := sealedBallot(c, p, voted, ballot); err != nil {
		return err
	}
	sheet := storage.Sheet{Panel: onPanel, Scores: map[int][]int{}}
	if voted {
		if sheet, err = c.Tx.FindSheet(p.ID, ballot); err != nil {
			return err
		}
	}
	if form > 0 { // nothing to save yet: the form's buttons will
		post, err := scoreForm(c, p, sheet, form, false)
		if err != nil {
			return err
		}
		return answerPrivately(c, p, post)
	}
	for _, e := range entries {
		sheet.Scores[e.Cand] = mergeScores(sheet.Scores[e.Cand], e)
	}
	castAt := c.Now()
	if p.Anonymous {
		castAt = p.CreatedAt
	}
	if _, err := c.Tx.CastSheet(v, ballot, sheet, castAt); err != nil {
		return err
	}
	if v.GroupID != 0 {
		action := storage.AckVote
		if voted {
			action = storage.AckChange
		}
		if err := c.Tx.AddPollAck(p.ID, v.GroupID, c.Person.ID, action); err != nil {
			return err
		}
	}
	if !receiptWanted(c) {
		return nil
	}
	if c.Msg.Callback != "" && len(entries) == 1 { // a press on a score form: edit it
		post, err := scoreForm(c, p, sheet, entries[0].Cand, true)
		if err != nil {
			return err
		}
		return answerPrivately(c, p, post)
	}
	var shown []int
	for _, e := range entries {
		shown = append(shown, e.Cand)
	}
	data := sheetData(p, sheet, shown)
	data["Changed"] = voted
	return answerPrivately(c, p, bot.Post{Template: prompts.ScoredReceipt, Data: data})
}

// mergeScores applies an entry to a candidate's earlier scores.
func mergeScores(earlier []int, e scoreEntry) []int {
	if !e.Named || len(earlier) != len(e.Scores) {
		return e.Scores
	}
	out := slices.Clone(earlier)
	for i, v := range e.Scores {
		if v != storage.NoScore {
			out[i] = v
		}
	}
	return out
}

// SheetLine is one candidate of a sheet, as templates show it.
type SheetLine struct {
	Text    string
	Scores  []string // "卫生5", "管理-"
	Missing []string // criteria not scored yet
}

// sheetData shows the candidates of a sheet (only those in shown, if any).
func sheetData(p storage.Poll, s storage.Sheet, shown []int) map[string]any {
	var lines []SheetLine
	for _, cand := range s.Candidates() {
		if len(shown) > 0 && !slices.Contains(shown, cand) || cand > len(p.Options) {
			continue
		}
		l := SheetLine{Text: p.Options[cand-1]}
		for i, v := range s.Scores[cand] {
			if i >= len(p.Criteria) {
				break
			}
			if v == storage.NoScore {
				l.Scores = append(l.Scores, p.Criteria[i].Name+"-")
				l.Missing = append(l.Missing, p.Criteria[i].Name)
			} else {
				l.Scores = append(l.Scores, p.Criteria[i].Name+strconv.Itoa(v))
			}
		}
		lines = append(lines, l)
	}
	return map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Lines": lines, "Panel": s.Panel,
		"Scored": len(s.Scores), "Candidates": len(p.Options), "Open": p.Open(), "Example": exampleScores(p)}
}
