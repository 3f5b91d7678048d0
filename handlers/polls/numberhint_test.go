package polls_test

import (
	"strings"
	"testing"
)

// A bare number while a poll is open is a vote attempt: the sender is told
// what to send (once per poll), and nothing is counted.
func TestBareNumberIsAnsweredOnceAndNotCounted(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭设计方案 A.中式凉亭 B.现代廊架 截止 2026-12-01 20:00")
	if got := e.say(t, "1栋居民群", "张三", "2"); !strings.Contains(got, "请发：#投 2") {
		t.Fatalf("a bare 2 got %q, want a hint naming #投 2", got)
	}
	if got := e.say(t, "1栋居民群", "张三", "2"); got != "" {
		t.Errorf("the hint came twice: %q", got)
	}
	if got := e.say(t, "1栋居民群", "李四", "③"); got != "" {
		t.Errorf("an option the poll lacks got %q; want silence", got)
	}
	if got := e.say(t, "1栋居民群", "李四", "今天天气真好"); got != "" {
		t.Errorf("chit-chat got %q", got)
	}
	if got := e.say(t, "1栋居民群", "张楼长", "#结果"); !strings.Contains(got, "0") || strings.Contains(got, "1 票") {
		t.Errorf("the bare number was counted: %q", got)
	}
}
