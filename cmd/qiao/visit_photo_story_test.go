package main

import (
	"context"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestStoryVisitWithPhoto: a grid worker's patrol and visit carry a photo (the
// #报修 attach flow); the photo stays with the visit and, on 转报修, goes with
// the ticket to the staff.
func TestStoryVisitWithPhoto(t *testing.T) {
	s := newStory(t)
	dir := t.TempDir()
	pipe, hall := writePhoto(t, dir, "pipe.jpg", 40), writePhoto(t, dir, "hall.jpg", 200)
	got := s.run(`:in 第一网格群
:as 王网格员
:photo ` + hall + ` #巡查 1栋 楼道堆放杂物
:photo ` + pipe + ` #走访 3栋1单元302 家里水管漏水 转报修
`)
	files := strings.TrimSuffix(s.db, ".db") + ".files"
	expectLines(t, strings.ReplaceAll(got, files, "FILES"), `
		[第一网格群] @王网格员 已记录巡查 1栋：楼道堆放杂物（照片 1 张）。
		[第一网格群] @王网格员 收到您的报修。已登记为 R1（水电，3栋1单元302）：3栋1单元302 家里水管漏水
		  社区会尽快派人处理，可发送 #进度 R1 查看。
		[社区工作群] 新报修 R1（水电，3栋1单元302），第一网格群 王网格员：
		  3栋1单元302 家里水管漏水
		  派单：#派单 R1 部门
		[社区工作群] R1 的照片（王网格员发）
		  📎 FILES/sent/4-1-pipe.jpg
		[第一网格群] @王网格员 已记录走访 3栋1单元302：家里水管漏水（照片 1 张）。已转为报修 R1。
	`)
	db, err := storage.Open(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(context.Background(), func(tx *storage.Tx) error {
		for visit, want := range map[int64]int{1: 1, 2: 1} {
			blobs, err := tx.VisitBlobs(visit)
			if err != nil {
				return err
			}
			if len(blobs) != want {
				t.Errorf("visit %d keeps %d photos, want %d", visit, len(blobs), want)
			}
		}
		photos, err := tx.RequestBlobs(1)
		if err != nil {
			return err
		}
		if len(photos) != 1 {
			t.Errorf("R1 has %d photos, want the visit's 1", len(photos))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
