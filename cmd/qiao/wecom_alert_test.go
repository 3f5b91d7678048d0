package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat/wechattest"
	"github.com/qiao-community/qiao/bot/wecom/wecomtest"
	"github.com/qiao-community/qiao/storage"
)

// TestStoryWeChatAlertsReachTheWeComRobot: with a WeCom group robot as
// wechat.alert_group, the office hears about the QR login, the login and the
// lost session through the robot, paced within its 20 messages a minute.
func TestStoryWeChatAlertsReachTheWeComRobot(t *testing.T) {
	s := newStory(t)
	hooks := wecomtest.New(t, "unused", "unused")
	hooks.Now = s.clock.Now
	s.cfg.WeChat.Enabled = true
	s.cfg.WeChat.AlertGroup = "office"
	s.cfg.WeCom.WebhookURL = hooks.WebhookURL()
	s.cfg.WeCom.Webhooks = map[string]string{"office-robot": "HOOK1"}
	cm := &s.cfg.Communities[0]
	cm.Groups = append(cm.Groups,
		GroupConfig{Key: "wx3", Name: "3栋微信群", Kind: storage.GroupBuilding, Building: "b3", Platform: bot.WeChat, Chat: "3栋微信群", Mode: "off"},
		GroupConfig{Key: "office", Name: "办公室通知", Kind: storage.GroupCompound, Grid: "g1", Platform: bot.WeComWebhook, Chat: "office-robot", Mode: "off"})
	if err := s.cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	wx := wechattest.New("小桥", wechattest.Group{Title: "3栋微信群", Members: []wechattest.Member{{Nick: "居民甲"}}})
	defer wx.Close()

	in, feed := io.Pipe()
	app := s.app(in, io.Discard)
	defer app.Close()
	app.WeChat.Transport = wx.Transport()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	defer func() {
		feed.Close()
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	// expect waits for the n-th robot message; when one is waiting for the
	// robot's pace, it moves the virtual clock past the gap.
	expect := func(n int, text string) {
		t.Helper()
		hooks.Wait(t, "robot message "+text, func() bool {
			if len(hooks.Hooks()) >= n {
				return true
			}
			pending, err := app.DB.PendingOutbox(ctx, bot.WeComWebhook, s.clock.Now(), 1)
			if err == nil && len(pending) > 0 && s.clock.Waiters() > 0 {
				s.clock.Advance(4 * time.Second)
			}
			return false
		})
		if got := hooks.Hooks()[n-1]; got.Key != "HOOK1" || !strings.Contains(got.Content, text) {
			t.Fatalf("robot message %d = %+v, want %q", n, got, text)
		}
	}
	expect(1, "【微信】需要扫码登录")
	wx.Scan()
	expect(2, "【微信】已登录：小桥。")
	wx.EndSession(1102)
	expect(3, "微信断开了登录")
	if hooks.HookLimited() != 0 {
		t.Errorf("%d robot messages refused for going too fast", hooks.HookLimited())
	}
}
