package main

import (
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot/wechat/wechattest"
)

// TestStoryWeChatJielongLostLine: residents of a WeChat group keep a 接龙,
// partly as WeChat's own 接龙 app message; two of them re-post from the same
// list at once, the later post drops the earlier one's line, and the group is
// told once which line was lost and how to put it back.
func TestStoryWeChatJielongLostLine(t *testing.T) {
	t.Parallel() // most of it is the login, which waits: overlaps the package's other tests
	s := newStory(t)
	s.cfg.WeChat.Enabled = true
	s.cfg.WeChat.AlertGroup = "staff"
	cm := &s.cfg.Communities[0]
	cm.Groups = append(cm.Groups, GroupConfig{Key: "wx3", Name: "3栋微信群", Kind: "building", Building: "b3",
		Platform: "wechat", Chat: "3栋微信群", Mode: "off"})
	fake := wechattest.New("小桥", wechattest.Group{Title: "3栋微信群", Members: []wechattest.Member{
		{Nick: "张三"}, {Nick: "李四"}, {Nick: "王五"}, {Nick: "🌸小芳"}}})
	defer fake.Close()

	_, out, stop := s.runWeChat(t, fake)
	defer stop()
	waitFor(t, out, "需要扫码登录")
	fake.Scan()
	waitFor(t, out, "【微信】已登录")

	const head = "#接龙\n周六义诊报名\n\n例 张三 3栋 2人\n\n"
	fake.SayGroupNote("3栋微信群", "张三", head+"1. 张三 3栋 2人")
	s.sentTo(fake, "3栋微信群", "已记下接龙「周六义诊报名」1 条，共 2 人")
	fake.Say("3栋微信群", "李四", head+"1. 张三 3栋 2人\n2. 李四 带娃")
	// 王五 and 小芳 both copied the two-line list and posted at once.
	fake.Say("3栋微信群", "王五", head+"1. 张三 3栋 2人\n2. 李四 带娃\n3. 王五 5栋")
	fake.SayGroupNote("3栋微信群", "🌸小芳", head+"1. 张三 3栋 2人\n2. 李四 带娃\n3. 🌸小芳 2大1小")
	lost := s.sentTo(fake, "3栋微信群", "少了别人的 1 条")
	if !strings.Contains(lost.Content, "🌸小芳 刚才的接龙里") || !strings.Contains(lost.Content, "\n3. 王五 5栋\n") {
		t.Fatalf("lost-line notice %q", lost.Content)
	}
	fake.Say("3栋微信群", "张三", "#接龙")
	list := s.sentTo(fake, "3栋微信群", "接龙「周六义诊报名」4 条，共 7 人")
	if !strings.Contains(list.Content, "1. 张三 3栋 2人\n2. 李四 带娃\n3. 王五 5栋\n4. 🌸小芳 2大1小") {
		t.Fatalf("list %q", list.Content)
	}
	for _, m := range fake.Sent() {
		if strings.Count(m.Content, "少了别人的") > 1 {
			t.Fatalf("told twice: %q", m.Content)
		}
	}
}
