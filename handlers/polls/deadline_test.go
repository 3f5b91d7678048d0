package polls_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

func (e *env) ballots(tb testing.TB) int {
	tb.Helper()
	n, err := e.db.CountRows(context.Background(), "poll_voters")
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// The closing job runs every minute, and not at all while the clock jumps:
// the deadline is enforced when the vote arrives.
func TestVotesAfterTheDeadlineAreRefusedBeforeTheClosingJobRuns(t *testing.T) {
	e := newEnv(t)
	if got := e.say(t, "1栋居民群", "张楼长", "#投票 凉亭\n中式\n现代\n截止 12月1日20:00"); !strings.Contains(got, "P1") {
		t.Fatalf("poll not created: %q", got)
	}
	e.clock.Set(time.Date(2026, 12, 1, 11, 59, 0, 0, time.UTC)) // 19:59 in Shanghai
	e.say(t, "1栋居民群", "居民甲", "#投 1")
	if got := e.ballots(t); got != 1 {
		t.Fatalf("%d ballots before the deadline, want 1", got)
	}
	e.clock.Set(time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)) // a jump, no job run
	for _, text := range []string{"#投 2", "#投 P1 2"} {
		if got := e.say(t, "1栋居民群", "居民乙", text); !strings.Contains(got, "投票 P1（凉亭）已经结束") {
			t.Errorf("%s after the deadline: got %q, want it refused as closed", text, got)
		}
	}
	if got := e.say(t, "1栋居民群", "居民甲", "#撤票"); !strings.Contains(got, "已经结束") {
		t.Errorf("withdrawal after the deadline: got %q", got)
	}
	if got := e.ballots(t); got != 1 {
		t.Errorf("%d ballots after late votes and a late withdrawal, want 1", got)
	}
}

func TestALateVoteIsToldAboutThePollThatJustClosed(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭方案\n中式\n现代")
	e.say(t, "1栋居民群", "张楼长", "#投票 停车位\n东侧\n西侧")
	e.clock.Advance(time.Hour)
	e.say(t, "1栋居民群", "张楼长", "#结束投票 P2")
	e.clock.Advance(time.Hour)
	e.say(t, "1栋居民群", "张楼长", "#结束投票 P1")
	got := e.say(t, "1栋居民群", "居民甲", "#投 2")
	if !strings.Contains(got, "投票 P1（凉亭方案）已经结束") {
		t.Errorf("late vote: got %q, want it told that P1 (the one that just closed) has ended", got)
	}
}
