package digest

import (
	"github.com/qiao-community/qiao/handlers/chart"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// weeklyChart draws the week's new requests by kind and what was resolved and
// answered as bars (counts only, no names: it goes to residents' groups),
// stores the picture and returns its id; 0 for a quiet week.
func (d *Digests) weeklyChart(tx *storage.Tx, cm storage.Community, w Weekly) (int64, error) {
	if w.Quiet {
		return 0, nil
	}
	lang := d.Outbox.DefaultLang
	render := func(name string, data any) (string, error) { return d.Outbox.Render(lang, name, data) }
	var bars []chart.Bar
	for _, k := range w.New {
		label, err := render(prompts.RequestsKindName, k.Kind)
		if err != nil {
			return 0, err
		}
		bars = append(bars, chart.Bar{Label: label, Value: float64(k.N)})
	}
	for _, b := range []struct {
		name string
		n    int
	}{{prompts.ChartWeeklyResolved, w.Resolved}, {prompts.ChartWeeklyAnswered, w.Answered}} {
		label, err := render(b.name, nil)
		if err != nil {
			return 0, err
		}
		bars = append(bars, chart.Bar{Label: label, Value: float64(b.n)})
	}
	title, err := render(prompts.ChartWeeklyTitle, w)
	if err != nil {
		return 0, err
	}
	subtitle, err := render(prompts.ChartWeeklySubtitle, w)
	if err != nil {
		return 0, err
	}
	png, err := chart.HorizontalBars(title, subtitle, bars)
	if err != nil {
		return 0, err
	}
	return tx.CreateBlob(storage.Blob{CommunityID: cm.ID, Kind: storage.BlobImage, Name: "周报-" + w.To.Format("2006-01-02") + ".png",
		MIME: "image/png", Data: png})
}
