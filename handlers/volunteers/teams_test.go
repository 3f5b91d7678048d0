package volunteers_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qiao-community/qiao/bot/schedule"
	"github.com/qiao-community/qiao/handlers/volunteers"
	"github.com/qiao-community/qiao/storage"
)

func TestJoinWithApproval(t *testing.T) {
	e := newEnv(t)
	now := at(0, 10, 0)
	got := e.say(t, now, "1栋居民群", "王阿姨", "#加入 银龄先锋 文明宣导队 摄影 周一三五")
	contains(t, got, "已提交加入“文明宣导队”的申请，队长批准后会私信告诉您")
	// The sub-team's leader and the team's leader are asked, privately.
	contains(t, got, "@队员01: 王阿姨 申请加入“文明宣导队”（特长：摄影）。同意请发 #批准 文明宣导队 王阿姨")
	contains(t, got, "@刘主任: 王阿姨 申请加入“文明宣导队”")
	contains(t, e.say(t, now, "1栋居民群", "王阿姨", "#加入 文明宣导队"), "还在等队长批准")
	contains(t, e.say(t, now, "队员11", "队员11", "#批准 王阿姨"), "只有“文明宣导队”的队长或社区工作人员可以批准入队")
	contains(t, e.say(t, now, "1栋居民群", "李大爷", "#批准 王阿姨"), "只有“文明宣导队”的队长")
	got = e.say(t, now, "队员01", "队员01", "#批准 文明宣导队 王阿姨")
	contains(t, got, "已批准 王阿姨 加入“文明宣导队”")
	contains(t, got, "@王阿姨: 欢迎加入“文明宣导队”！")
	contains(t, e.say(t, now, "队员01", "队员01", "#批准 王阿姨"), "没有找到 王阿姨 的入队申请")
	contains(t, e.say(t, now, "1栋居民群", "王阿姨", "#加入 文明宣导队"), "您已经是“文明宣导队”的队员了")
	contains(t, e.say(t, now, "1栋居民群", "王阿姨", "#加入 舞蹈队"), "申请加入志愿队：#加入 队名")
	contains(t, e.say(t, now, "1栋居民群", "王阿姨", "#志愿队 文明宣导队"),
		"银龄先锋 · 文明宣导队：队长 队员01，队员 10 人\n队员：队员02、队员03、队员04、队员05、队员06、队员07、队员08、队员09、队员10、王阿姨")
	contains(t, e.say(t, now, "1栋居民群", "王阿姨", "#志愿队 银龄先锋"), "银龄先锋：队长 刘主任，队员 0 人\n银龄先锋 · 文明宣导队：队长 队员01，队员 10 人\n"+
		"队员：队员02、队员03、队员04、队员05、队员06、队员07、队员08、队员09、队员10、王阿姨\n银龄先锋 · 文化文艺队：队长 队员11，队员 9 人")
	// Staff make a team by command and lead it.
	contains(t, e.say(t, now, "1栋居民群", "王阿姨", "#志愿队 新建 护河队"), "只有社区工作人员可以新建志愿队")
	contains(t, e.say(t, now, "社区工作群", "陈社工", "#志愿队 新建 护河队 银龄先锋"), "志愿队“护河队”已建好，您是队长")
	contains(t, e.say(t, now, "社区工作群", "陈社工", "#志愿队"), "银龄先锋 · 护河队：队长 陈社工，队员 0 人")
}

func TestJoinedAvailableDaysLimitTheRoster(t *testing.T) {
	e := newEnv(t)
	e.say(t, at(0, 7, 0), "1栋居民群", "王阿姨", "#加入 文化文艺队 周二")
	e.say(t, at(0, 7, 1), "队员11", "队员11", "#批准 王阿姨")
	// 文化文艺队 is on Mon/Wed/Fri: 王阿姨, free only on Tuesdays, is never on it.
	for d := range 7 {
		if err := e.jobs.Remind(context.Background(), at(d, 8, 30)); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(e.outbox(t), "\n"); strings.Contains(got, "@王阿姨: 王阿姨您好") {
		t.Fatalf("reminded on a day she is not free:\n%s", got)
	}
}

// TestNoMorningReminderAfterDowntime: Qiao was down from 08:00 to 15:00; the
// scheduler's catch-up runs the duty job once, for 15:00, and the 08:30
// reminders are not sent in the afternoon.
func TestNoMorningReminderAfterDowntime(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := &schedule.Scheduler{DB: e.db, Clock: e.clock, Location: cst, CatchUp: 3 * time.Hour,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := s.Add(schedule.Job{Name: "duty", Spec: "* * * * *", Run: e.jobs.Remind}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(0, 8, 0))
	if err := s.RunDue(ctx, at(0, 8, 0)); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(0, 15, 0))
	if err := s.CatchUpTo(ctx, at(0, 15, 0)); err != nil {
		t.Fatal(err)
	}
	if got := reminded(e.outbox(t)); len(got) != 0 {
		t.Fatalf("reminded %v at 15:00", got)
	}
	// The next morning runs on time.
	e.clock.Set(at(1, 8, 30))
	if err := s.RunDue(ctx, at(1, 8, 30)); err != nil {
		t.Fatal(err)
	}
	if got := reminded(e.outbox(t)); len(got) != 2 || got[0] != 3 || got[1] != 4 {
		t.Fatalf("Tuesday reminded %v, want 队员03 and 队员04", got)
	}
	// Qiao ran at 08:30 but the platform was down until 15:00: the reminders
	// enqueued on time are not delivered in the afternoon either.
	before := len(e.outbox(t))
	if err := s.RunDue(ctx, at(2, 8, 30)); err != nil { // the clock stays at Tuesday: nothing delivered
		t.Fatal(err)
	}
	deliverable, err := e.db.PendingOutbox(ctx, "console", at(2, 8, 30), 100)
	if err != nil || len(deliverable) != 5 {
		t.Fatalf("deliverable at 08:30: %d, %v", len(deliverable), err)
	}
	e.clock.Set(at(2, 15, 0))
	if got := reminded(e.outbox(t)[before:]); len(got) != 0 {
		t.Fatalf("delivered at 15:00: %v", got)
	}
	if err := s.RunDue(ctx, at(2, 15, 0)); err != nil {
		t.Fatal(err)
	}
	if left, err := e.db.PendingOutbox(ctx, "console", time.Time{}, 100); err != nil || len(left) != 0 {
		t.Fatalf("still pending after expiry: %d, %v", len(left), err)
	}
}

func TestExportHours(t *testing.T) {
	e := newEnv(t)
	// A sign-in may say where (neither adapter passes location messages): it is kept for the export.
	contains(t, e.say(t, at(0, 8, 30), "队员01", "队员01", "#签到 位置：社区广场 东门"), "已签到 08:30，地点：社区广场 东门")
	e.say(t, at(0, 8, 31), "队员12", "队员12", "#签到") // never signs out: counted to 11:30
	e.say(t, at(0, 11, 0), "队员01", "队员01", "#签退")
	// The 日报 at 08:30 on Tuesday counts Monday's duties.
	err := e.db.View(context.Background(), func(tx *storage.Tx) error {
		line, err := volunteers.Digest(tx, 1, at(0, 8, 30), at(1, 8, 30), cst)
		if err == nil && (line.Shifts != 2 || line.Hours != "5.5") {
			t.Errorf("digest line %+v, want 2 duties, 5.5 hours", line)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := e.say(t, at(1, 9, 0), "1栋居民群", "陈社工", "#导出 志愿时长 11月")
	contains(t, got, "@陈社工: 志愿时长：2 人，2 人次，合计 5.5 小时（志愿时长-2026-11-01.xlsx）")
	contains(t, got, "已私信发给您")
	contains(t, e.say(t, at(1, 9, 0), "社区工作群", "陈社工", "#导出 志愿时长 明年后"), "导出志愿时长：#导出 志愿时长 11月")
	blob, err := e.db.FindBlob(context.Background(), e.blob)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(blob.Data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("志愿时长")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"姓名", "活动名称", "服务日期", "服务时长（小时）"}, {"队员01", "文明宣导队·文明宣导早班", "2026-11-23", "2.5"},
		{"队员12", "文化文艺队·文艺早班", "2026-11-23", "2.98"}}
	for i, w := range want {
		if len(rows) <= i || strings.Join(rows[i][:4], "|") != strings.Join(w, "|") {
			t.Fatalf("rows %q, want %q", rows, want)
		}
	}
	if len(rows[0]) < 8 || rows[0][7] != "地点" || len(rows[1]) < 8 || rows[1][7] != "社区广场 东门" || len(rows[2]) > 7 && rows[2][7] != "" {
		t.Fatalf("place column: rows %q", rows)
	}
}
