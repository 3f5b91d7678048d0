package chart_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/golang/freetype/truetype"

	"github.com/qiao-community/qiao/handlers/chart"
)

// TestChineseLabelsAreGlyphs: every character of the labels has a glyph in
// the embedded font (no boxes), and the label column of the picture carries
// ink: with the labels drawn it is much darker than with empty labels.
func TestChineseLabelsAreGlyphs(t *testing.T) {
	labels := []string{"周六上午在小区凉亭", "周日下午", "都可以"}
	f, err := truetype.Parse(chart.EmbeddedFont())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range labels {
		for _, r := range l {
			if f.Index(r) == 0 {
				t.Errorf("the embedded font has no glyph for %q", r)
			}
		}
	}
	ink := func(labels []string) int {
		bars := []chart.Bar{{labels[0], 12}, {labels[1], 7}, {labels[2], 3}}
		data, err := chart.HorizontalBars("P3 凉亭活动时间", "投票率 22/40 · 截止 12-01 20:00", bars)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return darkPixels(img, image.Rect(0, 60, 200, img.Bounds().Dy()))
	}
	with, without := ink(labels), ink([]string{"", "", ""})
	if with < without+300 {
		t.Errorf("label column: %d dark pixels with Chinese labels, %d without: the labels were not drawn", with, without)
	}
}

func darkPixels(img image.Image, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr+cg+cb)/3 < 0x8000 {
				n++
			}
		}
	}
	return n
}
