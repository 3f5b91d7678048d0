package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot/wechat/wechattest"
)

// syncBuffer is an io.Writer safe for the console and the QR printer at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the output contains text.
func waitFor(t *testing.T, out *syncBuffer, text string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(out.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("never printed %q; output:\n%s", text, out.String())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestStoryWeChatOutage runs the whole app with WeChat against the fake: staff
// in the (console) staff group hear about the QR login and the lost session,
// and the WeChat group is told once that messages during the outage were lost.
func TestStoryWeChatOutage(t *testing.T) {
	s := newStory(t)
	s.cfg.WeChat.Enabled = true
	s.cfg.WeChat.AlertGroup = "staff"
	cm := &s.cfg.Communities[0]
	cm.Groups = append(cm.Groups, GroupConfig{Key: "wx3", Name: "3栋微信群", Kind: "building", Building: "b3",
		Platform: "wechat", Chat: "3栋微信群", Mode: "off"})
	fake := wechattest.New("小桥", wechattest.Group{Title: "3栋微信群", Members: []wechattest.Member{{Nick: "居民甲"}}})
	defer fake.Close()

	_, out, stop := s.runWeChat(t, fake)
	defer stop()

	waitFor(t, out, "[社区工作群] 【微信】需要扫码登录")
	fake.Scan()
	waitFor(t, out, "[社区工作群] 【微信】已登录：小桥。")
	fake.EndSession(1102)
	waitFor(t, out, "微信断开了登录")
	fake.Scan() // the phone confirms the push login
	// A session that ended minutes after login is followed by a wait (5s of
	// virtual time) before the next login.
	// The login itself is real HTTP with the fake: wait in real time (a
	// loaded machine is slow), moving virtual time on at most 10 minutes.
	deadline, ended := time.Now().Add(time.Minute), s.clock.Now()
	for !strings.Contains(out.String(), "[社区工作群] 【微信】已恢复") {
		if time.Now().After(deadline) {
			t.Fatalf("never recovered; output:\n%s", out.String())
		}
		if s.clock.Now().Sub(ended) < 10*time.Minute {
			s.clock.Advance(time.Second)
		}
		fake.WaitSent(1, 10*time.Millisecond)
	}
	sent := fake.WaitSent(1, time.Minute)
	if len(sent) != 1 || sent[0].To != "3栋微信群" || !strings.Contains(sent[0].Content, "这段时间发给我的消息没有收到") {
		t.Fatalf("outage notice: %+v", sent)
	}
	if fake.Logins("push") != 1 {
		t.Errorf("push logins: %d, want 1", fake.Logins("push"))
	}
	if n := strings.Count(out.String(), "【微信】已恢复"); n != 1 {
		t.Fatalf("recovery told %d times", n)
	}
}
