package requests_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// TestRemindOverdue moves a virtual clock past the time limits: the holder's
// group is reminded once a day per ticket, the ticket escalates one level
// (department → staff group; staff → admin in private) once, recorded as an
// event; a second run the same day sends nothing; tickets in time, closed or
// without a limit are left alone.
func TestRemindOverdue(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai
	e.now = t0
	// R1: reported in 3栋 (staff hold it, 4h to dispatch).
	e.say(t, "reporter", "#报修 3栋电梯坏了")
	// R2: reported, then dispatched to 物业 (lift: 2h to accept).
	e.say(t, "reporter", "#报修 3栋2单元楼道灯不亮")
	e.say(t, "staff", "#派单 R2 物业")
	// R3: resolved at once: waiting for a rating, no limit.
	e.say(t, "reporter", "#报修 3栋门禁坏了")
	e.say(t, "staff", "#办结 R3 已修好")
	jobs := &requests.Jobs{DB: e.db, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Config: requests.DefaultConfig(), Classifier: e.classifier}

	sent := func() []storage.OutboxMessage {
		msgs, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 10000)
		if err != nil {
			t.Fatal(err)
		}
		return msgs
	}
	run := func(at time.Time) []string {
		t.Helper()
		before := len(sent())
		e.now = at
		if err := jobs.RemindOverdue(ctx, at); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range sent()[before:] {
			to := m.ChatKey
			if to == "" {
				to = "@" + m.UserName
			}
			out = append(out, "["+to+"] "+m.Text)
		}
		return out
	}
	expect := func(got []string, want ...string) {
		t.Helper()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}

	// 10:00: nothing is late yet.
	expect(run(t0.Add(time.Hour)))
	// 13:30: R1's 4h limit to dispatch has passed (R2 has 24h to be accepted).
	expect(run(t0.Add(4*time.Hour+30*time.Minute)),
		"[社区工作群] 提醒：R1（报修·电梯，3栋）已超过时限（11-30 13:00），现在待派单。请尽快派单：#派单 R1 部门",
		"[@刘主任] 升级提醒：R1（报修·电梯）待派单，已超过时限（11-30 13:00）仍未处理，请督办。")
	// The same day again: nothing.
	expect(run(t0.Add(6 * time.Hour)))
	// The next day, 10:00 in Shanghai: R1 is reminded again but not escalated
	// again; R2 (24h to accept, due 12-01 09:00) is late: 物业 is reminded, staff told.
	expect(run(t0.Add(25*time.Hour)),
		"[社区工作群] 提醒：R1（报修·电梯，3栋）已超过时限（11-30 13:00），现在待派单。请尽快派单：#派单 R1 部门",
		"[物业服务群] 提醒：R2（报修·照明，3栋2单元）已超过时限（12-01 09:00），现在待接单。请尽快接单：#接单 R2",
		"[社区工作群] 升级提醒：R2（报修·照明）在物业待接单，已超过时限（12-01 09:00），请社区跟进督办。")
	expect(run(t0.Add(26 * time.Hour)))

	err := e.db.View(ctx, func(tx *storage.Tx) error {
		for id, want := range map[int64]int{1: 2, 2: 1, 3: 0} {
			r, err := tx.FindRequest(e.community, id)
			if err != nil {
				return err
			}
			if r.Escalated != want {
				t.Errorf("R%d escalated %d, want %d", id, r.Escalated, want)
			}
			events, err := tx.RequestEvents(id)
			if err != nil {
				return err
			}
			n := 0
			for _, ev := range events {
				if ev.Action == "escalate" {
					n++
					if ev.ActorID != 0 {
						t.Errorf("R%d escalate event has actor %d, want the system", id, ev.ActorID)
					}
				}
			}
			if want > 0 && n != 1 || want == 0 && n != 0 {
				t.Errorf("R%d has %d escalate events", id, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
