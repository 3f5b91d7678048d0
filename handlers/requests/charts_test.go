package requests_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// ratedTicket lays out a ticket of 物业 dispatched at at, accepted an hour
// later, resolved after two and rated after three.
func (e *env) ratedTicket(t *testing.T, at time.Time, rating string) {
	t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		tx.Now = at
		id, err := tx.CreateRequest(storage.Request{CommunityID: e.community, Kind: "repair", Category: "lighting", Text: "楼道灯不亮",
			PersonID: e.reporter, State: "closed"})
		if err != nil {
			return err
		}
		r, err := tx.FindRequest(e.community, id)
		if err != nil {
			return err
		}
		r.DepartmentID, r.Rating, r.RatedAt, r.ResolvedAt, r.ClosedAt = e.wuye, rating, at.Add(3*time.Hour), at.Add(2*time.Hour), at.Add(3*time.Hour)
		if err := tx.SaveRequest(r); err != nil {
			return err
		}
		for i, action := range []string{"dispatch", "accept", "resolve", "rate"} {
			tx.Now = at.Add(time.Duration(i) * time.Hour)
			if err := tx.AddRequestEvent(storage.RequestEvent{RequestID: id, ActorID: e.reporter, Action: action, DepartmentID: e.wuye}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// picture returns the stored picture a message carries, decoded.
func (e *env) picture(t *testing.T, m storage.OutboxMessage) (width, height int) {
	t.Helper()
	var b storage.Blob
	err := e.db.View(context.Background(), func(tx *storage.Tx) (err error) {
		b, err = tx.FindBlob(m.BlobID)
		return err
	})
	if err != nil {
		t.Fatalf("message %q: %v", m.Text, err)
	}
	img, err := png.Decode(bytes.NewReader(b.Data))
	if err != nil {
		t.Fatalf("message %q: picture: %v", m.Text, err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

// TestRateCharts: the monthly summary carries a picture of the year's
// satisfaction over the month's departments' 三率 into the staff group;
// #统计 图表 draws the same for a period for staff only, and privately when
// asked in a residents' group.
func TestRateCharts(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	for i, rating := range []string{"satisfied", "unsatisfied", "basic", "satisfied"} {
		e.ratedTicket(t, time.Date(2026, time.Month(9+i%3), 10+i, 2, 0, 0, 0, time.UTC), rating)
	}
	e.now = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	jobs := &requests.Jobs{DB: e.db, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Config: requests.DefaultConfig(), Classifier: e.classifier}
	if err := jobs.MonthlySummary(ctx, e.now); err != nil {
		t.Fatal(err)
	}
	sent, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 100)
	if err != nil || len(sent) != 1 || sent[0].ChatKey != "社区工作群" || !strings.Contains(sent[0].Text, "11月工作小结") || sent[0].BlobID == 0 {
		t.Fatalf("monthly summary: %v %+v", err, sent)
	}
	if w, h := e.picture(t, sent[0]); w < 640 || h != 2*420 {
		t.Errorf("monthly picture %dx%d, want the two charts one under the other", w, h)
	}

	if got, want := e.say(t, "resident", "#统计 图表"), "抱歉，#统计 图表 只有社区工作人员可以使用。如需帮助，请联系社区工作人员。"; got != want {
		t.Errorf("a resident asked: %q, want %q", got, want)
	}
	if got := e.say(t, "staff", "#统计 图表 2025年1月"); !strings.Contains(got, "没有图可画") {
		t.Errorf("a period with nothing to draw: %q", got)
	}
	// Asked in a residents' group: the picture goes privately.
	e.seq++
	m := bot.Message{Platform: bot.Console, Chat: "3栋居民群", User: "陈社工", UserName: "陈社工", ID: "chart-in-group", Text: "#统计 图表 本月", Time: e.now}
	if err := e.engine.Handle(ctx, m); err != nil {
		t.Fatal(err)
	}
	sent, err = e.db.PendingOutbox(ctx, bot.Console, e.now, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range sent {
		if m.ChatKey == "3栋居民群" && m.BlobID != 0 {
			t.Errorf("a chart reached a residents' group: %q", m.Text)
		}
	}
	last, prev := sent[len(sent)-1], sent[len(sent)-2]
	if want := "和平路社区 近12个月满意率和各部门三率（2026-12-01 至 2026-12-31）。"; prev.Text != want {
		t.Errorf("the private answer: %q, want %q", prev.Text, want)
	}
	if prev.BlobID == 0 || prev.ChatKey == "3栋居民群" || last.ChatKey != "3栋居民群" || !strings.Contains(last.Text, "私信") {
		t.Errorf("asked in a residents' group: %q to %s (picture %d), then %q to %s", prev.Text, prev.ChatKey, prev.BlobID, last.Text, last.ChatKey)
	}
}
