package wechat_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/storage"
)

func TestQRLoginSuggestionRepliesInTheGroup(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	if !strings.Contains(r.qr.String(), "█") {
		t.Error("no QR code printed on the terminal")
	}
	w.fake.Say(building, "居民甲", "#建议 交警大院划一些停车位")
	got := w.sent(1)
	if got[0].To != building || !strings.HasPrefix(got[0].Content, "@3-2-501 甲\u2005") || !strings.Contains(got[0].Content, "S1") {
		t.Fatalf("reply %+v, want an @mention with S1 in %s", got[0], building)
	}
	if n := w.count(`SELECT COUNT(*) FROM requests r JOIN people p ON p.id = r.person_id WHERE p.user_key = ? AND r.text = ?`,
		"居民甲", "交警大院划一些停车位"); n != 1 {
		t.Fatalf("suggestions by 居民甲: %d, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "wechat-login-qr.png")); !os.IsNotExist(err) {
		t.Error("the QR PNG is still there after login")
	}
}

// The library starts receiving before its login returns. A message that comes
// in that moment is answered at once, not held back as if WeChat were away.
func TestMessageBeforeLoginReturnsIsAnswered(t *testing.T) {
	w := newWorld(t)
	held := make(chan struct{})
	w.beforeOnline = func() {
		defer close(held)
		w.fake.Say(building, "居民甲", "#建议 登录还没返回")
		if got := w.fake.WaitSent(1, patience); len(got) != 1 || !strings.Contains(got[0].Content, "S1") {
			t.Errorf("while the login had not returned, sent %+v; want the reply with S1", got)
		}
	}
	w.start()
	w.event(bot.EventQR)
	w.fake.Scan()
	select {
	case <-held:
	case <-time.After(2 * patience):
		t.Fatal("the login never returned")
	}
}

func TestHotLoginTwiceKeepsGroupsAndPeople(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 第一次")
	w.deliveredTo(building, 1)
	w.settled()
	oldGroup, oldPerson, oldStaff := w.fake.ID(building), w.fake.ID("居民甲"), w.fake.ID(staff)
	r.stop()

	for i := 1; i <= 2; i++ {
		r = w.start()
		w.event(bot.EventOnline)
		if got := w.fake.Logins("hot"); got != i {
			t.Fatalf("hot logins: %d, want %d", got, i)
		}
		if w.fake.ID(building) == oldGroup || w.fake.ID("居民甲") == oldPerson || w.fake.ID(staff) == oldStaff {
			t.Fatal("the fake did not change the @ ids")
		}
		w.fake.Say(building, "居民甲", "#建议 热登录之后")
		got := w.deliveredTo(building, 1+i)
		id := fmt.Sprintf("S%d", 1+i)
		if last := got[len(got)-1]; !strings.Contains(last.Content, "3-2-501 甲") || !strings.Contains(last.Content, id) {
			t.Fatalf("reply after hot login %d: %+v, want %s with an @mention", i, last, id)
		}
		// The staff group is found again too: its notice of the new suggestion arrives.
		notices := w.deliveredTo(staff, 1+i)
		if last := notices[len(notices)-1]; !strings.Contains(last.Content, id) || !strings.Contains(last.Content, "热登录之后") {
			t.Fatalf("staff notice after hot login %d: %+v, want %s", i, last, id)
		}
		w.settled()
		r.stop()
	}
	if n := len(w.fake.Sent()); n != 6 {
		t.Fatalf("sent %d messages, want 6 (a reply and a staff notice for each suggestion)", n)
	}
	if got := w.fake.Logins("qr"); got != 1 {
		t.Fatalf("QR logins: %d, want 1", got)
	}
	if n := w.count(`SELECT COUNT(*) FROM people WHERE platform = 'wechat'`); n != 1 {
		t.Fatalf("people: %d, want 1 (居民甲, whatever the @ ids)", n)
	}
	if n := w.count(`SELECT COUNT(*) FROM requests WHERE group_id = (SELECT id FROM groups WHERE key = 'b3')`); n != 3 {
		t.Fatalf("suggestions in %s: %d, want 3", building, n)
	}
}

func TestSessionEndAlertsKeepsMessagesAndRecovers(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.EndSession(1101)
	e := w.event(bot.EventSessionEnded)
	if e.Err == nil || e.Since.IsZero() {
		t.Fatalf("session end %+v: want the reason and the time", e)
	}
	// While WeChat is away (push login waits for the phone), a reply is queued.
	w.fake.Say(building, "居民甲", "#建议 断线时")
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.WeChat, building)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(storage.OutboxMessage{CommunityID: g.CommunityID, Platform: bot.WeChat, ChatKey: building, Text: "排队的通知"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.engine.Wake()
	w.idle()
	if n := w.count(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`); n != 1 {
		t.Fatalf("pending messages during the outage: %d, want 1", n)
	}
	// Nobody confirms for a while: after stall_alert (10m) without a send, staff hear of it once.
	// The push login is given up after 2 minutes for a QR code.
	var stall *bot.ChannelEvent
	for i := 0; stall == nil; i++ {
		if i == 200 {
			t.Fatal("no stall alert after 50 minutes")
		}
		w.clock.Advance(15 * time.Second)
		w.idle()
		for drained := false; !drained; {
			select {
			case e := <-w.events:
				if e.Kind == bot.EventSendStalled {
					stall = &e
				}
			default:
				drained = true
			}
		}
	}
	if stall.Since.IsZero() || !errors.Is(stall.Err, wechat.ErrOffline) {
		t.Fatalf("stall %+v", stall)
	}
	w.fake.Scan() // someone scans the new QR code
	rec := w.event(bot.EventRecovered)
	if len(rec.Chats) != 2 || rec.Chats[0] != building && rec.Chats[1] != building || rec.Since.IsZero() {
		t.Fatalf("recovered %+v: want both groups and the outage start", rec)
	}
	if w.fake.Logins("qr") != 2 {
		t.Fatalf("QR logins: %d, want 2 (the push login was not confirmed)", w.fake.Logins("qr"))
	}
	w.clock.Advance(time.Minute)
	got := w.sent(1)
	if got[0].To != building || got[0].Content != "排队的通知" {
		t.Fatalf("after recovery sent %+v", got[0])
	}
	w.settled()
}

func TestDamagedLoginFileFallsBackToQR(t *testing.T) {
	w := newWorld(t)
	if err := os.WriteFile(filepath.Join(w.dir, "wechat-login.json"), []byte(`{"BaseRequest":null}`), 0o600); err != nil {
		t.Fatal(err)
	}
	w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 重新扫码之后")
	if got := w.sent(1); got[0].To != building {
		t.Fatalf("reply %+v", got[0])
	}
	data, err := os.ReadFile(filepath.Join(w.dir, "wechat-login.json"))
	if err != nil || !strings.Contains(string(data), `"wxsid"`) {
		t.Fatalf("the login file was not saved after the QR login: %s, %v", data, err)
	}
}
