package polls_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

// sayPrivately sends a message in the sender's private chat with the bot.
func (e *env) sayPrivately(tb testing.TB, user, text string) string {
	tb.Helper()
	before := e.outbox(tb)
	e.seq++
	m := bot.Message{Platform: bot.Console, Chat: "@" + user, Private: true, Addressed: true, User: user, UserName: user,
		ID: fmt.Sprint(e.seq), Text: text}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return strings.Join(e.outbox(tb)[len(before):], "\n")
}

// TestVotesInEverydayWords: the one-line poll of the issue, voted on the way
// residents write; whatever is unclear is asked back and counts nothing.
func TestVotesInEverydayWords(t *testing.T) {
	e := newEnv(t)
	got := e.say(t, "1栋居民群", "张楼长", "#投票 凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 截止周五晚上8点")
	for _, want := range []string{"1. 中式凉亭", "2. 现代廊架", "3. 木质花架", "12月4日 20:00"} {
		if !strings.Contains(got, want) {
			t.Fatalf("announcement %q lacks %q", got, want)
		}
	}
	e.say(t, "1栋居民群", "张三", "大家好") // seen in the group: a member of its electorate
	steps := []struct {
		private    bool
		user, text string
		want       string // "" for a quiet group vote
	}{
		{false, "张三", "#投 2号", ""},
		{false, "张三", "#投 第3个", ""},
		{false, "张三", "#投 ②", ""},
		{false, "张三", "#投 现代廊架", ""},
		{false, "张三", "#投 石头亭子", "没有“石头亭子”这一项"},
		{false, "张三", "我投2", ""},     // not addressed in a group: not a vote, and quiet
		{false, "张三", "@小桥 我投2", ""}, // addressed: a vote, acknowledged later
		{true, "张三", "我投木质花架", "已改票 P1：3. 木质花架"},
		{true, "张三", "我选二", "已改票 P1：2. 现代廊架"},
		{true, "张三", "我投诉楼上太吵", ""}, // a complaint, not a vote: passes on
		{true, "张三", "投 B", "已改票 P1：2. 现代廊架"},
	}
	for _, s := range steps {
		var got string
		if s.private {
			got = e.sayPrivately(t, s.user, s.text)
		} else {
			got = e.say(t, "1栋居民群", s.user, s.text)
		}
		if (s.want == "" && got != "") || !strings.Contains(got, s.want) {
			t.Errorf("%s %q: got %q, want %q", s.user, s.text, got, s.want)
		}
	}
	// Two options sharing a word: asked back, never guessed.
	e.say(t, "1栋居民群", "张楼长", "#结束投票 P1")
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭 A.现代凉亭 B.现代廊架")
	if got := e.sayPrivately(t, "张三", "我投现代"); !strings.Contains(got, "可能是投票 P2 的这几项") || !strings.Contains(got, "没有计票") {
		t.Errorf("ambiguous vote answered %q", got)
	}
}

// TestTwoOpenPollsAskWhichWithAWorkingExample: the example names a poll and an
// option, so it works when copied — for #投 and for "我投2" alike.
func TestTwoOpenPollsAskWhichWithAWorkingExample(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭 A.中式 B.现代")
	e.say(t, "1栋居民群", "张楼长", "#投票 花架 A.木质 B.金属")
	e.say(t, "1栋居民群", "张三", "大家好")
	if got := e.say(t, "1栋居民群", "张三", "#投 2"); !strings.Contains(got, "例如：#投 P1 1") {
		t.Errorf("#投 2 with two polls open: %q", got)
	}
	if got := e.sayPrivately(t, "张三", "我投2"); !strings.Contains(got, "例如：#投 P1 1") {
		t.Errorf("我投2 with two polls open: %q", got)
	}
}
