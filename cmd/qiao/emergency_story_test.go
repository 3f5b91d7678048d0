package main

import (
	"context"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestStoryEmergency: danger now is answered at once with the hotlines, in a
// confirm-mode group and in an off-mode group alike, staff are alerted and an
// urgent ticket recorded; a neighbour shouting the same soon after joins that
// ticket quietly; the department it is dispatched to sees it is urgent. The
// gas smell in the department's own group is their business, not a new alert.
func TestStoryEmergency(t *testing.T) {
	s := newStory(t)
	for i, g := range s.cfg.Communities[0].Groups {
		if g.Name == "5号楼居民群" {
			s.cfg.Communities[0].Groups[i].Mode = "off"
		}
	}
	got := s.run(`:in 3栋居民群
:as 居民甲
3栋的电梯困人了，快来人啊
:as 居民乙
电梯里有人被困！！快来
:in 物业服务群
:as 物业小周
5号楼2单元有很重的煤气味
:in 5号楼居民群
:as 居民丙
5号楼2单元有很重的煤气味
:in 社区工作群
:as 陈社工
#派单 R1 物业
`)
	expectLines(t, got, `
		[3栋居民群] @居民甲 ⚠️ 情况紧急请先保证自身安全，立即拨打：火警 119，急救 120，物业值班 0571-8888-0000。
		  已登记为紧急报修 R1（电梯，3栋），并通知了社区值班人员。
		[社区工作群] 【紧急】报修 R1（电梯，3栋），3栋居民群 居民甲：
		  3栋的电梯困人了，快来人啊
		  已回复居民报警和急救电话。请立即联系现场，派单：#派单 R1 部门
		[5号楼居民群] @居民丙 ⚠️ 情况紧急请先保证自身安全，立即拨打：火警 119，急救 120，物业值班 0571-8888-0000。
		  已登记为紧急报修 R2（5号楼2单元），并通知了社区值班人员。
		[社区工作群] 【紧急】报修 R2（5号楼2单元），5号楼居民群 居民丙：
		  5号楼2单元有很重的煤气味
		  已回复居民报警和急救电话。请立即联系现场，派单：#派单 R2 部门
		[社区工作群] @陈社工 已把 R1 派给物业，接单时限 11-30 10:00。
		[物业服务群] 【紧急】新工单 R1（报修·电梯，3栋）：3栋的电梯困人了，快来人啊
		  登记人：居民甲（3栋居民群），请在 11-30 10:00 前接单
		  接单：#接单 R1
		[3栋居民群] @居民甲 您的报修 R1 已派给物业处理。
	`)
	db, err := storage.Open(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(context.Background(), func(tx *storage.Tx) error {
		r, err := tx.FindRequest(1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Urgent || r.Kind != storage.KindRepair || r.State != "dispatched" || r.Category != "lift" {
			t.Errorf("stored %+v, want an urgent dispatched lift repair", r)
		}
		events, err := tx.RequestEvents(r.ID)
		if err != nil || len(events) != 3 || events[1].Action != "add" || events[1].Note != "电梯里有人被困！！快来" {
			t.Errorf("events %+v (%v), want the submission, the neighbour's message and the dispatch", events, err)
		}
		if r, err := tx.FindRequest(1, 2); err != nil || !r.Urgent || r.Text != "5号楼2单元有很重的煤气味" {
			t.Errorf("second ticket %+v (%v), want the gas smell from the off-mode group", r, err)
		}
		if _, err := tx.FindRequest(1, 3); err != storage.ErrNotFound {
			t.Errorf("a third ticket was recorded (%v)", err)
		}
		return nil
	})
}
