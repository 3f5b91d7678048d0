package digest_test

import (
	"context"
	"testing"
	"time"

	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/internal/cputime"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// history fills a community with n requests over three years (about 900 a day
// at n = 1,000,000), one event per request, 2% still open and overdue, 60% rated.
// It returns when the history ends.
func history(b *testing.B, w *world, n int) time.Time {
	b.Helper()
	start := at(12, 1, 0, 0).AddDate(-3, 0, 0).Unix()
	step := (at(12, 1, 0, 0).Unix() - start) / int64(n)
	w.resident("居民甲", "3栋2单元501", "b3")
	w.exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO requests (community_id, kind, category, text, person_id, state, department_id, rating, rating_note,
			rated_at, stage_due_at, created_at, updated_at)
		SELECT ?, CASE i % 4 WHEN 0 THEN 'repair' WHEN 1 THEN 'complaint' WHEN 2 THEN 'suggestion' ELSE 'need' END,
			CASE i % 5 WHEN 0 THEN 'water' WHEN 1 THEN 'lift' WHEN 2 THEN 'noise' WHEN 3 THEN 'parking' ELSE 'elderly' END,
			'历史诉求 ' || i, ?,
			CASE WHEN i % 50 = 0 THEN 'accepted' WHEN i % 4 < 2 THEN 'closed' ELSE 'done' END,
			?,
			CASE WHEN i % 5 < 3 THEN CASE i % 3 WHEN 0 THEN 'satisfied' WHEN 1 THEN 'basic' ELSE 'unsatisfied' END ELSE '' END,
			CASE WHEN i % 20 = 0 THEN '希望再快一点' ELSE '' END,
			CASE WHEN i % 5 < 3 THEN ? + i * ? + 172800 END,
			CASE WHEN i % 50 = 0 THEN ? + i * ? + 259200 END,
			? + i * ?, ? + i * ?
		FROM seq`, n, w.cid, w.people["居民甲"], w.depts["wuye"], start, step, start, step, start, step, start, step)
	w.exec(`INSERT INTO request_events (request_id, action, to_state, created_at)
		SELECT id, CASE WHEN state = 'closed' THEN 'resolve' WHEN state = 'done' THEN 'answer' ELSE 'accept' END, state, created_at + 3600
		FROM requests`)
	// No ANALYZE: Qiao never runs one, so the benchmark measures plans made
	// without statistics, as production's are until PRAGMA optimize decides
	// to gather them.
	return time.Unix(start+int64(n)*step, 0)
}

// BenchmarkDigest reads and renders the daily digest and the weekly summary
// over a million requests and a million events (go test -bench Digest -run X ./handlers/digest).
func BenchmarkDigest(b *testing.B) {
	w := newWorld(b, at(12, 1, 8, 30))
	// The 三率 as production reads them (requests.Jobs.Rates).
	cfg := requests.DefaultConfig()
	cfg.FillDefaults()
	w.d.Rates = (&requests.Jobs{DB: w.db, Config: cfg}).Rates
	built := time.Now()
	now := history(b, w, 1_000_000).Add(8 * time.Hour)
	b.Logf("history of 1,000,000 requests and 1,000,000 events built in %v", time.Since(built).Round(time.Millisecond))
	ctx := context.Background()
	var cm storage.Community
	if err := w.db.View(ctx, func(tx *storage.Tx) (err error) { cm, err = tx.FindCommunity(w.cid); return err }); err != nil {
		b.Fatal(err)
	}
	set := prompts.MustLoad()
	daily := func(b *testing.B) {
		defer reportCPU(b, cputime.Process())
		for b.Loop() {
			err := w.db.View(ctx, func(tx *storage.Tx) error {
				data, err := w.d.DailyData(tx, cm, now.Add(-24*time.Hour), now)
				if err != nil {
					return err
				}
				if data.NewTotal < 500 || data.OverdueTotal < 9000 {
					b.Fatalf("digest over the wrong data: %d new, %d overdue", data.NewTotal, data.OverdueTotal)
				}
				_, err = set.Render("zh-CN", prompts.DigestDaily, data)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("daily", daily)
	// What the 三率 cost: the same digest without them.
	b.Run("daily-without-rates", func(b *testing.B) {
		rates := w.d.Rates
		w.d.Rates = nil
		defer func() { w.d.Rates = rates }()
		daily(b)
	})
	b.Run("weekly", func(b *testing.B) {
		defer reportCPU(b, cputime.Process())
		for b.Loop() {
			err := w.db.View(ctx, func(tx *storage.Tx) error {
				data, err := w.d.WeeklyData(tx, cm, now)
				if err != nil {
					return err
				}
				_, err = set.Render("zh-CN", prompts.DigestWeekly, data)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	// Production's ratings each have an audit entry (action rate, the
	// comment in its note); the history above has none. The same digest
	// once every rating has one: read through request_events_rating.
	audited := false
	b.Run("daily-audited", func(b *testing.B) {
		if !audited { // the function runs more than once
			audited = true
			w.exec(`INSERT INTO request_events (request_id, action, from_state, to_state, note, created_at)
			SELECT id, 'rate', state, state, TRIM(rating || ' ' || rating_note), rated_at FROM requests
			WHERE rating <> '' AND rated_at IS NOT NULL ORDER BY rated_at, id`)
		}
		daily(b)
	})
}

// reportCPU adds the process's CPU time per iteration since start, as
// cpu-ms/op: on a busy machine ns/op includes the time spent waiting for a core.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cputime.Process() - start; used > 0 && b.N > 0 {
		b.ReportMetric(float64(used)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}
