// Package chart draws the pictures residents read at a glance (a poll's
// result as horizontal bars) as PNG, with an embedded CJK TrueType font so
// Chinese labels are glyphs, not boxes. It knows nothing of chats.
package chart

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/go-analyze/charts"
	"github.com/golang/freetype/truetype"
)

//go:embed fonts/DroidSansFallback-GB2312.ttf
var embeddedFont []byte

var (
	fontOnce sync.Once
	fontErr  error
	fontData []byte
)

func currentFont() []byte {
	if fontData == nil {
		return embeddedFont
	}
	return fontData
}

// UseFont installs the font charts are drawn with: a TrueType file at path, or
// the embedded GB2312 subset when path is empty. It is read once per process:
// the first call wins; later calls return its result.
func UseFont(path string) error {
	fontOnce.Do(func() {
		data := embeddedFont
		if path != "" {
			if data, fontErr = os.ReadFile(path); fontErr != nil {
				return
			}
		}
		if _, fontErr = truetype.Parse(data); fontErr != nil {
			fontErr = fmt.Errorf("chart: font %q: %w", path, fontErr)
			return
		}
		fontData = data
	})
	return fontErr
}

// Bar is one bar: its label and value.
type Bar struct {
	Label string
	Value float64
}

// HorizontalBars draws bars top to bottom in the given order, the value axis
// from 0, with a title and a subtitle (turnout and deadline for a poll).
func HorizontalBars(title, subtitle string, bars []Bar) ([]byte, error) {
	if len(bars) == 0 {
		return nil, fmt.Errorf("chart: no bars")
	}
	values := make([]float64, len(bars))
	labels := make([]string, len(bars))
	// The library draws the first value at the bottom: reverse, so the first bar is on top.
	for i, b := range bars {
		values[len(bars)-1-i] = b.Value
		labels[len(bars)-1-i] = b.Label
	}
	font, err := parsedFont()
	if err != nil {
		return nil, err
	}
	opt := charts.NewBarChartOptionWithData([][]float64{values})
	opt.Horizontal = true
	opt.CategoryAxis.Labels = labels
	// Every text element names the font: the library's axis labels do not
	// inherit the painter's.
	opt.CategoryAxis.LabelFontStyle = charts.FontStyle{Font: font, FontSize: 13}
	whole := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	rounded := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	axis := charts.ValueAxisOption{Min: charts.Ptr(0.0), ValueFormatter: rounded, LabelFontStyle: charts.FontStyle{Font: font}}
	if top := slices.Max(values); top <= 10 {
		// Small counts: one tick per whole number, not 0.8, 1.6, 2.4000000000000004.
		axis.Max, axis.LabelCount = charts.Ptr(math.Floor(top)+1), int(top)+2
	}
	opt.ValueAxis = []charts.ValueAxisOption{axis}
	opt.Title = titleOption(font, title, subtitle)
	opt.Padding = charts.Box{Top: 20, Right: 40, Bottom: 20, Left: 20}
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	opt.SeriesList[0].Label.ValueFormatter = whole
	opt.SeriesList[0].Label.FontStyle = charts.FontStyle{Font: font}
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: 800, Height: 120 + 60*len(bars), Font: font})
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return p.Bytes()
}

// parsedFont is the installed font (the embedded subset unless UseFont named another).
func parsedFont() (*truetype.Font, error) {
	if err := UseFont(""); err != nil {
		return nil, err
	}
	font, err := truetype.Parse(currentFont())
	if err != nil {
		return nil, fmt.Errorf("chart: font: %w", err)
	}
	return font, nil
}

// titleOption is a chart's title and subtitle in the font.
func titleOption(font *truetype.Font, title, subtitle string) charts.TitleOption {
	return charts.TitleOption{Text: title, Subtext: subtitle, FontStyle: charts.FontStyle{Font: font, FontSize: 16},
		SubtextFontStyle: charts.FontStyle{Font: font, FontSize: 12}}
}

// EmbeddedFont returns the embedded GB2312 subset (for tests and checks).
func EmbeddedFont() []byte { return embeddedFont }
