package wechat_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat/wechattest"
)

func TestMultiLineTextArrivesIntact(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	text := "#投票 周末活动选哪天？\n周六上午\n周日下午 <见面> & 聊天"
	w.fake.Say(building, "居民乙", text)
	m := w.message(1)
	if m.Text != text || m.Chat != building || m.User != "居民乙" || m.Platform != bot.WeChat {
		t.Fatalf("engine got %+v, want the text %q from 居民乙 in %s", m, text, building)
	}
}

func TestIgnoresOwnMessagesAndMarksMentionsAndPictures(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.SayAsSelf(building, "#建议 我自己说的")
	w.fake.Say(building, "居民甲", "@小桥\u2005帮助")
	w.fake.SayImage(building, "居民丙")
	if m := w.message(1); !m.Addressed || m.User != "居民甲" {
		t.Fatalf("first message %+v: want 居民甲's @mention (the bot's own message is dropped)", m)
	}
	if m := w.message(2); m.NonText == "" || m.Text != "" || m.User != "居民丙" {
		t.Fatalf("second message %+v: want 居民丙's picture marked as not text", m)
	}
}

func TestRenamedGroupFoundByItsMembers(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	r.stop()
	w.fake.Rename(building, "3栋邻里之家")
	w.start()
	e := w.event(bot.EventGroupRenamed)
	if e.Chat != building || e.Title != "3栋邻里之家" {
		t.Fatalf("renamed %+v", e)
	}
	w.fake.Say("3栋邻里之家", "居民丙", "#建议 改名以后")
	if m := w.message(1); m.Chat != building || m.ChatTitle != "3栋邻里之家" {
		t.Fatalf("message from the renamed group: %+v", m)
	}
	if got := w.sent(1); got[0].To != "3栋邻里之家" {
		t.Fatalf("reply went to %q", got[0].To)
	}
	if got := w.deliveredTo(staff, 1); !strings.Contains(got[0].Content, "改名以后") {
		t.Fatalf("staff notice %+v", got[0])
	}
	w.settled()
	if n := len(w.sentTo(building)); n != 0 {
		t.Fatalf("sent %d messages to the old title %s", n, building)
	}
}

func TestQuotingReplyIsAddressedToTheBot(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 多装路灯")
	reply := w.sent(1)[0]
	w.settled() // the adapter has recorded what it sent (a real quote comes seconds later)
	w.fake.SayQuoting(building, "居民乙", reply, "附议 <同意>")
	m := w.message(2)
	if m.Text != "附议 <同意>" || m.ReplyTo != reply.ID || !m.Addressed || m.User != "居民乙" {
		t.Fatalf("quoting reply reached the engine as %+v; want its text, ReplyTo %s, addressed", m, reply.ID)
	}
}

func TestUnconfiguredGroupIsIgnoredWithOneNotice(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.Say("闲聊群", "居民甲", "#建议 这里不是楼栋群")
	w.fake.Say("闲聊群", "居民甲", "#建议 再说一次")
	w.message(2)
	got := w.sent(1)
	if got[0].To != staff || !strings.Contains(got[0].Content, "闲聊群") {
		t.Fatalf("notice %+v: want one note to staff naming the group", got[0])
	}
	w.settled()
	if n := len(w.fake.Sent()); n != 1 {
		t.Fatalf("sent %d messages, want only the one notice", n)
	}
}

func TestRenameWhileAwayIsPutToStaff(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	r.stop()
	w.fake.RenameMember("居民乙", "乙乙")
	w.start()
	e := w.event(bot.EventMaybeRenamed)
	if e.Chat != building || e.Name != "居民乙" || e.Title != "乙乙" {
		t.Fatalf("event %+v: want 居民乙 → 乙乙 in %s", e, building)
	}
}

func TestPrivateChatWithAFriend(t *testing.T) {
	w := newWorld(t)
	w.fake.AddFriend("居民甲")
	w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 群里说的")
	w.sent(1)
	w.fake.SayPrivately("居民甲", "#建议 私下说的")
	m := w.message(2)
	if !m.Private || !m.Addressed || m.User != "居民甲" {
		t.Fatalf("private message %+v", m)
	}
	got := w.deliveredTo("居民甲", 1) // the account's pacing holds the reply a few seconds
	if len(got) != 1 || strings.HasPrefix(got[0].Content, "@") || !strings.Contains(got[0].Content, "S2") {
		t.Fatalf("private replies %+v: want S2 sent to 居民甲 once, without an @", got)
	}
	w.settled()
	if n := len(w.sentTo(building)); n != 1 {
		t.Fatalf("sent %d messages to %s, want the one reply to the group's suggestion", n, building)
	}
}

func TestGroupNoteArrivesAsItsText(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	text := "#接龙\n周六义诊 <报名> & 咨询\n\n例 张三 2人\n\n1. 🌸小芳 2人\n2. 老李 带娃"
	w.fake.SayGroupNote(building, "居民乙", text)
	m := w.message(1)
	if m.Text != text || m.NonText != "" || m.User != "居民乙" || m.Chat != building {
		t.Fatalf("engine got %+v, want the 接龙 %q as text", m, text)
	}
}

// The messages one sync returns reach the engine as one batch, in order; a
// message alone is a batch of one.
func TestSyncIsOneBatch(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.SayTogether(building, wechattest.Line{Nick: "居民甲", Text: "#建议 第1条"}, wechattest.Line{Nick: "居民乙", Text: "大家好"},
		wechattest.Line{Nick: "居民丙", Text: "#建议 第2条"}, wechattest.Line{Nick: "居民甲", Text: "#建议 第3条"})
	w.message(4)
	w.fake.Say(building, "居民乙", "#建议 第4条")
	w.message(5)
	w.mu.Lock()
	batches := fmt.Sprint(w.batches)
	var texts []string
	for _, m := range w.received {
		texts = append(texts, m.Text)
	}
	w.mu.Unlock()
	if batches != "[4 1]" {
		t.Errorf("batches %s, want [4 1]: one per sync", batches)
	}
	if got := strings.Join(texts, "|"); got != "#建议 第1条|大家好|#建议 第2条|#建议 第3条|#建议 第4条" {
		t.Errorf("order %s", got)
	}
	if got := w.sent(1); !strings.Contains(got[0].Content, "第1条") {
		t.Errorf("first reply %q, want the first suggestion's", got[0].Content)
	}
}
