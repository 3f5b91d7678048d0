package polls

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/chart"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// resultChart draws a poll's result as horizontal bars (turnout and deadline
// in the subtitle), stores it and returns its blob id; 0 when nobody voted.
func resultChart(tx *storage.Tx, out *bot.Outbox, lang string, p storage.Poll, data map[string]any) (int64, error) {
	if p.Kind == storage.PollScored {
		return scoredChart(tx, out, lang, p, data)
	}
	standings, _ := data["Standings"].([]Standing)
	if n, _ := data["Ballots"].(int); n == 0 || len(standings) == 0 {
		return 0, nil
	}
	bars := make([]chart.Bar, len(standings))
	for i, s := range standings {
		bars[i] = chart.Bar{Label: s.Text, Value: float64(s.Votes)}
	}
	return storeChart(tx, out, lang, p, data, bars)
}

// storeChart draws bars under the poll's title and subtitle and stores the picture.
func storeChart(tx *storage.Tx, out *bot.Outbox, lang string, p storage.Poll, data map[string]any, bars []chart.Bar) (int64, error) {
	title, err := out.Render(lang, prompts.PollChartTitle, data)
	if err != nil {
		return 0, err
	}
	subtitle, err := out.Render(lang, prompts.PollChartSubtitle, data)
	if err != nil {
		return 0, err
	}
	png, err := chart.HorizontalBars(title, subtitle, bars)
	if err != nil {
		return 0, err
	}
	return tx.CreateBlob(storage.Blob{CommunityID: p.CommunityID, Kind: storage.BlobImage, Name: Ref(p.ID) + ".png",
		MIME: "image/png", Data: png})
}
