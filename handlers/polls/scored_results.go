package polls

import (
	"strconv"
	"time"

	"github.com/qiao-community/qiao/handlers/chart"
	"github.com/qiao-community/qiao/storage"
)

// ScoredRow is a candidate's line in an evaluation's result, with its
// numbers formatted (two decimals) for the templates.
type ScoredRow struct {
	ScoredStanding
	ScoreText string
	MeanTexts []string // "卫生4.50"
}

// scoredResultData ranks an evaluation for the result templates.
func scoredResultData(tx *storage.Tx, p storage.Poll, loc *time.Location) (map[string]any, error) {
	sheets, err := tx.PollSheets(p.ID)
	if err != nil {
		return nil, err
	}
	r := ScoreCandidates(p, sheets)
	data, err := scoredData(tx, p, loc)
	if err != nil {
		return nil, err
	}
	var rows, winners []ScoredRow
	for _, s := range r.Standings {
		row := ScoredRow{ScoredStanding: s, ScoreText: twoDecimals(s.Score)}
		for i, m := range s.Means {
			row.MeanTexts = append(row.MeanTexts, p.Criteria[i].Name+twoDecimals(m))
		}
		rows = append(rows, row)
		if s.Winner {
			winners = append(winners, row)
		}
	}
	data["Standings"], data["Winners"], data["TieAtCut"] = rows, winners, r.TieAtCut
	data["Ballots"], data["PanelSheets"], data["ResidentSheets"] = r.PanelSheets+r.ResidentSheets, r.PanelSheets, r.ResidentSheets
	if err := addTurnout(tx, p, data); err != nil {
		return nil, err
	}
	return data, nil
}

// addTurnout adds the turnout and the ballots' sources (online, paper) to a
// result's data.
func addTurnout(tx *storage.Tx, p storage.Poll, data map[string]any) error {
	voters, eligible, configured, err := tx.PollTurnout(p.ID, p.PerHousehold)
	if err != nil {
		return err
	}
	src, err := tx.PollBallotSources(p.ID)
	if err != nil {
		return err
	}
	data["Voters"], data["Eligible"], data["Configured"] = voters, eligible, configured
	data["Online"], data["Paper"] = src.Online, src.Paper
	return nil
}

func twoDecimals(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// scoredBars are an evaluation's ranking as bars of the weighted scores.
func scoredBars(data map[string]any) []chart.Bar {
	rows, _ := data["Standings"].([]ScoredRow)
	var bars []chart.Bar
	for _, r := range rows {
		if r.Ranked {
			bars = append(bars, chart.Bar{Label: r.Text, Value: r.Score})
		}
	}
	return bars
}
