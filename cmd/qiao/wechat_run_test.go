package main

import (
	"context"
	"io"
	"testing"

	"github.com/qiao-community/qiao/bot/wechat/wechattest"
)

// runWeChat runs the story's app with WeChat against fake (and the console
// reading an open pipe) until the returned stop is called; defer stop before
// anything that must outlive the app (stop waits for Run and closes the app).
func (s *story) runWeChat(t *testing.T, fake *wechattest.Fake) (*App, *syncBuffer, func()) {
	t.Helper()
	in, feed := io.Pipe()
	out := &syncBuffer{}
	app := s.app(in, out)
	app.WeChat.Transport = fake.Transport()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	return app, out, func() {
		feed.Close()
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		app.Close()
	}
}
