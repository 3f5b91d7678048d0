package polls

import (
	"errors"
	"strconv"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// MyScore answers 我的评分/myscore [ID]: the sender's sheet, told to them alone.
func (h *Handlers) MyScore(c *bot.Context) error {
	ref, ok := optionalRef(c.Args)
	if !ok {
		return bot.Refuse(prompts.PollRefUsage, map[string]string{"Command": commandWord(c)})
	}
	p, err := targetPollOf(c, ref, true, storage.PollScored)
	if err != nil {
		return err
	}
	if p.Kind != storage.PollScored {
		return bot.Refuse(prompts.ScoredNotScored, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	voter := "j:" + strconv.FormatInt(c.Person.ID, 10)
	if !p.OnPanel(c.Person.ID) {
		if voter, err = voterKey(c.Tx, c.Person, p); err != nil {
			return err
		}
	}
	data := map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Open": p.Open(), "Voted": false, "Sealed": false,
		"ByOther": false, "Lines": []SheetLine(nil), "Example": exampleScores(p)}
	v, err := c.Tx.FindPollVoter(p.ID, voter)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return answerPrivately(c, p, bot.Post{Template: prompts.ScoredMine, Data: data})
	case err != nil:
		return err
	}
	data["Voted"] = true
	switch {
	case v.PersonID != c.Person.ID || v.Source == storage.SourcePaper:
		data["ByOther"] = true
	case p.Anonymous && !p.Open():
		data["Sealed"] = true
	}
	if data["ByOther"] == true || data["Sealed"] == true {
		return answerPrivately(c, p, bot.Post{Template: prompts.ScoredMine, Data: data})
	}
	ballot, err := ballotKey(c.Tx, p, voter)
	if err != nil {
		return err
	}
	sheet, err := c.Tx.FindSheet(p.ID, ballot)
	if errors.Is(err, storage.ErrNotFound) && p.Anonymous {
		data["Sealed"] = true
		return answerPrivately(c, p, bot.Post{Template: prompts.ScoredMine, Data: data})
	}
	if err != nil {
		return err
	}
	for k, val := range sheetData(p, sheet, nil) {
		if k != "Open" {
			data[k] = val
		}
	}
	return answerPrivately(c, p, bot.Post{Template: prompts.ScoredMine, Data: data})
}

// Panel answers 评委/panel ID names… [评委占60%]: the creator or staff set an
// open evaluation's panel (and its weight). Removed members' sheets are withdrawn.
func (h *Handlers) Panel(c *bot.Context) error {
	ref, words := splitRef(c.Args)
	if ref == 0 || words == "" {
		return bot.Refuse(prompts.ScoredPanelUsage, nil)
	}
	p, err := targetPoll(c, ref, false)
	if err != nil {
		return err
	}
	if p.Kind != storage.PollScored {
		return bot.Refuse(prompts.ScoredNotScored, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	if p.CreatorID != c.Person.ID && !c.Person.IsStaff() {
		return bot.Refuse(prompts.ScoredPanelForbidden, map[string]string{"Ref": Ref(p.ID)})
	}
	spec := EvalSpec{PanelWeight: -1}
	words = spec.evalSettings(words)
	var names []string
	for _, n := range itemSplitRE.Split(words, -1) {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	ids, err := resolvePanel(c, names, &spec.Spec)
	if err != nil {
		return err
	}
	if spec.PanelWeight > 100 {
		spec.problem(Problem{Code: "bad_panel_weight", N: spec.PanelWeight})
	}
	if len(spec.Problems) > 0 || len(ids) == 0 {
		return bot.Refuse(prompts.ScoredPanelProblems, map[string]any{"Ref": Ref(p.ID), "Problems": spec.Problems})
	}
	for _, old := range p.Panel {
		if err := dropPanelSheet(c.Tx, p, old, ids); err != nil {
			return err
		}
	}
	if err := c.Tx.SetPollPanel(p.ID, ids); err != nil {
		return err
	}
	if spec.PanelWeight >= 0 {
		p.PanelWeight = spec.PanelWeight
	} else if p.PanelWeight == 0 {
		p.PanelWeight = 50
	}
	if err := c.Tx.SetPollPanelWeight(p.ID, p.PanelWeight); err != nil {
		return err
	}
	p.Panel = ids
	data, err := scoredData(c.Tx, p, location(c.Community.Timezone))
	if err != nil {
		return err
	}
	return c.Reply(prompts.ScoredPanelSet, data)
}

// dropPanelSheet withdraws the sheet of a panel member who is no longer on
// the panel: only the panel's members score as the panel.
func dropPanelSheet(tx *storage.Tx, p storage.Poll, member int64, keep []int64) error {
	for _, k := range keep {
		if k == member {
			return nil
		}
	}
	voter := "j:" + strconv.FormatInt(member, 10)
	ballot, err := ballotKey(tx, p, voter)
	if err != nil {
		return err
	}
	_, err = tx.WithdrawBallot(p.ID, voter, ballot)
	return err
}
