package requests_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// TestStatsHandBuilt reproduces a hand-built year: 36 rated tickets (30
// satisfied, 5 basic, 1 unsatisfied: 35/36 = 97.2%), 8 improvement comments,
// 29 suggestions and 45 needs like the community's meetings collected, two
// overdue needs, resolution times 1..36 hours (median 18.5), and three
// requests from last year that must not count.
func TestStatsHandBuilt(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var gongdian int64
	_ = e.db.View(ctx, func(tx *storage.Tx) error {
		for _, d := range must(tx.Departments(e.community)) {
			if d.Key == "gongdian" {
				gongdian = d.ID
			}
		}
		return nil
	})
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	add := func(kind, category, state string, edit func(r *storage.Request)) {
		t.Helper()
		n++
		e.now = start.Add(time.Duration(n) * time.Hour)
		err := e.db.Update(ctx, func(tx *storage.Tx) error {
			r := storage.Request{CommunityID: e.community, Kind: kind, Category: category, Text: "x", PersonID: e.reporter, State: state}
			id, err := tx.CreateRequest(r)
			if err != nil {
				return err
			}
			r, err = tx.FindRequest(e.community, id)
			if err != nil {
				return err
			}
			edit(&r)
			return tx.SaveRequest(r)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	rated := 0
	ticket := func(kind, category string, dept int64, rating string, comment bool) {
		rated++
		hours := time.Duration(rated) * time.Hour
		add(kind, category, "closed", func(r *storage.Request) {
			r.DepartmentID, r.Rating, r.RatedAt = dept, rating, r.CreatedAt.Add(hours+time.Hour)
			r.ResolvedAt = r.CreatedAt.Add(hours)
			if rating == "unsatisfied" {
				r.State = "reopened"
			} else {
				r.ClosedAt = r.RatedAt
			}
			if comment {
				r.RatingNote = "下次早点来"
			}
		})
	}
	// 物业: 20 repairs, 16 satisfied, 3 basic, 1 unsatisfied; 5 comments.
	for i := 0; i < 20; i++ {
		rating := "satisfied"
		if i >= 16 {
			rating = "basic"
		}
		if i == 19 {
			rating = "unsatisfied"
		}
		ticket("repair", "lighting", e.wuye, rating, i < 5)
	}
	// 供电: 16 complaints, 14 satisfied, 2 basic; 3 comments.
	for i := 0; i < 16; i++ {
		rating := "satisfied"
		if i >= 14 {
			rating = "basic"
		}
		ticket("complaint", "lift", gongdian, rating, i < 3)
	}
	nothing := func(*storage.Request) {}
	for i, state := range []struct {
		state string
		n     int
	}{{"adopted", 10}, {"done", 9}, {"deferred", 5}, {"submitted", 5}} {
		_ = i
		for j := 0; j < state.n; j++ {
			add("suggestion", "parking", state.state, nothing)
		}
	}
	for i := 0; i < 45; i++ {
		state, due := "submitted", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		if i >= 40 {
			state = "done"
		}
		if i < 2 {
			due = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) // overdue
		}
		add("need", "elderly", state, func(r *storage.Request) {
			if state == "submitted" {
				r.StageDueAt = due
			}
		})
	}
	// Last year: not counted.
	start = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		add("repair", "lighting", "closed", func(r *storage.Request) { r.Rating = "unsatisfied" })
	}

	e.now = time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	got := e.say(t, "staff", "#统计 今年")
	want := `今年统计（2026-01-01 至 2026-12-31）：共 110 件
按类型：报修 20，反映 16，建议 29，需求 45
按类别：养老 45，停车 29，照明 20，电梯 16
按状态：待答复 45，已结单 35，重新办理 1，已采纳 10，已办 14，暂缓 5
评价 36 件：满意 30，基本满意 5，不满意 1；首次满意率 97.2%，最终满意率 97.2%
物业：评价 20 件，满意率 95.0%
供电所：评价 16 件，满意率 100.0%
改进意见 8 条；办结 36 件，用时中位数 18.5 小时；超时未办 2 件`
	if got != want {
		t.Errorf("stats:\n%s\nwant:\n%s", got, want)
	}
	// A period with nothing in it, and a bad period.
	if got, want := e.say(t, "staff", "#统计 2025-01-01..2025-01-31"), `统计（2025-01-01 至 2025-01-31）：共 0 件
评价 0 件：满意 0，基本满意 0，不满意 0；首次满意率 -，最终满意率 -
改进意见 0 条；办结 0 件；超时未办 0 件`; got != want {
		t.Errorf("empty period:\n%s\nwant:\n%s", got, want)
	}
	if got, want := e.say(t, "staff", "#统计 去年夏天"), "请这样写：#统计 本周、#统计 本月、#统计 上个月、#统计 本季度、#统计 2026年11月、#统计 近30天，或 #统计 2026-01-01..2026-06-30；要看图：#统计 图表 上个月"; got != want {
		t.Errorf("bad period: %s", got)
	}
}

// say sends text as a role's person and returns the text of the last message
// queued into their chat (the reply).
func (e *env) say(t *testing.T, role, text string) string {
	t.Helper()
	ctx := context.Background()
	who := e.people[role]
	e.seq++
	m := bot.Message{Platform: bot.Console, Chat: who.chat, User: who.name, UserName: who.name, ID: fmt.Sprint("say", e.seq), Text: text, Time: e.now}
	if err := e.engine.Handle(ctx, m); err != nil {
		t.Fatal(err)
	}
	msgs, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].ChatKey == who.chat {
			return msgs[i].Text
		}
	}
	t.Fatalf("no reply in %s to %q", who.chat, text)
	return ""
}

// TestHostileText: user text is data: template syntax and markup are echoed
// as written, numbers masked, very long text clipped in the group.
func TestHostileText(t *testing.T) {
	e := newEnv(t)
	got := e.say(t, "reporter", "#建议 {{.ID}} <b>x</b> 找我138-1234-5678 "+strings.Repeat("长", 100))
	want := "谢谢您的建议！已登记为 S1（3栋）：{{.ID}} <b>x</b> 找我138****5678 " + strings.Repeat("长", 29) + "…\n社区会尽快答复，可发送 #进度 S1 查看。"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
