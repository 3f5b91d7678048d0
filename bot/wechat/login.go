package wechat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	qr "github.com/piglig/go-qr"
)

// loginFile is the hot-login storage: openwechat writes its session into it
// and reads it back at the next start. It repairs two flaws of the library's
// cookie jar on the way: a reloaded jar has lost the cookies' domains (so
// webpush. and file. would get no cookies) and, once saved again without new
// cookies, is empty. Writes are atomic and private (0600).
type loginFile struct {
	path string

	mu     sync.Mutex
	reader *bytes.Reader
	last   map[string][]*http.Cookie
}

func newLoginFile(path string) *loginFile { return &loginFile{path: path} }

// exists reports whether a saved session is there to try.
func (f *loginFile) exists() bool {
	st, err := os.Stat(f.path)
	return err == nil && st.Size() > 0
}

// Read serves the saved session, its cookies spread to every WeChat host.
func (f *loginFile) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reader == nil {
		data, err := os.ReadFile(f.path)
		if err != nil {
			return 0, err
		}
		var item map[string]json.RawMessage
		if err := json.Unmarshal(data, &item); err != nil {
			return 0, fmt.Errorf("wechat login file: %w", err)
		}
		jar := decodeJar(item["Jar"])
		f.last = jar
		item["Jar"], _ = json.Marshal(spread(jar, domainOf(item)))
		data, _ = json.Marshal(item)
		f.reader = bytes.NewReader(data)
	}
	return f.reader.Read(p)
}

// Write saves a session, keeping the last known cookies when the library
// hands over an empty jar.
func (f *loginFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var item map[string]json.RawMessage
	if err := json.Unmarshal(p, &item); err != nil {
		return 0, fmt.Errorf("wechat login file: %w", err)
	}
	jar := decodeJar(item["Jar"])
	merged := map[string][]*http.Cookie{}
	for _, src := range []map[string][]*http.Cookie{f.last, jar} {
		for host, cs := range src {
			merged[host] = mergeCookies(merged[host], cs)
		}
	}
	f.last = spread(merged, domainOf(item))
	item["Jar"], _ = json.Marshal(f.last)
	data, _ := json.Marshal(item)
	if err := writeFileAtomic(f.path, data); err != nil {
		return 0, err
	}
	return len(p), nil
}

func decodeJar(raw json.RawMessage) map[string][]*http.Cookie {
	jar := map[string][]*http.Cookie{}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &jar)
	}
	return jar
}

func domainOf(item map[string]json.RawMessage) string {
	var d string
	_ = json.Unmarshal(item["WechatDomain"], &d)
	if d == "" {
		d = "wx.qq.com"
	}
	return d
}

// spread puts the session's cookies back as domain cookies of the WeChat
// domain, so every host (wx., webpush., file.) gets them and a new
// Set-Cookie of the same name replaces them.
func spread(jar map[string][]*http.Cookie, domain string) map[string][]*http.Cookie {
	var all []*http.Cookie
	for _, cs := range jar {
		all = mergeCookies(all, cs)
	}
	out := map[string][]*http.Cookie{}
	if len(all) == 0 {
		return out
	}
	for _, c := range all {
		c.Domain, c.Path = domain, "/"
	}
	out["https://"+domain] = all
	return out
}

// mergeCookies adds cookies to a list, a later cookie of the same name winning.
func mergeCookies(list, add []*http.Cookie) []*http.Cookie {
	for _, c := range add {
		if c == nil || c.Name == "" {
			continue
		}
		replaced := false
		for i, old := range list {
			if old.Name == c.Name {
				list[i], replaced = &http.Cookie{Name: c.Name, Value: c.Value}, true
			}
		}
		if !replaced {
			list = append(list, &http.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	return list
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".wechat-*")
	if err != nil {
		return fmt.Errorf("wechat login file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("wechat login file: %w", err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// qrLoginURL is what the login QR code encodes.
func qrLoginURL(uuid string) string { return "https://login.weixin.qq.com/l/" + uuid }

// qrImageURL is WeChat's own picture of the QR code (logged for remote logins).
func qrImageURL(uuid string) string { return "https://login.weixin.qq.com/qrcode/" + uuid }

// showQR prints the QR code for content to w with half-block characters and
// saves it as a PNG at path (when path is not empty).
func showQR(w io.Writer, path, content string) error {
	code, err := qr.EncodeText(content, qr.Medium)
	if err != nil {
		return fmt.Errorf("wechat qr: %w", err)
	}
	if w != nil {
		fmt.Fprint(w, qrText(code))
	}
	if path == "" {
		return nil
	}
	png, err := code.ToPNGBytes(qr.NewQrCodeImgConfig(8, 4))
	if err != nil {
		return fmt.Errorf("wechat qr: %w", err)
	}
	return writeFileAtomic(path, png)
}

// qrText draws a QR code with two modules per character row, dark on light,
// with a quiet zone, so it scans from a terminal.
func qrText(code *qr.QrCode) string {
	const border = 2
	size := code.Size()
	dark := func(x, y int) bool {
		return x >= 0 && y >= 0 && x < size && y < size && code.Module(x, y)
	}
	var b strings.Builder
	for y := -border; y < size+border; y += 2 {
		for x := -border; x < size+border; x++ {
			top, bottom := dark(x, y), dark(x, y+1)
			switch {
			case top && bottom:
				b.WriteRune(' ')
			case top:
				b.WriteRune('▄')
			case bottom:
				b.WriteRune('▀')
			default:
				b.WriteRune('█')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
