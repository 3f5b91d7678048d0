package polls_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/storage"
)

func TestParseEvaluation(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, loc) // a Monday
	lim := polls.Limits{MinOptions: 2, MaxOptions: 60, MaxTitleRunes: 100, MaxOptionRunes: 60}
	tests := []struct {
		name, text string
		title      string
		candidates []string
		criteria   string // "name:weight …"
		scale      storage.Scale
		panel      []string
		weight     int
		top        int
		household  bool
		deadline   string // "" none
		problems   []string
	}{
		{name: "one line as in the brief",
			text:  "十佳楼栋评选 候选：1栋 2栋 3栋… 标准：卫生40 管理30 邻里30 评委：张三 李四 王五 评委占60% 选10个 截止周五晚8点",
			title: "十佳楼栋评选", candidates: []string{"1栋", "2栋", "3栋"}, criteria: "卫生:40 管理:30 邻里:30",
			scale: storage.Scale{Min: 1, Max: 5}, panel: []string{"张三", "李四", "王五"}, weight: 60, top: 10,
			deadline: "12-04 20:00", problems: []string{"bad_top"}},
		{name: "many lines with self-presentations",
			text:  "最美楼栋长评选\n候选：\n张阿姨：楼道天天扫\n李叔叔：修好了路灯\n王大姐\n标准：热心 负责\n10分制\n一户一票\n选2名",
			title: "最美楼栋长评选", candidates: []string{"张阿姨", "李叔叔", "王大姐"}, criteria: "热心:1 负责:1",
			scale: storage.Scale{Min: 0, Max: 10}, top: 2, household: true},
		{name: "weights with spaces and percent, residents' share",
			text:  "评选 候选：A、B 标准：卫生 50% 管理 50% 评委：张三 居民占30%",
			title: "评选", candidates: []string{"A", "B"}, criteria: "卫生:50 管理:50", scale: storage.Scale{Min: 1, Max: 5},
			panel: []string{"张三"}, weight: 70, top: 1},
		{name: "十佳 in the title chooses ten",
			text:  "十佳楼栋 候选：1栋 2栋",
			title: "十佳楼栋", candidates: []string{"1栋", "2栋"}, criteria: "综合:1", scale: storage.Scale{Min: 1, Max: 5},
			top: 10, problems: []string{"bad_top"}},
		{name: "a panel without a weight shares half",
			text:  "评选 候选：A B 评委：张三",
			title: "评选", candidates: []string{"A", "B"}, criteria: "综合:1", scale: storage.Scale{Min: 1, Max: 5},
			panel: []string{"张三"}, weight: 50, top: 1},
		{name: "mixed weights, a share without a panel, one candidate",
			text:  "评选 候选：A 标准：卫生40 管理 评委占60%",
			title: "评选", candidates: []string{"A"}, criteria: "卫生:40 管理:0", scale: storage.Scale{Min: 1, Max: 5},
			weight: 60, top: 1, problems: []string{"mixed_weights", "few_candidates", "no_panel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := polls.ParseEvaluation(tt.text, "", now, loc, lim)
			var crit []string
			for _, c := range s.Criteria {
				crit = append(crit, fmt.Sprintf("%s:%d", c.Name, c.Weight))
			}
			var problems []string
			for _, p := range s.Problems {
				problems = append(problems, p.Code)
			}
			deadline := ""
			if !s.Deadline.IsZero() {
				deadline = s.Deadline.In(loc).Format("01-02 15:04")
			}
			if s.Title != tt.title || !slices.Equal(s.DisplayOptions, tt.candidates) || strings.Join(crit, " ") != tt.criteria ||
				s.Scale != tt.scale || !slices.Equal(s.PanelNames, tt.panel) || s.PanelWeight != tt.weight ||
				s.MaxChoices != tt.top || s.PerHousehold != tt.household || deadline != tt.deadline || !slices.Equal(problems, tt.problems) {
				t.Errorf("got title %q candidates %q criteria %q scale %v panel %q weight %d top %d household %v deadline %q problems %q",
					s.Title, s.DisplayOptions, strings.Join(crit, " "), s.Scale, s.PanelNames, s.PanelWeight, s.MaxChoices,
					s.PerHousehold, deadline, problems)
			}
		})
	}
	s := polls.ParseEvaluation("最美楼栋长评选\n候选：\n张阿姨：楼道天天扫\n李叔叔：修好了路灯", "", now, loc, lim)
	if !slices.Equal(s.Intros, []string{"楼道天天扫", "修好了路灯"}) {
		t.Errorf("intros %q", s.Intros)
	}
}

func TestWeightPercentsAreNormalised(t *testing.T) {
	got := polls.WeightPercents([]storage.Criterion{{Name: "a", Weight: 4}, {Name: "b", Weight: 3}, {Name: "c", Weight: 3}})
	if strings.Join(got, " ") != "40 30 30" {
		t.Errorf("4:3:3 = %q, want 40 30 30", got)
	}
	got = polls.WeightPercents([]storage.Criterion{{Name: "a", Weight: 1}, {Name: "b", Weight: 2}})
	if strings.Join(got, " ") != "33.3 66.7" {
		t.Errorf("1:2 = %q, want 33.3 66.7", got)
	}
}
