package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

// Stack puts PNG pictures one under the other on white, left-aligned, so a
// message that can carry one picture carries several charts.
func Stack(pictures ...[]byte) ([]byte, error) {
	var imgs []image.Image
	width, height := 0, 0
	for _, p := range pictures {
		img, err := png.Decode(bytes.NewReader(p))
		if err != nil {
			return nil, fmt.Errorf("chart: stack: %w", err)
		}
		imgs = append(imgs, img)
		width, height = max(width, img.Bounds().Dx()), height+img.Bounds().Dy()
	}
	if len(imgs) == 0 {
		return nil, fmt.Errorf("chart: nothing to stack")
	}
	if len(imgs) == 1 {
		return pictures[0], nil
	}
	out := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	y := 0
	for _, img := range imgs {
		b := img.Bounds()
		draw.Draw(out, image.Rect(0, y, b.Dx(), y+b.Dy()), img, b.Min, draw.Over)
		y += b.Dy()
	}
	var buf bytes.Buffer
	// Fast compression: the picture is sent once, and drawing it is on the job's clock.
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
