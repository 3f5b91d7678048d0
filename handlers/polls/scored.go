package polls

import (
	"errors"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Candidate is a scored evaluation's candidate, as templates show it.
type Candidate struct {
	Index       int
	Text, Intro string
}

// CriterionView is a criterion with its normalised weight, as templates show it.
type CriterionView struct {
	Index   int
	Name    string
	Percent string
}

// Score answers 评分/score: a new scored evaluation from its text, or a score
// sheet ("评分 P5 3栋 5 4 5"). A text with 候选 or on several lines is an
// evaluation; anything else is scoring.
func (h *Handlers) Score(c *bot.Context) error {
	if c.Args == "" {
		return bot.Refuse(prompts.ScoredUsage, nil)
	}
	if !isEvaluationText(c.Args) {
		return h.scoreSheet(c)
	}
	if !roles.LeadsHere(c) {
		return bot.Refuse(prompts.PollForbidden, nil)
	}
	loc := location(c.Community.Timezone)
	spec := ParseEvaluation(c.Args, c.RawArgs(), c.Now(), loc, h.Config.limits())
	groups, err := h.scope(c, &spec.Spec)
	if err != nil {
		return err
	}
	panel, err := resolvePanel(c, spec.PanelNames, &spec.Spec)
	if err != nil {
		return err
	}
	if len(spec.Problems) > 0 {
		return bot.Refuse(prompts.ScoredMalformed, evalSpecData(spec, loc))
	}
	p := newPoll(c, spec.Spec)
	p.Options, p.Kind, p.Scale, p.PanelWeight = spec.DisplayOptions, storage.PollScored, spec.Scale, spec.PanelWeight
	p.Criteria, p.Intros, p.Panel = spec.Criteria, spec.Intros, panel
	names, err := start(c, &p, groups, loc)
	if err != nil {
		return err
	}
	data, err := scoredData(c.Tx, p, loc)
	if err != nil {
		return err
	}
	data["Groups"] = names
	return c.Reply(prompts.ScoredCreated, data)
}

// isEvaluationText tells an evaluation's text from a score sheet.
func isEvaluationText(args string) bool {
	return strings.Contains(args, "\n") || segmentRE.MatchString(args)
}

// resolvePanel finds the people named as the panel; names nobody (or several
// people) answers to become problems.
func resolvePanel(c *bot.Context, names []string, spec *Spec) ([]int64, error) {
	var ids []int64
	for _, name := range names {
		found, err := c.Tx.FindPeopleByName(c.Community.ID, name)
		if err != nil {
			return nil, err
		}
		switch len(found) {
		case 0:
			spec.problem(Problem{Code: "unknown_panel", Text: name})
		case 1:
			ids = append(ids, found[0].ID)
		default:
			spec.problem(Problem{Code: "ambiguous_panel", Text: name})
		}
	}
	return ids, nil
}

// scoredData is what every evaluation template may show about it.
func scoredData(tx *storage.Tx, p storage.Poll, loc *time.Location) (map[string]any, error) {
	data := pollData(p, loc)
	var cands []Candidate
	for i, t := range p.Options {
		cands = append(cands, Candidate{Index: i + 1, Text: t, Intro: p.Intros[i]})
	}
	var panel []string
	for _, id := range p.Panel {
		person, err := tx.FindPerson(id)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, err
		}
		panel = append(panel, person.Name)
	}
	data["Candidates"], data["Criteria"], data["Panel"] = cands, criteriaViews(p.Criteria), panel
	data["ScaleMin"], data["ScaleMax"], data["TopN"] = p.Scale.Min, p.Scale.Max, p.MaxChoices
	data["PanelWeight"], data["ResidentWeight"] = panelWeight(p), 100-panelWeight(p)
	data["Example"] = exampleScores(p)
	return data, nil
}

// panelWeight is the panel's effective share: none without a panel.
func panelWeight(p storage.Poll) int {
	if len(p.Panel) == 0 {
		return 0
	}
	return p.PanelWeight
}

func criteriaViews(cs []storage.Criterion) []CriterionView {
	pct := WeightPercents(cs)
	out := make([]CriterionView, len(cs))
	for i, c := range cs {
		out[i] = CriterionView{Index: i + 1, Name: c.Name, Percent: pct[i]}
	}
	return out
}

// exampleScores is a score sheet line for the first candidate: "P5 1栋 5 4 5".
func exampleScores(p storage.Poll) string {
	parts := []string{Ref(p.ID), p.Options[0]}
	for i := range p.Criteria {
		parts = append(parts, []string{"5", "4", "5", "3"}[i%4])
	}
	return strings.Join(parts, " ")
}

func evalSpecData(s EvalSpec, loc *time.Location) map[string]any {
	data := malformedData(s.Spec, loc)
	var cands []Candidate
	for i, t := range s.DisplayOptions {
		cands = append(cands, Candidate{Index: i + 1, Text: t, Intro: s.Intros[i]})
	}
	data["Candidates"], data["Criteria"], data["Panel"] = cands, criteriaViews(s.Criteria), s.PanelNames
	data["ScaleMin"], data["ScaleMax"], data["TopN"] = s.Scale.Min, s.Scale.Max, s.MaxChoices
	data["PanelWeight"], data["ResidentWeight"] = max(s.PanelWeight, 0), 100-max(s.PanelWeight, 0)
	return data
}

// scoredAnnouncement is an evaluation's announcement: candidates with their
// self-presentations, criteria, scale and how to score. Scores are typed: a
// button per candidate, criterion and score would be dozens of rows. Telegram
// offers one candidate's buttons privately instead (scored_buttons.go).
func scoredAnnouncement(tx *storage.Tx, p storage.Poll, loc *time.Location) (bot.Post, error) {
	data, err := scoredData(tx, p, loc)
	if err != nil {
		return bot.Post{}, err
	}
	data["Live"] = false
	return bot.Post{Template: prompts.ScoredAnnounce, Data: data}, nil
}

// byKind picks a poll's template: choice polls and scored evaluations say
// the same things differently.
func byKind(p storage.Poll, choice, scored string) string {
	if p.Kind == storage.PollScored {
		return scored
	}
	return choice
}
