package projects_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// TestProgressReachesFollowersOnce: the owner department posts progress with
// a photo to the groups and privately to followers; another department and
// a resident cannot; a replayed message (same platform id) posts nothing more.
func TestProgressReachesFollowersOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(t, "3栋居民群", "陈社工", create)
	e.say(t, "3栋居民群", "居民甲", "#关注 J1")
	if got := e.say(t, "供电所群", "供电小孙", "#进展 J1 50%"); !strings.Contains(got, "只有社区工作人员和 J1 的负责部门可以发布进展") {
		t.Errorf("another department posted progress: %s", got)
	}
	if got := e.say(t, "3栋居民群", "居民甲", "#进展 J1 100%"); !strings.Contains(got, "只有社区工作人员和 J1 的负责部门") {
		t.Errorf("a resident posted progress: %s", got)
	}
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	msg := bot.Message{Platform: bot.Console, Chat: "物业服务群", User: "物业小周", UserName: "物业小周", ID: "w1",
		Text: "#进展 J1 60% 主体完工", Attachments: []bot.Attachment{{Kind: bot.KindImage, Name: "a.png", MIME: "image/png", Data: img.Bytes()}}}
	before := len(e.outbox(t))
	for range 2 { // the platform delivers it twice
		if err := e.engine.Handle(context.Background(), msg); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(e.outbox(t)[before:], "\n")
	if count(got, "3栋居民群|【项目进展 J1】休闲亭：60%") != 1 || count(got, "@居民甲|您关注的项目有新进展") != 1 ||
		count(got, "@陈社工|您关注的项目有新进展") != 1 || count(got, "已发布 J1 进展（60%）到 1 个群，并私信通知 2 位关注者") != 1 {
		t.Errorf("the update was not posted exactly once to the group and each follower:\n%s", got)
	}
	msgs, err := e.db.PendingOutbox(context.Background(), bot.Console, time.Time{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	photos := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, "【项目进展 J1】") && m.BlobID != 0 {
			photos++
		}
	}
	if photos != 3 {
		t.Errorf("%d posts carry the photo, want 3 (the group and two followers)", photos)
	}
	e.say(t, "物业服务群", "物业小周", "#进展 J1 里程碑1 完成")
	if got := e.say(t, "物业服务群", "物业小周", "#进展 J1 里程碑1 完成"); !strings.Contains(got, "J1 没有未完成的里程碑1") {
		t.Errorf("a milestone was completed twice: %s", got)
	}
	if got := e.say(t, "3栋居民群", "居民甲", "#取消关注 J1"); !strings.Contains(got, "已取消关注 J1") {
		t.Errorf("unfollow: %s", got)
	}
	if got := e.say(t, "物业服务群", "物业小周", "#进展 J1 70%"); count(got, "@居民甲|") != 0 {
		t.Errorf("an unfollowed resident still hears: %s", got)
	}
}

// TestReviewRules: 评议 opens at completion, for members of the project's
// groups and followers, once per person (or household), until the deadline.
func TestReviewRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(t, "3栋居民群", "陈社工", create+" 一户一票")
	e.update(t, func(tx *storage.Tx) error {
		for _, name := range []string{"居民甲", "居民乙"} {
			p, err := tx.ResolvePerson(e.cid, bot.Console, name, name)
			if err != nil {
				return err
			}
			if err := tx.SetPersonRoom(p.ID, "3栋2单元501"); err != nil {
				return err
			}
		}
		return nil
	})
	steps := []struct{ chat, user, text, want string }{ // every step checks its answer
		{"3栋居民群", "居民甲", "#评议 J1 满意", "还在建设中"},
		{"社区工作群", "陈社工", "#完工 J1 评议至12月3日", "J1 已完工，评议 12月3日 23:59 截止"},
		{"社区工作群", "陈社工", "#完工 J1", "已经完工"},
		{"5号楼居民群", "路人丁", "#评议 J1 满意", "由项目所在群的居民和关注者评议"},
		{"3栋居民群", "居民丙", "#评议 J1 满意", "请先登记房号"},
		{"3栋居民群", "居民甲", "#评议 J1 说不清", "没看懂“说不清”"},
		{"3栋居民群", "居民甲", "#评议 J1 满意，但是太贵不满意", "没看懂"},
		{"3栋居民群", "居民甲", "#评议 J1 满意 很漂亮", "已收到您对 J1 休闲亭 的评议：满意（很漂亮）"},
		{"3栋居民群", "居民乙", "#评议 J1 不满意", "您家已经评议过 J1（满意），每户一次"},
	}
	for _, s := range steps {
		got := e.say(t, s.chat, s.user, s.text)
		if !strings.Contains(got, s.want) {
			t.Errorf("%s %s: got %q, want %q", s.user, s.text, got, s.want)
		}
	}
	// Four hours before the deadline: the group and the follower who has not rated (the creator) are reminded, once.
	e.clock.Set(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	before := len(e.outbox(t))
	for range 2 {
		if err := e.jobs.Tick(context.Background(), e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(e.outbox(t)[before:], "\n")
	if count(got, "3栋居民群|提醒：J1 休闲亭 的居民评议 12月3日 23:59 截止") != 1 || count(got, "@陈社工|提醒：J1") != 1 || count(got, "@居民甲|") != 0 {
		t.Errorf("reminders:\n%s", got)
	}
	e.clock.Set(time.Date(2026, 12, 3, 16, 0, 0, 0, time.UTC)) // 12-04 00:00 in Shanghai: closed, the job not run yet
	if got := e.say(t, "3栋居民群", "居民甲", "#评议 J1 满意"); !strings.Contains(got, "评议已经截止") {
		t.Errorf("a rating after the deadline: %s", got)
	}
	before = len(e.outbox(t))
	for range 2 {
		if err := e.jobs.Tick(context.Background(), e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	got = strings.Join(e.outbox(t)[before:], "\n")
	if count(got, "【评议结果 J1】休闲亭：评议 1 户，满意率 100.0%") != 2 || !strings.Contains(got, "社区工作群|") {
		t.Errorf("the result was not posted once to the project's group and the staff group:\n%s", got)
	}
	if got := e.say(t, "3栋居民群", "居民乙", "#项目 J1"); !strings.Contains(got, "评议结果：评议 1 户，满意率 100.0%") {
		t.Errorf("the project record lacks the result: %s", got)
	}
}

// TestExportGoesToStaffOnly: #导出 J1 writes an xlsx and, asked in a
// residents' group, sends it privately.
func TestExportGoesToStaffOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.say(t, "3栋居民群", "陈社工", create)
	got := e.say(t, "3栋居民群", "陈社工", "#导出 J1")
	if !strings.Contains(got, "@陈社工|项目 J1 休闲亭 的台账：项目-J1.xlsx") || strings.Contains(got, "3栋居民群|项目 J1") {
		t.Errorf("export: %s", got)
	}
}
