package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/go-analyze/charts"
)

// Missing marks a value that does not exist (a month nobody rated): no bar is
// drawn, which is not the same as a bar of 0.
var Missing = charts.GetNullValue()

// Series is one named row of values, one per label of a Columns chart.
type Series struct {
	Name   string
	Values []float64
}

// Columns draws vertical bars grouped by label, one colour per series (with a
// legend when there is more than one), the value axis from 0 up to top (0:
// chosen from the data), each bar labelled with its value and unit ("%").
func Columns(title, subtitle string, labels []string, series []Series, top float64, unit string) ([]byte, error) {
	if len(labels) == 0 || len(series) == 0 {
		return nil, fmt.Errorf("chart: no columns")
	}
	values := make([][]float64, len(series))
	names := make([]string, len(series))
	for i, s := range series {
		if len(s.Values) != len(labels) {
			return nil, fmt.Errorf("chart: series %q has %d values for %d labels", s.Name, len(s.Values), len(labels))
		}
		values[i], names[i] = s.Values, s.Name
	}
	font, err := parsedFont()
	if err != nil {
		return nil, err
	}
	format := func(v float64) string {
		if v == Missing || math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + unit
	}
	opt := charts.NewBarChartOptionWithData(values)
	opt.CategoryAxis.Labels = labels
	opt.CategoryAxis.LabelFontStyle = charts.FontStyle{Font: font, FontSize: 12}
	opt.CategoryAxis.LabelCount = len(labels) // every month named, none skipped
	axis := charts.ValueAxisOption{Min: charts.Ptr(0.0), ValueFormatter: format, LabelFontStyle: charts.FontStyle{Font: font}}
	if top > 0 {
		axis.Max = charts.Ptr(top)
		axis.LabelCount = 6 // 0, 20, … 100
	}
	opt.ValueAxis = []charts.ValueAxisOption{axis}
	opt.Title = titleOption(font, title, subtitle)
	opt.Padding = charts.Box{Top: 20, Right: 30, Bottom: 20, Left: 20}
	if len(series) > 1 {
		opt.Legend = charts.LegendOption{SeriesNames: names, FontStyle: charts.FontStyle{Font: font, FontSize: 12},
			Offset: charts.OffsetRight, Padding: charts.Box{Top: 10}}
	} else {
		opt.Legend = charts.LegendOption{Show: charts.Ptr(false)}
	}
	for i := range opt.SeriesList {
		opt.SeriesList[i].Name = names[i]
		opt.SeriesList[i].Label.Show = charts.Ptr(true)
		opt.SeriesList[i].Label.ValueFormatter = format
		opt.SeriesList[i].Label.FontStyle = charts.FontStyle{Font: font, FontSize: 10}
	}
	width := max(640, 120+len(labels)*max(60, len(series)*36))
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: width, Height: 420, Font: font})
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return p.Bytes()
}
