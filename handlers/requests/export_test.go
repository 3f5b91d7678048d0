package requests_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/storage"
)

// TestExportLedgerPages: the ledger reads requests a page at a time (two per
// page here), and every row keeps its own dispatch and accept times and photo
// count across the page boundaries.
func TestExportLedgerPages(t *testing.T) {
	defer requests.SetLedgerPageSize(2)()
	e := newEnv(t)
	ctx := context.Background()
	start := time.Date(2026, 11, 3, 1, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 5 {
		e.now = start.Add(time.Duration(i) * time.Hour)
		err := e.db.Update(ctx, func(tx *storage.Tx) error {
			id, err := tx.CreateRequest(storage.Request{CommunityID: e.community, Kind: "repair", Category: "lighting",
				Text: "楼道灯不亮了", Location: fmt.Sprintf("%d单元", i+1), PersonID: e.reporter, State: "accepted"})
			if err != nil {
				return err
			}
			ids = append(ids, id)
			tx.Now = e.now.Add(time.Duration(i+1) * time.Minute)
			for _, action := range []string{"dispatch", "accept"} {
				if err := tx.AddRequestEvent(storage.RequestEvent{RequestID: id, ActorID: e.reporter, Action: action, DepartmentID: e.wuye}); err != nil {
					return err
				}
			}
			for range i % 3 { // 0, 1, 2, 0, 1 photos
				blob, err := tx.CreateBlob(storage.Blob{CommunityID: e.community, Kind: storage.BlobImage, Name: "p.jpg", MIME: "image/jpeg", Data: []byte{1}})
				if err != nil {
					return err
				}
				if err := tx.AttachToRequest(id, blob, "report", e.reporter); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	e.now = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
	if got := e.say(t, "staff", "#导出 工单 本月"); got != "工单台账 2026-11-01 至 2026-11-30：共 5 件（Excel 文件 工单-2026-11-01.xlsx）。" {
		t.Fatalf("reply = %q", got)
	}
	msgs, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 100)
	if err != nil || len(msgs) == 0 {
		t.Fatal(err)
	}
	var file storage.Blob
	_ = e.db.View(ctx, func(tx *storage.Tx) error {
		file, err = tx.FindBlob(msgs[len(msgs)-1].BlobID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(file.Data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("工单")
	if err != nil || len(rows) != 6 {
		t.Fatalf("rows = %d (%v), want header + 5", len(rows), err)
	}
	for i, row := range rows[1:] {
		// Times in Shanghai: created at 09:0i, dispatched and accepted i+1 minutes later.
		wantAt := fmt.Sprintf("2026-11-03 %02d:%02d", 9+i, i+1)
		if row[0] != requests.Ref("repair", ids[i]) || row[3] != fmt.Sprintf("%d单元", i+1) || row[9] != wantAt || row[10] != wantAt ||
			row[16] != fmt.Sprint(i%3) {
			t.Errorf("row %d = %q; want dispatch and accept at %s, %d photos", i+1, row, wantAt, i%3)
		}
	}
}
