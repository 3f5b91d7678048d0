package polls

import (
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/chart"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// resultChart draws a poll's result as horizontal bars (turnout and deadline
// in the subtitle), stores it and returns its blob id; 0 when nobody voted.
func resultChart(tx *storage.Tx, out *bot.Outbox, lang string, p storage.Poll, data map[string]any) (int64, error) {
	png, err := drawResult(out, lang, p, data)
	if err != nil || png == nil {
		return 0, err
	}
	return tx.CreateBlob(storage.Blob{CommunityID: p.CommunityID, Kind: storage.BlobImage, Name: Ref(p.ID) + ".png",
		MIME: "image/png", Data: png})
}

// drawResult draws the chart of a tally (an evaluation's weighted scores);
// nil when nobody voted.
func drawResult(out *bot.Outbox, lang string, p storage.Poll, data map[string]any) ([]byte, error) {
	var bars []chart.Bar
	if p.Kind == storage.PollScored {
		bars = scoredBars(data)
	} else if n, _ := data["Ballots"].(int); n > 0 {
		standings, _ := data["Standings"].([]Standing)
		for _, s := range standings {
			bars = append(bars, chart.Bar{Label: s.Text, Value: float64(s.Votes)})
		}
	}
	if len(bars) == 0 {
		return nil, nil
	}
	title, err := out.Render(lang, prompts.PollChartTitle, data)
	if err != nil {
		return nil, err
	}
	subtitle, err := out.Render(lang, prompts.PollChartSubtitle, data)
	if err != nil {
		return nil, err
	}
	return chart.HorizontalBars(title, subtitle, bars)
}

// ChartPNG draws a poll's result chart for the staff web page, without
// storing it. It returns nil when nobody voted, and when the result is hidden
// while the poll is open (anonymous or hide-results), as #结果 would.
func ChartPNG(tx *storage.Tx, out *bot.Outbox, lang string, p storage.Poll, loc *time.Location) ([]byte, error) {
	if liveResultsHidden(p) {
		return nil, nil
	}
	data, err := resultData(tx, p, loc)
	if err != nil {
		return nil, err
	}
	return drawResult(out, lang, p, data)
}
