package requests_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// TestExportStatsListsThePeriodsProjects: "#导出 统计 本月" carries a 项目 sheet
// with every project under way in the month — progress, milestones, 评议 —
// and leaves out one finished before the month and one started after it.
func TestExportStatsListsThePeriodsProjects(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	day := func(month time.Month, d int) time.Time { return time.Date(2026, month, d, 2, 0, 0, 0, time.UTC) }
	project := func(at time.Time, p storage.Project, then func(tx *storage.Tx, id int64) error) {
		t.Helper()
		e.now = at
		err := e.db.Update(ctx, func(tx *storage.Tx) error {
			p.CommunityID, p.CreatorID = e.community, e.reporter
			id, err := tx.CreateProject(p)
			if err != nil || then == nil {
				return err
			}
			return then(tx, id)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	review := func(tx *storage.Tx, id int64, ratings ...string) error {
		if _, err := tx.CompleteProject(id, tx.Now.Add(7*24*time.Hour)); err != nil {
			return err
		}
		for i, r := range ratings {
			if err := tx.AddProjectReview(storage.ProjectReview{ProjectID: id, VoterKey: "p:" + string(rune('a'+i)), PersonID: e.reporter, Rating: r}); err != nil {
				return err
			}
		}
		return nil
	}
	project(day(10, 1), storage.Project{Title: "旧凉亭"}, func(tx *storage.Tx, id int64) error {
		if err := review(tx, id, "satisfied"); err != nil {
			return err
		}
		_, err := tx.CloseReview(id, day(10, 20))
		return err
	})
	project(day(11, 2), storage.Project{Title: "楼道照明", DepartmentID: e.wuye, Place: "3栋", Budget: "2万元",
		Milestones: []storage.Milestone{{Title: "采购"}, {Title: "安装"}}}, func(tx *storage.Tx, id int64) error {
		if _, err := tx.CompleteMilestone(id, 1); err != nil {
			return err
		}
		return tx.SetProjectProgress(id, 60)
	})
	project(day(11, 3), storage.Project{Title: "幸福食堂"}, func(tx *storage.Tx, id int64) error {
		return review(tx, id, "satisfied", "basic", "unsatisfied")
	})
	project(day(12, 1), storage.Project{Title: "下月的项目"}, nil)

	e.now = day(11, 20)
	if got := e.say(t, "staff", "#导出 统计 本月"); !strings.Contains(got, "统计-2026-11-01.xlsx") {
		t.Fatalf("reply = %q", got)
	}
	msgs, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 100)
	if err != nil || len(msgs) == 0 {
		t.Fatal(err)
	}
	var file storage.Blob
	if err := e.db.View(ctx, func(tx *storage.Tx) error {
		file, err = tx.FindBlob(msgs[len(msgs)-1].BlobID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(file.Data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := strings.Join(f.GetSheetList(), ","); sheets != "统计,项目" {
		t.Errorf("sheets = %s, want 统计,项目", sheets)
	}
	rows, err := f.GetRows("项目")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r, "|"))
	}
	want := []string{
		"编号|项目|负责部门|地点|预算|状态|进度|里程碑|预计完工|完工|评议人数|满意|基本满意|不满意|满意率",
		"J2|楼道照明|物业|3栋|2万元|在建|60%|1/2|||0|0|0|0|-",
		"J3|幸福食堂||||评议中|100%|0/0||2026-11-03 10:00|3|1|1|1|66.7%",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("项目 sheet:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
