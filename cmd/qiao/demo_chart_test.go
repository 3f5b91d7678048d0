package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoChart runs `qiao demo-chart` (which makes docs/images/poll-chart.png)
// and checks the picture: a PNG of the size a three-option poll is drawn at,
// with ink in the bars and in the label column where the Chinese options are.
func TestDemoChart(t *testing.T) {
	out := filepath.Join(t.TempDir(), "poll-chart.png")
	var stdout, stderr bytes.Buffer
	if err := Main(context.Background(), []string{"demo-chart", "-o", out}, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("demo-chart: %v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 120+60*3 {
		t.Errorf("size %v, want 800×300 (three bars)", b)
	}
	labels, bars := image.Rect(0, 60, 150, 300), image.Rect(200, 60, 700, 300)
	if n := inked(img, labels); n < 300 {
		t.Errorf("label column: %d dark pixels, want the options written in Chinese", n)
	}
	if n := coloured(img, bars); n < 10_000 {
		t.Errorf("bars: %d coloured pixels, want three bars", n)
	}
	if !strings.Contains(stdout.String(), "the chart posted into 3栋居民群 when P1 closed") {
		t.Errorf("stdout: %q", stdout.String())
	}
}

// inked counts dark pixels in r; coloured counts pixels that are neither grey nor white.
func inked(img image.Image, r image.Rectangle) int {
	return countPixels(img, r, func(cr, cg, cb uint32) bool { return (cr+cg+cb)/3 < 0x8000 })
}

func coloured(img image.Image, r image.Rectangle) int {
	return countPixels(img, r, func(cr, cg, cb uint32) bool { return max(cr, cg, cb)-min(cr, cg, cb) > 0x2000 })
}

func countPixels(img image.Image, r image.Rectangle, f func(r, g, b uint32) bool) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if f(cr, cg, cb) {
				n++
			}
		}
	}
	return n
}
