package activities_test

import (
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/activities"
)

func TestParseSpec(t *testing.T) {
	t.Parallel()
	loc := start.Location()
	limits := activities.Limits{TitleRunes: 40, MaxCapacity: 5000}
	at := func(day, hour, minute int) time.Time { return time.Date(2026, 12, day, hour, minute, 0, 0, loc) }
	tests := []struct {
		in, kind         string
		title, place     string
		starts, deadline time.Time
		capacity         int
		contact          bool
		scope            string
		problems         string
	}{
		{in: "周六义诊 12月5日上午9点 地点 社区广场 名额20 截止周五晚上8点", title: "周六义诊", place: "社区广场", starts: at(5, 9, 0), deadline: at(4, 20, 0), capacity: 20},
		{in: "周六义诊\n时间:12月5日上午9点\n地点:社区广场\n名额:20人\n截止:周五晚上8点\n范围:3栋 5号楼\n收集:人数 联系方式",
			title: "周六义诊", place: "社区广场", starts: at(5, 9, 0), deadline: at(4, 20, 0), capacity: 20, contact: true, scope: "3栋|5号楼"},
		{in: "健康讲座 周三下午3点 限30人", title: "健康讲座", starts: at(2, 15, 0), capacity: 30},
		{in: "时间银行讲座 周三下午3点", title: "时间银行讲座", starts: at(2, 15, 0)}, // 时间 begins a word, not a label
		{in: "板凳会 周四晚上7点 议程 充电桩", kind: "会议", title: "板凳会", starts: at(3, 19, 0)},
		{in: "义诊 周六", title: "义诊", problems: "no_hour"},
		{in: "义诊", title: "义诊", problems: "no_time"},
		{in: "周六上午9点", starts: at(5, 9, 0), problems: "no_title"},
		{in: "义诊 周六上午9点 名额 0", title: "义诊", starts: at(5, 9, 0), problems: "bad_capacity"},
		{in: "义诊 周六上午9点 名额 99999", title: "义诊", starts: at(5, 9, 0), problems: "big_capacity"},
		{in: "义诊 周六上午9点 截止 11月29日", title: "义诊", starts: at(5, 9, 0), problems: "past_deadline"},
		{in: "义诊 时间 看情况", title: "义诊", problems: "bad_time"},
		{in: strings.Repeat("长", 41) + " 周六上午9点", title: strings.Repeat("长", 41), starts: at(5, 9, 0), problems: "long_title"},
		{in: "{{.Secret}} <b>周六上午9点</b>", title: "{{.Secret}} <b></b>", starts: at(5, 9, 0)},
	}
	for _, tt := range tests {
		s := activities.ParseSpec(bot.Normalize(tt.in), tt.kind, start, loc, limits)
		var problems []string
		for _, p := range s.Problems {
			problems = append(problems, p.Code)
		}
		if s.Title != tt.title || s.Place != tt.place || !s.StartsAt.Equal(tt.starts) || !s.Deadline.Equal(tt.deadline) ||
			s.Capacity != tt.capacity || s.AskContact != tt.contact || strings.Join(s.Scope, "|") != tt.scope ||
			strings.Join(problems, ",") != tt.problems {
			t.Errorf("%q:\n got title %q place %q start %v deadline %v capacity %d contact %v scope %q problems %v\nwant title %q place %q start %v deadline %v capacity %d contact %v scope %q problems %q",
				tt.in, s.Title, s.Place, s.StartsAt, s.Deadline, s.Capacity, s.AskContact, s.Scope, problems,
				tt.title, tt.place, tt.starts, tt.deadline, tt.capacity, tt.contact, tt.scope, tt.problems)
		}
	}
}

func TestParseSpecKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	s := activities.ParseSpec("周六义诊，欢迎参加\n时间：12月5日上午9点\n地点：社区广场（东门）\n范围：3栋，5号楼", "", start, start.Location(),
		activities.Limits{TitleRunes: 40, MaxCapacity: 100})
	if s.Title != "周六义诊，欢迎参加" || s.Place != "社区广场（东门）" || strings.Join(s.Scope, "|") != "3栋|5号楼" || len(s.Problems) > 0 {
		t.Errorf("got %+v", s)
	}
}
