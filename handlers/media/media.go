// Package media prepares incoming pictures for storage: decoded, downscaled to
// a longest side, re-encoded as JPEG (which drops EXIF, GPS and every other
// metadata block), and size-capped. It knows nothing of chats or storage.
package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders: what phones and chat platforms send
	"image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp" // Telegram stickers and some WeChat photos arrive as WebP
)

// Limits bound what is accepted. Zero values take the defaults.
type Limits struct {
	MaxSide  int // longest side after downscaling, in pixels (default 1280)
	MaxBytes int // largest stored picture or file (default 2 MB)
	MaxInput int // largest upload read at all (default 20 MB)
	Quality  int // JPEG quality (default 82)
}

// Defaults.
const (
	DefaultMaxSide  = 1280
	DefaultMaxBytes = 2 << 20
	DefaultMaxInput = 20 << 20
	DefaultQuality  = 82
)

func (l Limits) withDefaults() Limits {
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxInput <= 0 {
		l.MaxInput = DefaultMaxInput
	}
	if l.Quality <= 0 || l.Quality > 100 {
		l.Quality = DefaultQuality
	}
	return l
}

// Errors a caller turns into a polite refusal.
var (
	ErrTooLarge = errors.New("media: too large")
	ErrNotImage = errors.New("media: not a picture")
)

// Picture is a normalised picture: JPEG bytes and their size in pixels.
type Picture struct {
	Data          []byte
	Width, Height int
}

// MIME is the type of every normalised picture.
const MIME = "image/jpeg"

// Normalize decodes a PNG, JPEG, GIF or WebP, scales it down so its longest side is
// at most MaxSide, and re-encodes it as JPEG. The pixel count is checked from
// the header before decoding, so a small file claiming a huge picture costs
// nothing.
func Normalize(data []byte, l Limits) (Picture, error) {
	l = l.withDefaults()
	if len(data) > l.MaxInput {
		return Picture{}, ErrTooLarge
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Picture{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 50_000_000 {
		return Picture{}, ErrTooLarge
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Picture{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	img := Downscale(src, l.MaxSide)
	// A picture still over the cap at this size is re-encoded at lower quality
	// before it is refused.
	for q := l.Quality; ; q -= 20 {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			return Picture{}, fmt.Errorf("media: encode: %w", err)
		}
		if buf.Len() <= l.MaxBytes {
			b := img.Bounds()
			return Picture{Data: buf.Bytes(), Width: b.Dx(), Height: b.Dy()}, nil
		}
		if q <= 40 {
			return Picture{}, ErrTooLarge
		}
	}
}

// Downscale returns src scaled so its longest side is at most maxSide, by
// averaging the source pixels under each target pixel (a box filter: no
// aliasing on photos of text, such as a notice on a wall). A picture already
// small enough is returned as it is.
func Downscale(src image.Image, maxSide int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= maxSide && h <= maxSide {
		return src
	}
	nw, nh := maxSide, h*maxSide/w
	if h > w {
		nw, nh = w*maxSide/h, maxSide
	}
	nw, nh = max(nw, 1), max(nh, 1)
	// Work on RGBA bytes: image/draw converts a decoded JPEG's YCbCr fast, and
	// the loop below then reads a slice instead of calling At per pixel.
	rgba, ok := src.(*image.RGBA)
	if !ok || b.Min != (image.Point{}) {
		rgba = image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(rgba, rgba.Bounds(), src, b.Min, draw.Src)
	}
	dst := image.NewRGBA(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		y0, y1 := y*h/nh, max((y+1)*h/nh, y*h/nh+1)
		for x := 0; x < nw; x++ {
			x0, x1 := x*w/nw, max((x+1)*w/nw, x*w/nw+1)
			var sum [4]int
			for sy := y0; sy < y1; sy++ {
				row := rgba.Pix[sy*rgba.Stride+x0*4 : sy*rgba.Stride+x1*4]
				for i := 0; i < len(row); i += 4 {
					sum[0], sum[1], sum[2], sum[3] = sum[0]+int(row[i]), sum[1]+int(row[i+1]), sum[2]+int(row[i+2]), sum[3]+int(row[i+3])
				}
			}
			n := (y1 - y0) * (x1 - x0)
			o := y*dst.Stride + x*4
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(sum[0]/n), uint8(sum[1]/n), uint8(sum[2]/n), uint8(sum[3]/n)
		}
	}
	return dst
}
