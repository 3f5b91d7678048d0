package wechat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/bot/wechat/wechattest"
	"github.com/qiao-community/qiao/storage"
)

// secretary is the configured staff member's WeChat user key (and name).
const secretary = "刘书记"

// impostor is a resident who set their nickname to the secretary's.
var impostor = wechattest.Member{Nick: secretary, Handle: "fake-liu"}

// identityWorld is a world where 刘书记 is privileged, is the bot's friend,
// and an impostor of the same name sits in the building group.
func identityWorld(t *testing.T) *world {
	w := newWorld(t)
	w.privileged = []string{secretary}
	w.fake.Close()
	members := append(append([]wechattest.Member(nil), residents...), impostor)
	w.fake = wechattest.New("小桥", wechattest.Group{Title: building, Members: members},
		wechattest.Group{Title: staff, Members: residents[3:]}, wechattest.Group{Title: "闲聊群", Members: residents[:1]})
	t.Cleanup(w.fake.Close)
	w.fake.AddContact(wechattest.Friend{Handle: secretary, Nick: secretary})
	w.fake.AddContact(wechattest.Friend{Handle: impostor.Handle, Nick: secretary})
	return w
}

// issue stores a one-time code for user, as `qiao enrol` does.
func (w *world) issue(user string, valid time.Duration) string {
	w.t.Helper()
	code := wechat.NewEnrolCode()
	if err := w.Save(context.Background(), wechat.EnrolKey(code), wechat.EncodeEnrolment(user, w.clock.Now().Add(valid))); err != nil {
		w.t.Fatal(err)
	}
	return code
}

// said makes handle say text in the building group and returns what the engine got.
func (w *world) said(n int, handle, text string) bot.Message {
	w.t.Helper()
	w.fake.Say(building, handle, text)
	return w.message(n)
}

func TestStaffNicknameGrantsNothing(t *testing.T) {
	w := identityWorld(t)
	w.qrLogin()
	if m := w.said(1, impostor.Handle, "#建议 我是书记"); !unverified(m.User) || m.UserName != secretary {
		t.Fatalf("the impostor reached the engine as %q (%q); want an unverified resident", m.User, m.UserName)
	}
	// Staff were told (during the login's binding, before EventOnline).
	if v, _ := w.Load(context.Background(), "wechat:impostor:"+secretary); v == "" {
		t.Fatal("staff were not told that someone uses the secretary's name")
	}
	// Not enrolled yet, the real secretary is no more than the impostor.
	if m := w.said(2, secretary, "#建议 我才是"); !unverified(m.User) {
		t.Fatalf("the unenrolled secretary reached the engine as %q", m.User)
	}
	if n := w.count(`SELECT COUNT(*) FROM people WHERE user_key = ?`, secretary); n != 0 {
		t.Fatalf("%d people rows with the secretary's key", n)
	}
}

func TestEnrolmentBindsTheContactAcrossLogins(t *testing.T) {
	w := identityWorld(t)
	r := w.qrLogin()
	code := w.issue(secretary, time.Hour)
	w.fake.SayPrivately(secretary, "我的验证码 "+strings.ToLower(code))
	e := w.event(bot.EventEnrolled)
	if e.Name != secretary || w.fake.Remark(secretary) != wechat.RemarkPrefix+secretary {
		t.Fatalf("enrolled %+v, remark %q", e, w.fake.Remark(secretary))
	}
	// The code is used up: the impostor cannot bind with it too.
	w.fake.SayPrivately(impostor.Handle, code)
	w.event(bot.EventEnrolFailed)
	if m := w.said(1, secretary, "#建议 书记说"); m.User != secretary {
		t.Fatalf("the enrolled secretary reached the engine as %q", m.User)
	}
	if m := w.said(2, impostor.Handle, "#建议 冒充者说"); !unverified(m.User) {
		t.Fatalf("the impostor reached the engine as %q", m.User)
	}
	r.stop()
	// A new login: every @ id is new, the remark name is not.
	w.start()
	w.event(bot.EventOnline)
	if m := w.said(3, secretary, "#建议 重新登录以后"); m.User != secretary {
		t.Fatalf("after a re-login the secretary reached the engine as %q", m.User)
	}
	if n := w.count(`SELECT COUNT(*) FROM inbound`); n == 0 {
		t.Fatal("no inbound rows to check")
	}
	if n := w.count(`SELECT COUNT(*) FROM requests WHERE text LIKE '%QIAO-%'`); n != 0 {
		t.Fatal("the enrolment code was stored as a request")
	}
}

func TestExpiredOrWrongCodesBindNothing(t *testing.T) {
	w := identityWorld(t)
	w.qrLogin()
	code := w.issue(secretary, time.Minute)
	w.clock.Advance(2 * time.Minute)
	w.fake.SayPrivately(secretary, code)
	w.event(bot.EventEnrolFailed)
	for range 6 { // a guesser is cut off after five tries, even with the right code
		w.fake.SayPrivately(impostor.Handle, "QIAO-AAAA-AAAA")
	}
	fresh := w.issue(secretary, time.Hour)
	w.fake.SayPrivately(impostor.Handle, fresh)
	if m := w.said(1, impostor.Handle, "#建议 还是我"); !unverified(m.User) {
		t.Fatalf("the guesser reached the engine as %q", m.User)
	}
	if v, _ := w.Load(context.Background(), wechat.EnrolKey(fresh)); v == "" {
		t.Fatal("the fresh code was used up by a contact past its tries")
	}
}

func TestRenameCannotStripTheSecretarysRoles(t *testing.T) {
	w := identityWorld(t)
	r := w.qrLogin()
	w.fake.SayPrivately(secretary, w.issue(secretary, time.Hour))
	w.event(bot.EventEnrolled)
	// 居民乙 renames to the secretary's name, then to 居民甲's, while the bot
	// watches: a newcomer's first words make the library fetch the names again.
	w.fake.RenameMember("居民乙", secretary)
	w.fake.AddMember(building, wechattest.Member{Nick: "新邻居1"})
	w.said(1, "新邻居1", "大家好")
	if m := w.said(2, "居民乙", "#建议 改名成书记"); m.User != "居民乙" || m.UserName != secretary {
		t.Fatalf("the renamed resident reached the engine as %q (%q), want 居民乙", m.User, m.UserName)
	}
	w.fake.RenameMember("居民乙", "居民甲")
	w.fake.AddMember(building, wechattest.Member{Nick: "新邻居2"})
	w.said(3, "新邻居2", "大家好")
	if m := w.said(4, "居民乙", "#建议 改名成甲"); m.User != "居民乙" || m.UserName != "居民甲" {
		t.Fatalf("the renamed resident reached the engine as %q (%q), want 居民乙", m.User, m.UserName)
	}
	for _, name := range []string{secretary, "居民甲"} {
		if v, _ := w.Load(context.Background(), "wechat:person:"+name); v != "" {
			t.Fatalf("a rename record maps %s to %q", name, v)
		}
	}
	r.stop()
	w.start()
	w.event(bot.EventOnline)
	if m := w.said(5, secretary, "#建议 书记"); m.User != secretary {
		t.Fatalf("after the renames the secretary reached the engine as %q", m.User)
	}
	if m := w.said(6, "居民甲", "#建议 甲"); m.User != "居民甲" {
		t.Fatalf("after the renames 居民甲 reached the engine as %q", m.User)
	}
}

func TestRemarkNamesIgnoredBindForTheSessionOnly(t *testing.T) {
	w := identityWorld(t)
	w.fake.IgnoreRemarks()
	r := w.qrLogin()
	w.fake.SayPrivately(secretary, w.issue(secretary, time.Hour))
	if e := w.event(bot.EventEnrolled); e.Account != wechat.RemarkPrefix+secretary {
		t.Fatalf("enrolled %+v: the alert must name the remark to set on the phone", e)
	}
	if m := w.said(1, secretary, "#建议 本次登录"); m.User != secretary {
		t.Fatalf("in this session the secretary reached the engine as %q", m.User)
	}
	r.stop()
	w.start()
	w.event(bot.EventOnline)
	if m := w.said(2, secretary, "#建议 下次登录"); !unverified(m.User) {
		t.Fatalf("without a remark name the binding must not survive a re-login; got %q", m.User)
	}
}

func TestGroupRenamedToTheStaffTitleIsNotBound(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.Rename("闲聊群", staff)
	w.fake.Say("闲聊群", "居民甲", "#建议 冒充工作群")
	if m := w.message(1); m.Chat == staff || !strings.HasPrefix(m.Chat, wechat.UnboundPrefix) {
		t.Fatalf("a group renamed to the staff title reached the engine as chat %q", m.Chat)
	}
	if e := w.event(bot.EventGroupUnbound); e.Chat != staff {
		t.Fatalf("unbound %+v", e)
	}
	w.fake.Say(building, "居民丙", "#建议 通知工作群")
	w.message(2)
	// The notice of the unregistered group and that of the suggestion.
	w.until(time.Minute, "two staff notices", func() bool { return len(w.sentTo(staff)) >= 2 })
	for _, s := range w.sentTo(staff) {
		if s.ToHandle != staff {
			t.Fatalf("a staff notice went to the renamed group %q: %+v", s.ToHandle, s)
		}
	}
}

func TestTwoGroupsOfTheStaffTitleAreToldApartByMembers(t *testing.T) {
	w := newWorld(t)
	w.fake.Close()
	// The other group is listed first: the first of a name must not win.
	w.fake = wechattest.New("小桥", wechattest.Group{Title: "闲聊群", Members: residents[:1]},
		wechattest.Group{Title: building, Members: residents}, wechattest.Group{Title: staff, Members: residents[3:]})
	t.Cleanup(w.fake.Close)
	r := w.qrLogin()
	r.stop()
	w.fake.Rename("闲聊群", staff) // while the bot is away
	w.start()
	w.event(bot.EventOnline)
	w.fake.Say(building, "居民丙", "#建议 重新登录后")
	w.message(1)
	notices := w.deliveredTo(staff, 1)
	if notices[0].ToHandle != staff {
		t.Fatalf("the staff notice went to %q", notices[0].ToHandle)
	}
}

func TestStaffRebindTakesEffectMidSession(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.Rename(building, "3栋邻里之家")
	w.fake.Say("3栋邻里之家", "居民乙", "#建议 改名后还能用")
	if m := w.message(1); m.Chat != building {
		t.Fatalf("the bound group renamed mid-session reached the engine as chat %q", m.Chat)
	}
	// A group the bot did not bind at login takes a configured name only
	// when staff set it (#绑定群 stores the new chat key).
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.WeChat, staff)
		if err != nil {
			return err
		}
		return tx.UpdateGroupChat(g.ID, "闲聊群")
	})
	if err != nil {
		t.Fatal(err)
	}
	w.fake.Say("闲聊群", "居民甲", "#建议 员工指定的群")
	if m := w.message(2); m.Chat != "闲聊群" {
		t.Fatalf("the group staff bound reached the engine as chat %q", m.Chat)
	}
}

// unverified reports a key of someone using the secretary's name unenrolled
// (two such friends get a tag each, see TestPrivateRepliesReachTheRightNamesake).
func unverified(key string) bool { return strings.HasPrefix(key, wechat.UnverifiedPrefix+secretary) }

func TestCodePostedInAGroupIsVoided(t *testing.T) {
	w := identityWorld(t)
	w.qrLogin()
	code := w.issue(secretary, time.Hour)
	w.fake.Say(building, secretary, "验证码 "+code)
	w.event(bot.EventEnrolFailed)
	w.fake.SayPrivately(impostor.Handle, code) // someone in the group copies it
	w.event(bot.EventEnrolFailed)
	if m := w.said(1, impostor.Handle, "#建议 抄来的码"); !unverified(m.User) {
		t.Fatalf("a code seen in a group bound %q", m.User)
	}
}

func TestTwoGroupsOfTheStaffTitleWithNothingRememberedBindNeither(t *testing.T) {
	w := newWorld(t)
	w.fake.Close()
	w.fake = wechattest.New("小桥", wechattest.Group{Title: staff, Members: residents[:1], Handle: "copy"},
		wechattest.Group{Title: building, Members: residents}, wechattest.Group{Title: staff, Members: residents[3:]})
	t.Cleanup(w.fake.Close)
	w.start()
	w.event(bot.EventQR)
	w.fake.Scan()
	if e := w.event(bot.EventGroupAmbiguous); e.Chat != staff {
		t.Fatalf("ambiguous %+v", e)
	}
	w.fake.Say("copy", "居民甲", "#建议 哪个是工作群")
	if m := w.message(1); m.Chat == staff {
		t.Fatalf("a group of an ambiguous title was bound: %+v", m)
	}
}
