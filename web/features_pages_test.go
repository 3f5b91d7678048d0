package web_test

import (
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// Each role sees its share of the feature pages, and each page shows what
// its chat command shows.
func TestFeaturePages(t *testing.T) {
	rg := newRig(t)
	rg.seedFeatures()
	t.Run("roles", func(t *testing.T) { eachRoleSeesItsShareOfTheFeaturePages(t, rg) })
	staff, street := rg.login("陈社工"), rg.login("街道老赵")

	t.Run("projects", func(t *testing.T) {
		page := rg.get(staff, "/projects").body
		for _, want := range []string{`value="40"`, "40%", `value="100"`, `<li class="done">设计`, "换线",
			"2人评议，满意1、基本满意0、不满意1，满意率50.0%（评议中）", "评议中", "物业", "供电所"} {
			if !strings.Contains(page, want) {
				t.Errorf("projects page lacks %q:\n%s", want, page)
			}
		}
		if strings.Index(page, projGongdian) > strings.Index(page, projWuye) {
			t.Errorf("projects are not newest first")
		}
	})

	t.Run("activities", func(t *testing.T) {
		counts := "已报名1人（名额1），候补1人，签到1人"
		page := rg.get(staff, "/activities").body
		in, wait, _ := strings.Cut(page, "候补名单")
		if !strings.Contains(page, counts) || !strings.Contains(in, "居民甲 <span class=\"checked\">已签到") || !strings.Contains(wait, waiting) {
			t.Errorf("staff's activities page:\n%s", page)
		}
		officer := rg.get(street, "/activities").body
		if !strings.Contains(officer, counts) || strings.Contains(officer, "居民甲") || !strings.Contains(officer, "名单仅本社区工作人员") {
			t.Errorf("street officer's activities page shows names or no counts:\n%s", officer)
		}
	})

	t.Run("volunteers", func(t *testing.T) {
		page := rg.get(staff, "/volunteers").body
		for _, want := range []string{"2026-11", "共1班次，2.0小时", "<td>" + teamName + "</td><td>1</td><td>2.0</td>",
			"<td>" + volunteer + "</td><td>1</td><td>2.0</td>"} {
			if !strings.Contains(page, want) {
				t.Errorf("volunteers page lacks %q:\n%s", want, page)
			}
		}
		if before := rg.get(staff, "/volunteers?month=2026-10").body; !strings.Contains(before, "共0班次") || strings.Contains(before, volunteer) {
			t.Errorf("October shows November's duty:\n%s", before)
		}
		if bad := rg.get(staff, "/volunteers?month=junk").body; !strings.Contains(bad, "共1班次") {
			t.Errorf("a bad month does not fall back to this month:\n%s", bad)
		}
	})

	t.Run("evaluations", func(t *testing.T) {
		page := rg.get(street, "/evaluations").body
		open, closed, _ := strings.Cut(page, evalClosed) // newest (the open one) first
		if !strings.Contains(open, evalOpen) || !strings.Contains(open, "结束前不显示任何结果") || strings.Contains(open, candSecret) ||
			strings.Contains(open, "4.00") {
			t.Errorf("an open anonymous evaluation shows figures:\n%s", open)
		}
		first, second := strings.Index(closed, "二号楼"), strings.Index(closed, "一号楼")
		if first < 0 || second < first || !strings.Contains(closed, `<tr class="winner"><td>1</td><td>二号楼</td><td>4.00</td>`) ||
			!strings.Contains(closed, "<td>2</td><td>一号楼</td><td>2.00</td>") {
			t.Errorf("closed evaluation's ranking:\n%s", closed)
		}
		rg.update(func(tx *storage.Tx) error {
			list, err := tx.RecentPolls(1, 1)
			if err == nil {
				_, err = tx.ClosePoll(list[0].ID)
			}
			return err
		})
		if after := rg.get(street, "/evaluations").body; !strings.Contains(after, candSecret) || strings.Contains(after, "结束前不显示") {
			t.Errorf("a closed anonymous evaluation still hides its ranking:\n%s", after)
		}
	})
}
