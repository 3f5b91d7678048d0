package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot/wechat/wechattest"
)

// sentTo lets virtual time pass (WeChat's pacing holds each send) until the
// bot has sent a message containing text to the fake contact or group handle.
func (s *story) sentTo(fake *wechattest.Fake, handle, text string) wechattest.Sent {
	s.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		for _, m := range fake.Sent() {
			if m.ToHandle == handle && strings.Contains(m.Content, text) {
				return m
			}
		}
		s.clock.Advance(500 * time.Millisecond)
		fake.WaitSent(len(fake.Sent())+1, 5*time.Millisecond)
	}
	s.t.Fatalf("nothing with %q sent to %s; sent: %+v", text, handle, fake.Sent())
	return wechattest.Sent{}
}

// TestStoryWeChatStaffIsEnrolledNotNamed: a resident who names themself like
// the secretary gets no staff command; the secretary enrols with a code from
// `qiao enrol` and then does.
func TestStoryWeChatStaffIsEnrolledNotNamed(t *testing.T) {
	s := newStory(t)
	s.cfg.WeChat.Enabled = true
	s.cfg.WeChat.AlertGroup = "staff"
	cm := &s.cfg.Communities[0]
	for i := range cm.People {
		if cm.People[i].Key == "liu" {
			cm.People[i].Platform, cm.People[i].User = "wechat", "刘书记"
		}
	}
	cm.Groups = append(cm.Groups, GroupConfig{Key: "wx3", Name: "3栋微信群", Kind: "building", Building: "b3",
		Platform: "wechat", Chat: "3栋微信群", Mode: "off"})
	fake := wechattest.New("小桥", wechattest.Group{Title: "3栋微信群", Members: []wechattest.Member{
		{Nick: "居民甲"}, {Nick: "刘书记", Handle: "fake-liu"}, {Nick: "刘书记", Handle: "liu"}}})
	defer fake.Close()
	fake.AddContact(wechattest.Friend{Handle: "liu", Nick: "刘书记"})

	_, out, stop := s.runWeChat(t, fake)
	defer stop()
	ctx := context.Background()
	waitFor(t, out, "需要扫码登录")
	fake.Scan()
	waitFor(t, out, "【微信】已登录")
	waitFor(t, out, "使用了“刘书记”这个名字")

	fake.Say("3栋微信群", "fake-liu", "#日报")
	if m := s.sentTo(fake, "3栋微信群", "只有社区工作人员可以使用"); !strings.Contains(m.Content, "#日报") {
		t.Fatalf("the impostor's #日报 was answered %q", m.Content)
	}

	var code bytes.Buffer
	if err := enrol(ctx, s.cfg, "", "liu", time.Hour, &code); err != nil {
		t.Fatal(err)
	}
	found := regexp.MustCompile(`QIAO-[A-Z0-9]{4}-[A-Z0-9]{4}`).FindString(code.String())
	if found == "" {
		t.Fatalf("qiao enrol printed %q", code.String())
	}
	fake.SayPrivately("liu", found)
	s.sentTo(fake, "liu", "认证成功")
	waitFor(t, out, "已用一次性验证码认证为 刘书记")

	fake.Say("3栋微信群", "liu", "#日报")
	s.sentTo(fake, "3栋微信群", "日报")
	for _, m := range fake.Sent() {
		if strings.Contains(m.Content, found) {
			t.Fatalf("the code was echoed: %+v", m)
		}
	}
}
