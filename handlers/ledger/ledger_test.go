package ledger_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/storage/storagetest"
)

var shanghai = time.FixedZone("CST", 8*3600)

func rows(n int) func(*ledger.Request) (bool, error) {
	start := time.Date(2026, 11, 1, 8, 0, 0, 0, shanghai)
	i := 0
	return func(r *ledger.Request) (bool, error) {
		if i == n {
			return false, nil
		}
		i++
		at := start.Add(time.Duration(i) * time.Minute)
		*r = ledger.Request{ID: fmt.Sprintf("R%d", i), Kind: "报修", Category: "照明", Place: "3栋2单元", Reporter: "居民甲",
			State: "已结单", Department: "物业", Assignee: "物业小周", Submitted: at, Dispatched: at.Add(time.Hour),
			Accepted: at.Add(2 * time.Hour), Resolved: at.Add(26 * time.Hour), Closed: at.Add(30 * time.Hour),
			Overdue: i%7 == 0, Rating: "满意", Comment: "师傅很负责，半小时就修好了", Photos: i % 3}
		return true, nil
	}
}

func TestWriteRequestsCells(t *testing.T) {
	var buf bytes.Buffer
	if err := ledger.WriteRequests(&buf, "工单", shanghai, rows(3)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("工单")
	if err != nil || len(got) != 4 {
		t.Fatalf("rows = %d (%v), want header + 3", len(got), err)
	}
	if got[0][0] != "编号" || got[3][0] != "R3" || got[3][8] != "2026-11-01 08:03" || got[3][13] != "" || got[3][16] != "0" {
		t.Errorf("row 3 = %q", got[3])
	}
}

// BenchmarkRequests50k writes a 50,000-row ledger and reports the peak heap
// in use while it does (sampled every millisecond) and the file's size:
//
//	go test -run '^$' -bench Requests50k -benchtime 1x ./handlers/ledger/
func BenchmarkRequests50k(b *testing.B) {
	for b.Loop() {
		var buf bytes.Buffer
		peak := storagetest.PeakHeap(func() {
			if err := ledger.WriteRequests(&buf, "工单", shanghai, rows(50_000)); err != nil {
				b.Fatal(err)
			}
		})
		b.ReportMetric(float64(peak)/(1<<20), "MB-peak-heap")
		b.ReportMetric(float64(buf.Len())/(1<<20), "MB-xlsx")
	}
}
