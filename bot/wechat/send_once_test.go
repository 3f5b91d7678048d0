package wechat_test

import (
	"strings"
	"testing"
	"time"
)

// outboxAttempts is how often the outbox tried the reply into the building group.
func (w *world) outboxAttempts() int {
	return w.count(`SELECT COALESCE(MAX(attempts), 0) FROM outbox WHERE chat_key = ?`, building)
}

// waitForAttempt waits (in real time: the send is on the network) until the
// outbox has recorded a failed attempt of the reply.
func (w *world) waitForAttempt() {
	w.t.Helper()
	deadline := time.Now().Add(patience)
	for w.outboxAttempts() == 0 {
		if time.Now().After(deadline) {
			w.t.Fatal("the failed send was never recorded in the outbox")
		}
		time.Sleep(time.Millisecond)
	}
}

// A send whose answer WeChat lost was posted: the library used to repeat it
// at once, up to five times, posting the reply five times into the group.
// Now the send is tried once; the outbox records the failure and tries later.
func TestLostAnswerIsNotRepeatedAtOnce(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.LoseSendAnswers(1)
	w.fake.Say(building, "居民甲", "#建议 楼下加个长椅")
	w.message(1)
	w.waitForAttempt()
	if n := w.fake.SendAttempts(); n != 1 {
		t.Fatalf("%d send requests for one reply, want 1 (the library repeats failed requests)", n)
	}
	got := w.fake.Sent()
	if len(got) != 1 || got[0].To != building || !strings.Contains(got[0].Content, "S1") {
		t.Fatalf("posted %+v, want the reply once", got)
	}
}

// A send that hangs gives up after send_timeout, once: with the library's
// five repeats of 30 s each, every message behind it waited 2.5 minutes.
func TestStalledSendGivesUpAfterOneAttempt(t *testing.T) {
	w := newWorld(t)
	// Long enough for the request to reach the fake on a loaded machine (the
	// check is that it is sent once, not how fast it gives up).
	w.sendTimeout = time.Second
	w.qrLogin()
	w.fake.StallSends(1)
	w.fake.Say(building, "居民甲", "#建议 楼下加个长椅")
	w.message(1)
	w.waitForAttempt()
	if n := w.fake.SendAttempts(); n != 1 {
		t.Fatalf("%d send requests, want 1", n)
	}
	if got := w.fake.Sent(); len(got) != 0 {
		t.Fatalf("posted %+v while the send hung", got)
	}
	// The outbox tries again later and the reply arrives, once.
	w.until(10*time.Minute, "the retried reply", func() bool { return len(w.sentTo(building)) == 1 })
	if got := w.sentTo(building); !strings.Contains(got[0].Content, "S1") {
		t.Fatalf("posted %+v, want the reply", got)
	}
}
