package chart_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"unicode"

	"github.com/golang/freetype/truetype"

	"github.com/qiao-community/qiao/handlers/chart"
)

// TestColumnsDrawChinese: the month and department charts draw their Chinese
// title, axis labels and legend as glyphs: every character is in the font, and
// the title band, the label band under the bars and the legend carry ink that
// is not there when the same chart has empty texts.
func TestColumnsDrawChinese(t *testing.T) {
	labels := []string{"物业", "供电所", "城管执法"}
	names := []string{"响应率", "解决率", "满意率"}
	f, err := truetype.Parse(chart.EmbeddedFont())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(append([]string{"各部门三率", "和平路社区 满意率（近12个月）", "11月"}, labels...), names...) {
		for _, r := range s {
			if unicode.Is(unicode.Han, r) && f.Index(r) == 0 {
				t.Errorf("the embedded font has no glyph for %q", r)
			}
		}
	}
	draw := func(title string, labels, names []string) image.Image {
		m := chart.Missing
		data, err := chart.Columns(title, "", labels, []chart.Series{{names[0], []float64{90, 80, m}},
			{names[1], []float64{70, 100, 50}}, {names[2], []float64{95, m, 100}}}, 100, "%")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	with, without := draw("各部门三率", labels, names), draw("", []string{"", "", ""}, []string{"", "", ""})
	w, h := with.Bounds().Dx(), with.Bounds().Dy()
	for _, band := range []struct {
		name string
		r    image.Rectangle
		min  int
	}{
		{"title", image.Rect(0, 0, w/3, 45), 150},
		{"labels under the bars", image.Rect(60, h-30, w, h), 150},
		{"legend", image.Rect(w/2, 0, w, 45), 150},
	} {
		a, b := darkPixels(with, band.r), darkPixels(without, band.r)
		if a < b+band.min {
			t.Errorf("%s: %d dark pixels with Chinese text, %d without: the text was not drawn", band.name, a, b)
		}
	}
}

// TestStack puts pictures one under the other in one picture.
func TestStack(t *testing.T) {
	blank := func(w, h int) []byte {
		var buf bytes.Buffer
		if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	both, err := chart.Stack(blank(300, 40), blank(200, 60))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(both))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 300 || b.Dy() != 100 {
		t.Errorf("stacked %v, want 300×100", b)
	}
	// The second picture is black from y 40; beside it, where it is narrower, white.
	if r, _, _, _ := img.At(100, 50).RGBA(); r != 0 {
		t.Errorf("inside the second picture: %v, want black", img.At(100, 50))
	}
	if r, _, _, _ := img.At(250, 50).RGBA(); r != 0xffff {
		t.Errorf("beside the second picture: %v, want white", img.At(250, 50))
	}
	if _, err := chart.Stack([]byte("not a png")); err == nil {
		t.Error("a broken picture was stacked")
	}
}
