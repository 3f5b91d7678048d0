package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// phonePhoto is a small JPEG carrying an EXIF block with a GPS position, as a
// phone camera writes it.
func phonePhoto(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = shade, uint8(i/4%320), 80, 255
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := []byte("Exif\x00\x00GPSLatitude=31.2304N")
	app1 := append([]byte{0xFF, 0xE1, 0, byte(len(payload) + 2)}, payload...)
	b := buf.Bytes()
	return append(append(append([]byte{}, b[:2]...), app1...), b[2:]...)
}

// writePhoto writes a phonePhoto and returns its path.
func writePhoto(t *testing.T, dir, name string, shade uint8) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, phonePhoto(t, shade), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStoryRepairWithPhotos(t *testing.T) {
	s := newStory(t)
	s.cfg.Requests.Photos.ResolveRequired = []string{"lighting"}
	dir := t.TempDir()
	lamp, more, fixed := writePhoto(t, dir, "lamp.jpg", 10), writePhoto(t, dir, "more.jpg", 120), writePhoto(t, dir, "fixed.jpg", 240)
	got := s.run(`:in 3栋居民群
:as 居民甲
:photo ` + lamp + ` #报修 3栋2单元楼道灯不亮了
:photo ` + more + `
:in 社区工作群
:as 陈社工
#派单 R1 物业
:in 物业服务群
:as 物业小周
#接单 R1
:photo ` + more + ` #补充 R1 灯罩也裂了
#办结 R1 已更换灯泡
:photo ` + fixed + ` #办结 R1 已更换灯泡
:in 社区工作群
:as 陈社工
#导出 工单 本月
#导出 统计 本月
:in 3栋居民群
:as 刘书记
#导出 工单 本月
`)
	files := strings.TrimSuffix(s.db, ".db") + ".files"
	expectLines(t, strings.ReplaceAll(got, files, "FILES"), `
		[3栋居民群] @居民甲 收到您的报修。已登记为 R1（照明，3栋2单元）：3栋2单元楼道灯不亮了
		  社区会尽快派人处理，可发送 #进度 R1 查看。
		[社区工作群] 新报修 R1（照明，3栋2单元），3栋居民群 居民甲：
		  3栋2单元楼道灯不亮了
		  派单：#派单 R1 部门
		[社区工作群] R1 的照片（居民甲发）
		  📎 FILES/sent/3-1-lamp.jpg
		[3栋居民群] @居民甲 照片已附到 R1（共 2 张）。
		[社区工作群] R1 的照片（居民甲发）
		  📎 FILES/sent/5-1-more.jpg
		[社区工作群] @陈社工 已把 R1 派给物业，接单时限 12-01 09:00。
		[物业服务群] 新工单 R1（报修·照明，3栋2单元）：3栋2单元楼道灯不亮了
		  登记人：居民甲（3栋居民群），请在 12-01 09:00 前接单
		  接单：#接单 R1
		[3栋居民群] @居民甲 您的报修 R1 已派给物业处理。
		[物业服务群] @物业小周 已接单 R1，请在 12-03 09:00 前办结。办好后发送：#办结 R1 处理说明
		[3栋居民群] @居民甲 您的报修 R1 已由物业（物业小周）接单，正在处理。
		[物业服务群] @物业小周 已补充到 R1。已转告处理人。
		[3栋居民群] @居民甲 R1 有新的补充（物业小周）：灯罩也裂了
		[3栋居民群] @居民甲 R1 的照片·补充（物业小周发）
		  📎 FILES/sent/13-1-more.jpg
		[物业服务群] @物业小周 照明类工单办结时需要附一张现场照片：请把照片和 #办结 R1 处理说明 一起发送。
		[物业服务群] @物业小周 R1 已办结，已请居民甲评价。
		[3栋居民群] @居民甲 您的报修 R1 已办结：已更换灯泡
		  请评价：点下面的按钮，或发送 #评价 R1 满意 / 基本满意 / 不满意，后面可以写上意见。
		  [满意] [基本满意] [不满意]
		[社区工作群] R1 的照片·办结（物业小周发）
		  📎 FILES/sent/17-1-fixed.jpg
		[3栋居民群] @居民甲 R1 的照片·办结（物业小周发）
		  📎 FILES/sent/18-1-fixed.jpg
		[社区工作群] @陈社工 工单台账 2026-11-01 至 2026-11-30：共 1 件（Excel 文件 工单-2026-11-01.xlsx）。
		  📎 FILES/sent/19-1-工单-2026-11-01.xlsx
		[社区工作群] @陈社工 工单统计 2026-11-01 至 2026-11-30：共 1 件，含各类别图表和各部门满意率（Excel 文件 统计-2026-11-01.xlsx）。
		  📎 FILES/sent/20-1-统计-2026-11-01.xlsx
		[@刘书记] 工单台账 2026-11-01 至 2026-11-30：共 1 件（Excel 文件 工单-2026-11-01.xlsx）。
		  📎 FILES/sent/21-1-工单-2026-11-01.xlsx
		[3栋居民群] @刘书记 台账含居民信息，已私信发给您，不在本群发送。
	`)
	checkLedger(t, filepath.Join(files, "sent", "19-1-工单-2026-11-01.xlsx"))
	checkSummary(t, filepath.Join(files, "sent", "20-1-统计-2026-11-01.xlsx"))

	// What the resident sees is a JPEG without the GPS block the phone wrote.
	sent, err := os.ReadFile(filepath.Join(files, "sent", "18-1-fixed.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sent, []byte("GPS")) {
		t.Error("the photo sent to the resident still carries its GPS block")
	}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(sent)); err != nil || format != "jpeg" || cfg.Width != 320 {
		t.Errorf("sent photo: %v %s %+v", err, format, cfg)
	}
	// The database holds four photos, linked to R1 at their stages.
	db, err := storage.Open(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts := map[string]int{}
	err = db.View(context.Background(), func(tx *storage.Tx) error {
		photos, err := tx.RequestBlobs(1)
		for _, p := range photos {
			counts[p.Stage]++
			b, err := tx.FindBlob(p.BlobID)
			if err != nil {
				return err
			}
			if b.MIME != "image/jpeg" || b.Width != 320 || bytes.Contains(b.Data, []byte("Exif")) {
				t.Errorf("blob %d: %s %dx%d, EXIF kept: %v", b.ID, b.MIME, b.Width, b.Height, bytes.Contains(b.Data, []byte("Exif")))
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts["report"] != 2 || counts["supplement"] != 1 || counts["resolve"] != 1 {
		t.Errorf("request photos by stage = %v, want report 2, supplement 1, resolve 1", counts)
	}
}

// checkLedger opens the month's ledger with excelize and checks its cells.
func checkLedger(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{
		"A1": "编号", "E1": "登记人", "I1": "登记时间", "P1": "评价意见",
		"A2": "R1", "B2": "报修", "C2": "照明", "D2": "3栋2单元", "E2": "居民甲", "F2": "待评价",
		"G2": "物业", "H2": "物业小周", "I2": "2026-11-30 09:00", "J2": "2026-11-30 09:00", "L2": "2026-11-30 09:00",
		"M2": "", "N2": "", "Q2": "4",
	}
	for cell, w := range want {
		if got, err := f.GetCellValue("工单", cell); err != nil || got != w {
			t.Errorf("%s = %q (%v), want %q", cell, got, err, w)
		}
	}
	// Dates are dates (a number with a date format), not text.
	if typ, err := f.GetCellType("工单", "I2"); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("I2 type = %v (%v), want a date", typ, err)
	}
	if raw, _ := f.GetCellValue("工单", "I2", excelize.Options{RawCellValue: true}); !strings.HasPrefix(raw, "46") {
		t.Errorf("I2 raw = %q, want an Excel serial date", raw)
	}
	panes, err := f.GetPanes("工单")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v (%v), want the header row frozen", panes, err)
	}
	if w, err := f.GetColWidth("工单", "P"); err != nil || w < 20 {
		t.Errorf("column P width = %v (%v), want a wide comment column", w, err)
	}
	if rows, _ := f.GetRows("工单"); len(rows) != 2 {
		t.Errorf("%d rows, want the header and R1", len(rows))
	}
}

// TestPollExportXLSX: #导出 P1 sends the CSV text with an xlsx file; a named
// poll's file lists its ballots, an anonymous poll's has no ballot sheet.
func TestPollExportXLSX(t *testing.T) {
	s := newStory(t)
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#投票 活动时间\n周六上午\n周日下午"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#投票 楼长信任投票\n信任\n不信任\n匿名"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#投 P1 2"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#投 P2 1"})
	// An open anonymous poll's results are hidden, its export refused: close it first.
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#结束投票 P2"})
	handle(t, app, bot.Message{Chat: "社区工作群", User: "刘书记", ID: nextID(), Text: "#导出 P1"})
	handle(t, app, bot.Message{Chat: "社区工作群", User: "刘书记", ID: nextID(), Text: "#导出 P2"})
	var files [][]byte
	for _, m := range pending(t, app) {
		if m.BlobID == 0 || m.ChatKey != "社区工作群" { // the close's chart goes to 3栋居民群
			continue
		}
		err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
			b, err := tx.FindBlob(m.BlobID)
			files = append(files, b.Data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) != 2 {
		t.Fatalf("%d files sent, want one per export", len(files))
	}
	named, err := excelize.OpenReader(bytes.NewReader(files[0]))
	if err != nil {
		t.Fatal(err)
	}
	defer named.Close()
	if got := named.GetSheetList(); strings.Join(got, ",") != "结果,记名投票" {
		t.Errorf("named poll sheets = %v", got)
	}
	if v, _ := named.GetCellValue("结果", "B2"); v != "周日下午" {
		t.Errorf("结果!B2 = %q, want 周日下午 ranked first", v)
	}
	if v, _ := named.GetCellValue("结果", "C2"); v != "1" {
		t.Errorf("结果!C2 = %q, want 1 vote", v)
	}
	if v, _ := named.GetCellValue("记名投票", "A2"); v != "居民甲" {
		t.Errorf("记名投票!A2 = %q, want 居民甲", v)
	}
	anon, err := excelize.OpenReader(bytes.NewReader(files[1]))
	if err != nil {
		t.Fatal(err)
	}
	defer anon.Close()
	if got := anon.GetSheetList(); strings.Join(got, ",") != "结果" {
		t.Errorf("anonymous poll sheets = %v, want the results only", got)
	}
	rows, err := anon.GetRows("结果")
	if err != nil || len(rows) != 3 {
		t.Fatalf("anonymous results: %d rows (%v), want header + 2 options", len(rows), err)
	}
	for _, row := range rows {
		if strings.Contains(strings.Join(row, ","), "居民甲") {
			t.Errorf("an anonymous poll's file names a voter: %q", row)
		}
	}
}

// checkSummary opens the month's statistics and checks its cells and chart.
func checkSummary(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("统计")
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(rows)
	for _, want := range []string{"2026-11-01 至 2026-11-30 工单统计", "[合计 1 超时 0]", "[报修 1]", "[照明 1]", "[承办部门 满意 基本满意 不满意 满意率]"} {
		if !strings.Contains(text, want) {
			t.Errorf("统计 sheet lacks %q:\n%v", want, rows)
		}
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var chart string
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			r, _ := zf.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			chart = string(b)
		}
	}
	if !strings.Contains(chart, "<barChart>") || !strings.Contains(chart, "统计!$A$") {
		t.Errorf("no native bar chart over the category column in the workbook")
	}
}

// TestPollCloseAndResultsPostAChart: #结果 and the close carry a PNG chart;
// the close posts it into every group of the poll.
func TestPollCloseAndResultsPostAChart(t *testing.T) {
	s := newStory(t)
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#投票 凉亭活动时间\n周六上午\n周日下午"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#投 2"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#结果 P1"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#结束投票 P1"})
	charts := map[string]int{}
	for _, m := range pending(t, app) {
		if m.BlobID == 0 {
			continue
		}
		err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
			b, err := tx.FindBlob(m.BlobID)
			if err == nil && (b.MIME != "image/png" || !bytes.HasPrefix(b.Data, []byte("\x89PNG"))) {
				t.Errorf("blob %d: %s, want a PNG", b.ID, b.MIME)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		charts[m.ChatKey]++
	}
	// The poll runs in 3栋居民群 only: one chart with #结果, one with the close.
	if charts["3栋居民群"] != 2 || len(charts) != 1 {
		t.Errorf("charts by chat = %v, want 2 in 3栋居民群", charts)
	}
}
