package media_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"github.com/qiao-community/qiao/handlers/media"
)

// PhoneJPEG returns a w×h JPEG with an EXIF block holding a GPS position, as
// a phone camera writes it.
func phoneJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		x, y := i/4%w, i/4/w
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(x), uint8(y), uint8(x+y), 255
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	payload := append([]byte("Exif\x00\x00GPSLatitude=31.2304N;GPSLongitude=121.4737E"), make([]byte, 64)...)
	app1 := append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	b := buf.Bytes()
	return append(append(append([]byte{}, b[:2]...), app1...), b[2:]...) // after SOI
}

func TestNormalizeDownscalesAndStripsMetadata(t *testing.T) {
	in := phoneJPEG(t, 960, 720)
	if !bytes.Contains(in, []byte("GPSLatitude")) {
		t.Fatal("test picture has no GPS block")
	}
	if _, _, err := image.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("test picture does not decode: %v", err)
	}
	p, err := media.Normalize(in, media.Limits{MaxSide: 640})
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 640 || p.Height != 480 {
		t.Errorf("size = %dx%d, want 640x480", p.Width, p.Height)
	}
	if bytes.Contains(p.Data, []byte("GPS")) || bytes.Contains(p.Data, []byte("Exif")) {
		t.Error("metadata survived normalisation")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(p.Data))
	if err != nil || format != "jpeg" || cfg.Width != 640 {
		t.Errorf("output: %v %s %d", err, format, cfg.Width)
	}
}

func TestNormalizeKeepsSmallPicturesAndPortraits(t *testing.T) {
	p, err := media.Normalize(phoneJPEG(t, 600, 400), media.Limits{})
	if err != nil || p.Width != 600 || p.Height != 400 {
		t.Fatalf("small: %dx%d %v", p.Width, p.Height, err)
	}
	img := image.NewGray(image.Rect(0, 0, 200, 800))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p, err = media.Normalize(buf.Bytes(), media.Limits{MaxSide: 400})
	if err != nil || p.Width != 100 || p.Height != 400 {
		t.Fatalf("portrait PNG: %dx%d %v", p.Width, p.Height, err)
	}
}

func TestNormalizeRefusals(t *testing.T) {
	if _, err := media.Normalize([]byte("not a picture at all"), media.Limits{}); !errors.Is(err, media.ErrNotImage) {
		t.Errorf("text: %v, want ErrNotImage", err)
	}
	big := phoneJPEG(t, 400, 300)
	if _, err := media.Normalize(big, media.Limits{MaxInput: len(big) - 1}); !errors.Is(err, media.ErrTooLarge) {
		t.Errorf("over the input cap: %v, want ErrTooLarge", err)
	}
	if _, err := media.Normalize(big, media.Limits{MaxBytes: 100}); !errors.Is(err, media.ErrTooLarge) {
		t.Errorf("over the stored cap even at low quality: %v, want ErrTooLarge", err)
	}
	// A tiny PNG header claiming 100000×100000 pixels is refused before decoding.
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	copy(b[16:24], []byte{0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0}) // IHDR width and height
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	if _, err := media.Normalize(b, media.Limits{}); !errors.Is(err, media.ErrTooLarge) {
		t.Errorf("decompression bomb: %v, want ErrTooLarge", err)
	}
}

// TestNormalizeWebP: a WebP photo (as Telegram and WeChat sometimes send) is
// decoded, downscaled and re-encoded as JPEG like any other. The file is
// golang.org/x/image v0.45.0 testdata/video-001.lossy.webp (BSD-3-Clause),
// a 150×103 lossy WebP made with libwebp's cwebp.
func TestNormalizeWebP(t *testing.T) {
	in, err := os.ReadFile("testdata/video-001.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	p, err := media.Normalize(in, media.Limits{MaxSide: 75})
	if err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(p.Data))
	if err != nil || format != "jpeg" || cfg.Width != 75 || p.Width != 75 || p.Height != 51 {
		t.Errorf("WebP in: %v %s %dx%d (picture %dx%d), want a 75×51 JPEG", err, format, cfg.Width, cfg.Height, p.Width, p.Height)
	}
}
