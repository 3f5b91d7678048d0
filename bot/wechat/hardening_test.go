package wechat_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/bot/wechat/wechattest"
)

// C2: an account WeChat refuses on the web (ret 1203) is not tried again.
func TestRefusedAccountStopsAndSaysSo(t *testing.T) {
	w := newWorld(t)
	w.fake.Refuse1203()
	r := w.start()
	w.event(bot.EventQR)
	w.fake.Scan()
	e := w.event(bot.EventRefused)
	if e.Err == nil || !strings.Contains(e.Err.Error(), "不能登录网页微信") {
		t.Fatalf("refused %+v", e)
	}
	if st := r.ad.Status(); st.State != wechat.StateRefused {
		t.Fatalf("status %+v", st)
	}
	if st, err := wechat.LoadState(context.Background(), w); err != nil || st.State != wechat.StateRefused || st.Err == "" {
		t.Fatalf("stored state %+v, %v: `qiao status` must say the account is refused", st, err)
	}
	w.clock.Advance(24 * time.Hour)
	w.idle()
	if n := w.fake.QRCodes(); n != 1 {
		t.Fatalf("asked for %d QR codes, want 1: a refused account must not be retried", n)
	}
	select {
	case e := <-w.events:
		if e.Kind == bot.EventLoginFailed || e.Kind == bot.EventQR {
			t.Fatalf("after the refusal: %+v", e)
		}
	default:
	}
}

// C2: logged in, kicked seconds later, again and again: the wait keeps
// growing across the short logins and the adapter stops after max_kicks.
func TestKickLoopStopsAfterBoundedAttempts(t *testing.T) {
	w := newWorld(t)
	w.maxKicks = 3
	w.fake.KickEveryLogin()
	w.start()
	w.event(bot.EventQR)
	w.fake.Scan()
	want := []time.Duration{5 * time.Second, 10 * time.Second}
	for _, retry := range want {
		e := w.event(bot.EventSessionEnded)
		if e.Retry != retry {
			t.Fatalf("session ended %+v: want a wait of %s before the next login", e, retry)
		}
		began := w.clock.Now()
		qr := w.fake.QRCodes()
		for w.fake.QRCodes() == qr {
			if w.clock.Now().Sub(began) > time.Hour {
				t.Fatal("no new login within an hour")
			}
			w.clock.Advance(time.Second)
			w.fake.WaitSent(1, 2*time.Millisecond) // lets the adapter run
		}
		if waited := w.clock.Now().Sub(began); waited < retry {
			t.Fatalf("logged in again after %s, want at least %s", waited, retry)
		}
		w.event(bot.EventQR)
		w.fake.Scan()
	}
	e := w.event(bot.EventGaveUp)
	if e.Err == nil {
		t.Fatalf("gave up %+v", e)
	}
	if st, _ := wechat.LoadState(context.Background(), w); st.State != wechat.StateGaveUp {
		t.Fatalf("stored state %+v", st)
	}
	qr := w.fake.QRCodes()
	w.clock.Advance(24 * time.Hour)
	w.idle()
	if w.fake.QRCodes() != qr {
		t.Fatal("logged in again after giving up")
	}
}

// C3: a panic while handling one message is logged; the next is answered.
func TestPanicInAMessageCallbackIsIsolated(t *testing.T) {
	w := newWorld(t)
	w.onMessage = func(text string) {
		if strings.Contains(text, "boom") {
			panic("boom")
		}
	}
	w.qrLogin()
	w.fake.Say(building, "居民甲", "boom")
	w.fake.Say(building, "居民乙", "#建议 之后的消息")
	if m := w.message(1); m.User != "居民乙" {
		t.Fatalf("after the panic the engine got %+v", m)
	}
	if got := w.deliveredTo(building, 1); !strings.Contains(got[0].Content, "S1") {
		t.Fatalf("reply %+v", got[0])
	}
}

// C4: real quotes name the author by wxid. A quote of the bot counts, also
// after a restart; a quote of a neighbour does not.
func TestQuotesOfTheBotCountByWxid(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 装路灯")
	reply := w.sent(1)[0]
	w.settled() // the adapter has recorded what it sent (a real quote comes seconds later)
	w.fake.SayQuoting(building, "居民乙", reply, "附议")
	if m := w.message(2); !m.Addressed || m.ReplyTo != reply.ID {
		t.Fatalf("quote of the bot %+v: want addressed", m)
	}
	w.fake.SayQuotingMember(building, "居民丙", "居民甲", "1001", "我也觉得")
	if m := w.message(3); m.Addressed {
		t.Fatalf("quote of a neighbour %+v: must not address the bot", m)
	}
	w.settled()
	r.stop()
	w.start()
	w.event(bot.EventOnline)
	w.fake.SayQuoting(building, "居民丙", wechattest.Sent{ID: "4242"}, "回复机器人的旧消息")
	if m := w.message(4); !m.Addressed {
		t.Fatalf("after a restart, a quote of the bot's earlier message %+v: want addressed", m)
	}
}

// C8: two friends of one nickname each get their own private reply.
func TestPrivateRepliesReachTheRightNamesake(t *testing.T) {
	w := newWorld(t)
	w.fake.AddContact(wechattest.Friend{Handle: "wf1", Nick: "王芳", Attr: 1101})
	w.fake.AddContact(wechattest.Friend{Handle: "wf2", Nick: "王芳", Attr: 2202})
	w.fake.AddMember(building, wechattest.Member{Nick: "王芳", Handle: "wf1"})
	w.fake.AddMember(building, wechattest.Member{Nick: "王芳", Handle: "wf2"})
	w.qrLogin()
	w.fake.Say(building, "wf1", "#建议 一号王芳在群里") // S1
	w.fake.Say(building, "wf2", "#建议 二号王芳在群里") // S2
	if a, b := w.message(1), w.message(2); a.User == b.User {
		t.Fatalf("both namesakes reached the engine as %q", a.User)
	}
	w.fake.SayPrivately("wf1", "#建议 一号王芳") // S3
	w.fake.SayPrivately("wf2", "#建议 二号王芳") // S4
	if a, b := w.message(3), w.message(4); a.User == b.User || !a.Private || !b.Private {
		t.Fatalf("private messages %+v and %+v", a, b)
	}
	w.until(time.Minute, "both replies", func() bool { return len(w.sentTo("王芳")) >= 2 })
	w.settled()
	got := map[string]string{}
	for _, s := range w.sentTo("王芳") {
		got[s.ToHandle] += s.Content
	}
	if !strings.Contains(got["wf1"], "S3") || !strings.Contains(got["wf2"], "S4") {
		t.Fatalf("private replies by friend: %v; want S3 to wf1 and S4 to wf2", got)
	}
}

// A QR-logged-in session is saved as it moves on, not only once: a restart
// resumes from the latest sync key.
func TestQRSessionSavedAfterEverySync(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	for i := range 3 {
		w.fake.Say(building, "居民甲", "你好")
		w.message(i + 1)
	}
	data, err := os.ReadFile(filepath.Join(w.dir, "wechat-login.json"))
	if err != nil {
		t.Fatal(err)
	}
	var saved struct {
		SyncKey struct{ List []struct{ Val int } }
	}
	if err := json.Unmarshal(data, &saved); err != nil || len(saved.SyncKey.List) == 0 {
		t.Fatalf("login file %s: %v", data, err)
	}
	if got, want := saved.SyncKey.List[0].Val, w.fake.SyncKey(); got < want-1 {
		t.Fatalf("saved sync key %d, the session is at %d", got, want)
	}
}

// Shutdown waits for a library callback that is running, so nothing of the
// session touches the database after Run returned.
func TestShutdownWaitsForARunningCallback(t *testing.T) {
	w := newWorld(t)
	entered, release := make(chan struct{}), make(chan struct{})
	w.onMessage = func(text string) {
		if strings.Contains(text, "hold") {
			close(entered)
			<-release
		}
	}
	r := w.qrLogin()
	w.fake.Say(building, "居民甲", "hold")
	<-entered
	r.cancel()
	select {
	case <-r.done:
		t.Fatal("Run returned while a message callback was still running")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	select {
	case <-r.done:
	case <-time.After(patience):
		t.Fatal("Run did not return after the callback ended")
	}
}
