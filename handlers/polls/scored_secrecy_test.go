package polls_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// TestAnonymousScoreSheetLeavesNoTrace is TestAnonymousBallotLeavesNoTrace
// for score sheets: residents and the panel score an anonymous evaluation
// every way there is (in the group, privately, partially, re-scored, checked
// with #我的评分, reminded of gaps, on paper), it closes, a backup is taken,
// and the raw bytes of the database file, its WAL, the backup and a
// debug-level log are searched for anything that links a person to a sheet.
func TestAnonymousScoreSheetLeavesNoTrace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var logs bytes.Buffer
	e.engine.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.say(t, "1栋居民群", "张楼长", evaluation+" 匿名 一户一票")
	secret, err := e.db.Value(ctx, storage.PollSecretKey(1))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		name := fmt.Sprintf("居民%02d", i)
		e.say(t, "1栋居民群", name, fmt.Sprintf("#登记 1栋1单元%d", 101+i))
		if i%2 == 0 {
			e.say(t, "1栋居民群", name, "#评分 P1 3栋 5 4 5")
		} else {
			e.private(t, name, "#评分 P1 2栋 卫生3") // partial: reminded later
		}
	}
	e.private(t, "居民00", "#评分 P1 3栋 4 4 4")
	e.say(t, "1栋居民群", "居民01", "#我的评分")
	e.private(t, "陈社工", "#评分 P1 3栋 5 5 5")
	e.private(t, "陈社工", "#补录 P1 1栋1单元201 3栋 3 3 3 收集人:王阿姨")
	if got := e.say(t, "1栋居民群", "居民02", "#结果"); strings.Contains(got, "分（") {
		t.Errorf("live results of an anonymous evaluation: %q", got)
	}
	e.clock.Set(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)) // the partial reminders go out
	if err := e.jobs.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.outbox(t), "\n"); strings.Count(got, "还有没打的项") != 3 {
		t.Errorf("want three partial reminders:\n%s", got)
	}
	if err := e.db.TruncateWAL(ctx); err != nil {
		t.Fatal(err)
	}
	e.deliver(t)
	if got := e.say(t, "1栋居民群", "张楼长", "#结束投票 P1"); !strings.Contains(got, "已结束") {
		t.Fatalf("close: %q", got)
	}
	if err := e.jobs.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if final := strings.Join(e.outbox(t), "\n"); !strings.Contains(final, "评分表：评委 1 份，居民 7 份（在线 6，纸质 1）") {
		t.Errorf("result:\n%s", final)
	}
	e.assertNoTrace(t, logs.Bytes(), "卫生", secret, "已记分 P1", "已更新 P1", "打了 ", "还有没打的项", "卫生5 管理4", "卫生3 管理-")
	if got := e.private(t, "居民00", "#我的评分 P1"); strings.Contains(got, "卫生") || !strings.Contains(got, "谁也查不到") {
		t.Errorf("#我的评分 after the close: %q", got)
	}
}
