package wechat

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// errRepeated answers the library's immediate repeat of a send that just failed.
var errRepeated = errors.New("wechat: send failed a moment ago; the outbox retries it later")

// sendPaths are the requests that post something into a chat (or upload what
// is then posted).
var sendPaths = []string{"/webwxsendmsg", "/webwxsendmsgimg", "/webwxsendappmsg", "/webwxsendemoticon",
	"/webwxsendvideomsg", "/webwxuploadmedia"}

// oneAttempt wraps the library's HTTP transport. openwechat repeats a failed
// request up to five times with a 30-second timeout each: a send stalled for
// 2.5 minutes, and when only WeChat's answer was lost the message was posted
// up to five times. For sends the first failure is final — the library's
// repeats of the same request (same path and body) fail at once — and the
// dispatcher retries later with back-off, counting attempts in the outbox.
// Other requests, the sync long poll above all, keep the library's repeats:
// giving up there ends the session, and re-logins are what get accounts banned.
type oneAttempt struct {
	base    http.RoundTripper
	timeout time.Duration

	mu     sync.Mutex
	failed map[[32]byte]time.Time // request digest → when it failed
}

// repeatWindow is how long a failed send's digest is remembered: the library
// repeats at once, the dispatcher after seconds or minutes.
const repeatWindow = 2 * time.Second

func newOneAttempt(base http.RoundTripper, timeout time.Duration) *oneAttempt {
	if base == nil {
		base = http.DefaultTransport
	}
	return &oneAttempt{base: base, timeout: timeout, failed: map[[32]byte]time.Time{}}
}

func (o *oneAttempt) RoundTrip(r *http.Request) (*http.Response, error) {
	if !isSend(r.URL.Path) {
		return o.base.RoundTrip(r)
	}
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		r.Body.Close()
	}
	key := sha256.Sum256(append([]byte(r.URL.Path+"\x00"), body...))
	now := time.Now()
	o.mu.Lock()
	for k, at := range o.failed {
		if now.Sub(at) > repeatWindow {
			delete(o.failed, k)
		}
	}
	_, repeat := o.failed[key]
	o.mu.Unlock()
	if repeat {
		return nil, errRepeated
	}
	ctx, cancel := context.WithTimeout(r.Context(), o.timeout)
	c := r.Clone(ctx)
	c.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := o.base.RoundTrip(c)
	if err != nil {
		cancel()
		o.mu.Lock()
		o.failed[key] = time.Now()
		o.mu.Unlock()
		return nil, err
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

func isSend(path string) bool {
	for _, p := range sendPaths {
		if strings.HasSuffix(path, p) {
			return true
		}
	}
	return false
}

// cancelOnClose releases the request's timeout once its answer is read.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
