package wechat

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
)

func TestGroupText(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"@abc:<br/>#建议 多一些座椅", "#建议 多一些座椅"},
		{"@abc:<br/>#投票 周末活动<br/>周六<br/>周日", "#投票 周末活动\n周六\n周日"},
		{"@abc:<br/>a &lt;b&gt; &amp; c:<br/>d", "a <b> & c:\nd"},
		{"no sender", "no sender"},
	}
	for _, tt := range tests {
		if got := groupText(tt.raw); got != tt.want {
			t.Errorf("groupText(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestCompose(t *testing.T) {
	got := compose(bot.Outgoing{Chat: "3栋居民群", UserName: "居民甲", Text: "投票开始",
		Buttons: [][]bot.Button{{{Text: "同意", Data: "vote P3 1"}}}})
	if want := "@居民甲\u2005投票开始\n同意: #vote P3 1"; got != want {
		t.Errorf("compose = %q, want %q", got, want)
	}
	// Neighbours who reported the same thing are addressed in one post.
	got = compose(bot.Outgoing{Chat: "3栋居民群", User: "甲", UserName: "居民甲", Text: "R1 已办结",
		Also: []bot.Addressee{{User: "乙", Name: "居民乙"}, {User: "张", Name: "张楼长"}}})
	if want := "@居民甲\u2005@居民乙\u2005@张楼长\u2005R1 已办结"; got != want {
		t.Errorf("compose with three addressees = %q, want %q", got, want)
	}
	if got := compose(bot.Outgoing{User: "居民甲", UserName: "居民甲", Text: "私聊"}); got != "私聊" {
		t.Errorf("a private message got %q", got)
	}
}

func TestSplitOnLines(t *testing.T) {
	line := strings.Repeat("楼", 30) + "\n"
	text := strings.Repeat(line, 10) // 310 runes
	parts := split(text, 100)
	if len(parts) != 4 {
		t.Fatalf("%d parts, want 4", len(parts))
	}
	if strings.Join(parts, "\n") != strings.TrimRight(text, "\n") {
		t.Error("parts do not join back to the text")
	}
	for _, p := range parts {
		if n := utf8.RuneCountInString(p); n > 100 || strings.HasPrefix(p, "\n") {
			t.Errorf("part of %d runes: %q", n, p)
		}
	}
	long := split(strings.Repeat("长", 250), 100)
	if len(long) != 3 || utf8.RuneCountInString(long[2]) != 50 {
		t.Errorf("a 250-rune line split into %d parts", len(long))
	}
	if got := split("短", 100); len(got) != 1 || got[0] != "短" {
		t.Errorf("short text split: %q", got)
	}
}

func TestConfigValidate(t *testing.T) {
	var c Config
	c.Defaults()
	if errs := c.Validate("wechat"); len(errs) != 0 {
		t.Fatalf("defaults invalid: %v", errs)
	}
	c.DeviceID, c.Pacing.MinGap, c.Pacing.PerMinute = "x123", 0, 100
	errs := strings.Join(c.Validate("wechat"), "\n")
	for _, key := range []string{"wechat.device_id", "wechat.pacing.min_gap", "wechat.pacing.per_minute"} {
		if !strings.Contains(errs, key) {
			t.Errorf("no error for %s in:\n%s", key, errs)
		}
	}
}
