package polls

import (
	"fmt"
	"slices"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// formButtonsPerRow keeps a criterion's buttons readable on a phone: a 0–10
// scale takes two rows.
const formButtonsPerRow = 6

// formPlatforms are the platforms whose chats show inline buttons that send
// their data back as a press.
var formPlatforms = []string{bot.Telegram}

// formCandidate is the candidate of "评分 P5 3栋" with no score after it, typed
// where the platform has buttons: the sender gets a score form instead of a
// refusal. 0 when the text is anything else.
func formCandidate(c *bot.Context, p storage.Poll, words string) int {
	if !slices.Contains(formPlatforms, c.Msg.Platform) || c.Msg.Callback != "" {
		return 0
	}
	cand, rest := matchCandidate(p.Options, words)
	if cand == 0 || strings.TrimSpace(rest) != "" {
		return 0
	}
	for _, crit := range p.Criteria {
		if len(buttonData(p, cand, crit.Name, p.Scale.Max)) > maxButtonData {
			return 0 // a criterion too long for a button: typed scores only
		}
	}
	return cand
}

// maxButtonData is Telegram's limit on a button's data, in bytes.
const maxButtonData = 64

// buttonData is what a score button sends: the typed partial sheet "score P5 3 卫生4".
func buttonData(p storage.Poll, cand int, criterion string, score int) string {
	return fmt.Sprintf("score %s %d %s%d", Ref(p.ID), cand, criterion, score)
}

// formRef names a person's score form of one candidate, so each press edits it.
func formRef(p storage.Poll, personID int64, cand int) string {
	return fmt.Sprintf("score-form:%s:%d:%d", Ref(p.ID), personID, cand)
}

// scoreForm is the form of one candidate: what the sheet holds for it and one
// row of buttons per criterion; a press sends "score P5 3 卫生4", which saves
// that one score like a typed partial sheet and edits the form (edit).
func scoreForm(c *bot.Context, p storage.Poll, sheet storage.Sheet, cand int, edit bool) (bot.Post, error) {
	data := sheetData(p, storage.Sheet{Panel: sheet.Panel, Scores: map[int][]int{cand: scoresOf(p, sheet, cand)}}, []int{cand})
	data["Candidate"], data["Saved"] = p.Options[cand-1], edit
	saved := scoresOf(p, sheet, cand)
	var rows [][]bot.Button
	for i, crit := range p.Criteria {
		var row []bot.Button
		for v := p.Scale.Min; v <= p.Scale.Max; v++ {
			label, err := c.Outbox.Render(c.Lang, prompts.ScoredFormButton, map[string]any{"Criterion": crit.Name,
				"Score": v, "First": v == p.Scale.Min, "Chosen": saved[i] == v})
			if err != nil {
				return bot.Post{}, err
			}
			row = append(row, bot.Button{Text: label, Data: buttonData(p, cand, crit.Name, v)})
			if len(row) == formButtonsPerRow {
				rows, row = append(rows, row), nil
			}
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
	}
	post := bot.Post{Template: prompts.ScoredForm, Data: data, Buttons: rows}
	if edit {
		post.EditRef = formRef(p, c.Person.ID, cand)
	} else {
		post.Ref = formRef(p, c.Person.ID, cand)
	}
	return post, nil
}

// scoresOf is a candidate's scores on a sheet, NoScore for each one missing.
func scoresOf(p storage.Poll, sheet storage.Sheet, cand int) []int {
	out := make([]int, len(p.Criteria))
	for i := range out {
		out[i] = storage.NoScore
		if s := sheet.Scores[cand]; i < len(s) {
			out[i] = s[i]
		}
	}
	return out
}
