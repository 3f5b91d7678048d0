//go:build unix

package requests_test

import (
	"context"
	"database/sql"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// BenchmarkExportRequests50k exports a month of 50,000 requests (each
// dispatched and accepted) through the handler, reading from SQLite, and
// reports the peak heap in use while it does and the CPU time it takes (the
// wall clock of a shared machine says little) (docs/exports.md):
//
//	go test -run '^$' -bench ExportRequests50k -benchtime 1x ./handlers/requests/
func BenchmarkExportRequests50k(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	// Laid out in bulk with SQL: through CreateRequest it takes a minute.
	raw, err := sql.Open("sqlite", "file:"+e.db.Path()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Unix()
	for _, q := range []string{
		`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999)
		INSERT INTO requests (community_id, kind, category, text, location, person_id, state, department_id, created_at, updated_at)
		SELECT ?1, 'repair', 'lighting', '楼道灯不亮了', '3栋2单元', ?2, 'accepted', ?3, ?4 + 50 * i, ?4 + 50 * i FROM n`,
		`INSERT INTO request_events (request_id, actor_id, action, department_id, created_at)
		SELECT id, ?2, 'dispatch', ?3, created_at + 600 FROM requests WHERE community_id = ?1`,
		`INSERT INTO request_events (request_id, actor_id, action, department_id, created_at)
		SELECT id, ?2, 'accept', ?3, created_at + 1200 FROM requests WHERE community_id = ?1`,
	} {
		if _, err := raw.Exec(q, e.community, e.reporter, e.wuye, start); err != nil {
			b.Fatal(err)
		}
	}
	e.now = time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	who := e.people["staff"]
	for b.Loop() {
		e.seq++
		m := bot.Message{Platform: bot.Console, Chat: who.chat, User: who.name, UserName: who.name, ID: fmt.Sprint("export", e.seq),
			Text: "#导出 工单 本月", Time: e.now}
		cpu := cpuTime()
		peak := storagetest.PeakHeap(func() { err = e.engine.Handle(ctx, m) })
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric((cpuTime() - cpu).Seconds(), "s-cpu")
		b.ReportMetric(float64(peak)/(1<<20), "MB-peak-heap")
	}
	msgs, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 10)
	if err != nil || len(msgs) == 0 || msgs[len(msgs)-1].BlobID == 0 || msgs[len(msgs)-1].Text != "工单台账 2026-11-01 至 2026-11-30：共 50000 件（Excel 文件 工单-2026-11-01.xlsx）。" {
		b.Fatalf("no ledger of 50,000 rows sent: %v %+v", err, msgs)
	}
}

// cpuTime is the CPU time the process has used so far (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
