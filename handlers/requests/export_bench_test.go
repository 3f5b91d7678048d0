package requests_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// BenchmarkExportRequests50k exports a month of 50,000 requests (each
// dispatched and accepted) through the handler, reading from SQLite, and
// reports the peak heap in use while it does (docs/exports.md):
//
//	go test -run '^$' -bench ExportRequests50k -benchtime 1x ./handlers/requests/
func BenchmarkExportRequests50k(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	e.now = time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	err := e.db.Update(ctx, func(tx *storage.Tx) error {
		for i := range 50_000 {
			id, err := tx.CreateRequest(storage.Request{CommunityID: e.community, Kind: "repair", Category: "lighting",
				Text: "楼道灯不亮了", Location: "3栋2单元", PersonID: e.reporter, State: "accepted"})
			if err != nil {
				return err
			}
			for _, action := range []string{"dispatch", "accept"} {
				if err := tx.AddRequestEvent(storage.RequestEvent{RequestID: id, ActorID: e.reporter, Action: action, DepartmentID: e.wuye}); err != nil {
					return fmt.Errorf("request %d: %w", i, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	e.now = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
	who := e.people["staff"]
	for b.Loop() {
		e.seq++
		m := bot.Message{Platform: bot.Console, Chat: who.chat, User: who.name, UserName: who.name, ID: fmt.Sprint("export", e.seq),
			Text: "#导出 工单 本月", Time: e.now}
		var err error
		peak := storagetest.PeakHeap(func() { err = e.engine.Handle(ctx, m) })
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(peak)/(1<<20), "MB-peak-heap")
	}
	msgs, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 10)
	if err != nil || len(msgs) == 0 || msgs[len(msgs)-1].BlobID == 0 {
		b.Fatalf("no ledger sent: %v %+v", err, msgs)
	}
}
