package projects_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/projects"
)

// TestParseSpec reads projects as staff type them on a phone: one line with
// key:value fields, or one field per line with milestones as a list.
func TestParseSpec(t *testing.T) {
	t.Parallel()
	loc := bot.Location("Asia/Shanghai")
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, loc)
	day := func(m time.Month, d int) string {
		return time.Date(2026, m, d, 23, 59, 0, 0, loc).Format("01-02 15:04")
	}
	tests := []struct {
		name, in   string
		title      string
		dept, due  string
		milestones []string // "title@01-02 15:04"
		links      []string
		household  bool
		problems   []string
	}{
		{name: "one line", in: "休闲亭 部门:物业 预算:5万元 地点:交警大院 完工:12月31日 里程碑:设计定稿 12月5日;主体完工 12月20日 关联:S1 P2",
			title: "休闲亭", dept: "物业", due: day(12, 31),
			milestones: []string{"设计定稿@" + day(12, 5), "主体完工@" + day(12, 20)}, links: []string{"S1", "P2"}},
		{name: "lines", in: "幸福食堂\n负责 物业\n完工 12月31日\n里程碑 选址 12月3日\n- 装修 12月15日\n2. 试营业 12月28日\n一户一票",
			title: "幸福食堂", dept: "物业", due: day(12, 31), household: true,
			milestones: []string{"选址@" + day(12, 3), "装修@" + day(12, 15), "试营业@" + day(12, 28)}},
		{name: "full-width colons and commas", in: bot.Normalize("楼道照明 部门：物业 里程碑：采购 12月2日，安装 12月9日"),
			title: "楼道照明", dept: "物业", milestones: []string{"采购@" + day(12, 2), "安装@" + day(12, 9)}},
		{name: "milestone without date", in: "休闲亭 里程碑:设计定稿", title: "休闲亭", problems: []string{"milestone_date"}},
		{name: "bad due", in: "休闲亭 完工:尽快", title: "休闲亭", problems: []string{"bad_due"}},
		{name: "stray line", in: "休闲亭\n大家加油", title: "休闲亭", problems: []string{"unknown_line"}},
		{name: "no title", in: "部门:物业", dept: "物业", problems: []string{"no_title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := projects.ParseSpec(tt.in, now, loc)
			var problems []string
			for _, p := range s.Problems {
				problems = append(problems, p.Code)
			}
			var ms []string
			for _, m := range s.Milestones {
				ms = append(ms, m.Title+"@"+m.Due.In(loc).Format("01-02 15:04"))
			}
			due := ""
			if !s.Due.IsZero() {
				due = s.Due.In(loc).Format("01-02 15:04")
			}
			if s.Title != tt.title || s.Department != tt.dept || due != tt.due || s.PerHousehold != tt.household ||
				fmt.Sprint(ms) != fmt.Sprint(tt.milestones) || fmt.Sprint(s.Links) != fmt.Sprint(tt.links) ||
				fmt.Sprint(problems) != fmt.Sprint(tt.problems) {
				t.Errorf("ParseSpec(%q) = title %q dept %q due %q household %v milestones %v links %v problems %v;\nwant %q %q %q %v %v %v %v",
					tt.in, s.Title, s.Department, due, s.PerHousehold, ms, s.Links, problems,
					tt.title, tt.dept, tt.due, tt.household, tt.milestones, tt.links, tt.problems)
			}
		})
	}
}
