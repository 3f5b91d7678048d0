package activities_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
	"github.com/xuri/excelize/v2"
)

func at(day, hour, minute int) time.Time {
	return time.Date(2026, 12, day, hour, minute, 0, 0, start.Location())
}

func TestCheckInWithTheCodeInItsWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code := e.announce(t, "义诊 12月5日上午9点 名额 5")
	e.say(t, "3栋居民群", "甲", "#报名 A1 2人")
	e.Clock.Set(at(5, 8, 0))
	mustContain(t, e.say(t, "3栋居民群", "甲", "#签到 A1 "+code), "签到时间是 12月5日 08:30 到 11:00，现在不能签到")
	e.Clock.Set(at(5, 8, 45))
	wrong := "0000"
	if code == wrong {
		wrong = "0001"
	}
	mustContain(t, e.say(t, "3栋居民群", "甲", "#签到 A1 "+wrong), "签到码不对")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#签到 A1"), "签到请写活动编号和现场的签到码")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#签到 A1 "+code), "签到成功：A1（义诊）。目前已签到 2 人")
	mustContain(t, e.say(t, "3栋居民群", "甲", "#签到 A1 "+code), "您已经签到过了")
	mustContain(t, e.say(t, "3栋居民群", "路人", "#签到 A1 "+code), "（现场参加，未报名）。目前已签到 3 人")
	mustContain(t, e.say(t, "", "陈社工", "#活动 A1"), "甲 2人 ✓已签到", "现场 路人 1人 ✓已签到", "已签到 3 人")
	mustContain(t, e.say(t, "社区工作群", "陈社工", "#导出 A1"), "[社区工作群 +file]", "报名与签到表：已报 2 人，候补 0 人，已签到 3 人")
	rows := e.lastWorkbook(t)
	if len(rows) != 3 || strings.Join(rows[0][:5], ",") != "姓名,房号,人数,联系方式,状态" || rows[1][0] != "甲" || rows[1][2] != "2" ||
		rows[2][0] != "路人" || rows[2][4] != "现场参加" || rows[2][7] == "" {
		t.Errorf("workbook rows %q", rows)
	}
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "#导出 A1"), "[@陈社工 +file]", "已私信发给您")
	e.Clock.Set(at(5, 11, 1))
	mustContain(t, e.say(t, "3栋居民群", "乙", "#签到 A1 "+code), "现在不能签到")
}

// lastWorkbook reads the rows of the xlsx file sent last.
func (e *env) lastWorkbook(tb testing.TB) [][]string {
	tb.Helper()
	msgs, err := e.DB.PendingOutbox(context.Background(), bot.Console, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 1000000)
	if err != nil {
		tb.Fatal(err)
	}
	var id int64
	for _, m := range msgs {
		if m.BlobID != 0 {
			id = m.BlobID
		}
	}
	b, err := e.DB.FindBlob(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Data))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("A1")
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}

func TestRemindersTheDayBeforeAndAnHourBefore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.announce(t, "义诊 12月5日上午9点 地点 广场 名额 1")
	e.say(t, "3栋居民群", "甲", "#报名 A1")
	e.say(t, "3栋居民群", "乙", "#报名 A1") // waiting: not reminded
	if got := e.tick(t, at(4, 8, 0)); got != "" {
		t.Errorf("25 hours before: %q", got)
	}
	got := e.tick(t, at(4, 9, 0))
	mustContain(t, got, "[@甲] 提醒：您报名的A1（义诊）将在 12月5日 09:00 开始，地点：广场（1 人）", "[@陈社工] 您发布的A1（义诊）将在 12月5日 09:00 开始：已报 1/1 人，候补 1 人")
	if strings.Contains(got, "@乙") {
		t.Errorf("the waitlist was reminded:\n%s", got)
	}
	if got := e.tick(t, at(4, 9, 5)); got != "" {
		t.Errorf("the same reminder twice: %q", got)
	}
	mustContain(t, e.tick(t, at(5, 8, 0)), "[@甲] 提醒：您报名的A1（义诊）还有 60 分钟开始")
	if got := e.tick(t, at(5, 8, 30)); got != "" {
		t.Errorf("after the last reminder: %q", got)
	}
}

func TestCatchUpRemindsOnceAndNeverAfterTheStart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.announce(t, "义诊 12月5日上午9点")
	e.say(t, "3栋居民群", "甲", "#报名 A1")
	// Down from the 3rd to half an hour before the start: only the hour's reminder.
	got := e.tick(t, at(5, 8, 30))
	if strings.Count(got, "[@甲]") != 1 || !strings.Contains(got, "还有 30 分钟开始") {
		t.Errorf("catching up: %q", got)
	}
	f := newEnv(t)
	f.announce(t, "义诊 12月5日上午9点")
	f.say(t, "3栋居民群", "甲", "#报名 A1")
	if got := f.tick(t, at(5, 9, 10)); got != "" {
		t.Errorf("after the start: %q", got)
	}
}

func TestRestartBetweenCancellationAndNoticeLosesNothing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "qiao.db")
	e := newEnvAt(t, path, start)
	e.announce(t, "义诊 周六上午9点 名额 1")
	e.say(t, "3栋居民群", "甲", "#报名 A1")
	e.say(t, "3栋居民群", "乙", "#报名 A1")
	e.say(t, "3栋居民群", "甲", "#取消报名 A1")
	if err := e.DB.Close(); err != nil { // the process dies before the dispatcher sends
		t.Fatal(err)
	}
	f := newEnvAt(t, path, start.Add(time.Minute))
	var pending []string
	for _, m := range f.Pending(t) {
		if strings.HasPrefix(m, "[@乙]") {
			pending = append(pending, m)
		}
	}
	if len(pending) != 1 || !strings.Contains(pending[0], "您已从候补递补到A1") {
		t.Errorf("after the restart the promotion notice is %q", pending)
	}
	mustContain(t, f.say(t, "", "陈社工", "#活动 A1"), "已报 1/1 人", "乙 1人")
}

func TestAFloodAtTheCapacityEdgeNeverOverfills(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.announce(t, "义诊 周六上午9点 名额 20")
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.say(t, "3栋居民群", fmt.Sprintf("居民%02d", i), fmt.Sprintf("#报名 A1 %d人", 1+i%2))
		}()
	}
	wg.Wait()
	var counts storage.SignupCounts
	err := e.DB.View(context.Background(), func(tx *storage.Tx) error {
		a, err := tx.FindActivity(1, 1)
		if err != nil {
			return err
		}
		counts, err = tx.CountSignups(a.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts.Seats > 20 || counts.Seats < 19 || counts.Signups+counts.Waiting != 30 {
		t.Errorf("after 30 concurrent sign-ups: %+v", counts)
	}
}

func TestEnglishCommunity(t *testing.T) {
	t.Parallel()
	spec := storagetest.Community()
	spec.Lang = "en"
	e := newEnvSpec(t, filepath.Join(t.TempDir(), "qiao.db"), start, spec)
	mustContain(t, e.say(t, "3栋居民群", "陈社工", "/activity Free clinic\n时间: 12月5日上午9点\n地点: Square\n名额: 1\n收集: 联系方式"),
		"Please check the activity:", "Places: 1 people (then a waitlist)", "A phone number is asked for")
	got := e.say(t, "3栋居民群", "陈社工", "yes")
	mustContain(t, got, "[Activity A1] Free clinic", "To sign up: /signup A1 PHONE", "Check-in code of A1 (Free clinic): ")
	code := regexp.MustCompile(`Check-in code of A1 \(Free clinic\): (\d{4})`).FindStringSubmatch(got)[1]
	mustContain(t, e.say(t, "3栋居民群", "甲", "/signup A1"), "asks for a phone number")
	mustContain(t, e.say(t, "3栋居民群", "甲", "/signup A1 13812345678"), "signed up, 1 people, 0 places left. Phone 138****5678 noted.")
	mustContain(t, e.say(t, "3栋居民群", "乙", "/signup A1 13912345678"), "full; you are number 1 on the waitlist")
	mustContain(t, e.say(t, "3栋居民群", "甲", "/unsignup A1"), "Your sign-up for A1 (Free clinic) is cancelled. 1 moved up", "[@乙] Good news")
	mustContain(t, e.tick(t, at(4, 9, 0)), "[@乙] Reminder: A1 (Free clinic) starts Dec 5 09:00 at Square", "[@陈社工] Your A1 (Free clinic) starts Dec 5 09:00: 1/1 signed up")
	e.Clock.Set(at(5, 8, 45))
	mustContain(t, e.say(t, "3栋居民群", "乙", "/checkin A1 "+code), "Checked in: A1 (Free clinic). 1 checked in so far.")
	mustContain(t, e.say(t, "", "陈社工", "/activity A1"), "乙 ×1 13912345678 ✓checked in")
	mustContain(t, e.say(t, "3栋居民群", "乙", "/activity"), "Coming up:\nA1 Free clinic: Dec 5 09:00, Square, 1/1 signed up")
}
