package digest_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// evaluation turns a poll laid out by w.poll into a scored evaluation with
// criteria (name, weight pairs), a panel, and sheets in their stored form
// (panel sheets "P|…" are filed under the panel's keys).
func (w *world) evaluation(id int64, seats int, anonymous bool, criteria []any, panel []string, sheets ...string) {
	w.t.Helper()
	w.exec(`UPDATE polls SET kind = 'scored', scale_min = 1, scale_max = 5, panel_weight = 50, max_choices = ?, anonymous = ?
		WHERE id = ?`, seats, anonymous, id)
	for i := 0; i < len(criteria); i += 2 {
		w.exec(`INSERT INTO poll_criteria (poll_id, idx, name, weight) VALUES (?, ?, ?, ?)`, id, i/2+1, criteria[i], criteria[i+1])
	}
	for _, name := range panel {
		w.exec(`INSERT INTO poll_panel (poll_id, person_id) VALUES (?, ?)`, id, w.people[name])
	}
	for i, s := range sheets {
		key := "r" + string(rune('a'+i))
		if strings.HasPrefix(s, "P|") {
			key = "j:" + key
		}
		w.exec(`INSERT INTO poll_voters (poll_id, voter_key, person_id, voted_at) VALUES (?, ?, ?, 0)`, id, key, w.people["居民甲"])
		w.exec(`INSERT INTO ballots (poll_id, ballot_key, choices, cast_at) VALUES (?, ?, ?, 0)`, id, key, s)
	}
}

// evaluations lays out a running anonymous evaluation with a panel and one
// closed with a tie at its cut (1栋: 0.4×5 + 0.6×4.5 = 4.70; 3栋 and 5号楼 4.00).
func evaluations(w *world) {
	w.resident("居民甲", "3栋2单元501", "b3")
	w.resident("居民乙", "3栋1单元302", "b3")
	w.resident("居民丙", "3栋1单元402", "b3")
	open := w.poll("最美楼栋长", "open", at(12, 4, 20, 0), time.Time{}, false, []string{"b3"}, []string{"王阿姨", "李大爷"})
	w.evaluation(open, 1, true, []any{"卫生", 40, "管理", 60}, []string{"chen", "zhou"},
		"P|1:5,5;2:1,1", "R|1:4,3;2:2,2", "R|1:5,5")
	closed := w.poll("十佳楼栋评选", "closed", at(12, 1, 20, 0), at(12, 1, 20, 0), false, []string{"b3"}, []string{"1栋", "3栋", "5号楼", "7栋"})
	w.evaluation(closed, 2, false, []any{"卫生", 40, "管理", 60}, nil,
		"R|1:5,5;2:4,4;3:3,5;4:2,2", "R|1:5,4;2:4,4;3:5,3;4:2,3")
}

// TestDigestsListEvaluations: the 日报 lists a running evaluation with its
// sheets (panel and residents apart, no score of an anonymous one before it
// closes) and a closed one with its chosen candidates and the tie at the cut;
// the weekly summary names the closed one's winners only.
func TestDigestsListEvaluations(t *testing.T) {
	w := newWorld(t, at(12, 2, 8, 30))
	evaluations(w)
	if err := w.d.Daily([]string{"staff"})(context.Background(), at(12, 2, 8, 30)); err != nil {
		t.Fatal(err)
	}
	daily := strings.Join(w.posted("社区工作群"), "\n")
	for _, want := range []string{
		"评分评选：\n· P1 最美楼栋长：评分表 评委 1/2，居民 2/3（按已发言成员计），12月4日 20:00 截止（进行中）\n",
		"· P2 十佳楼栋评选：已结束，选出 2 名：第1名 1栋 4.70 分、第2名（并列） 3栋 4.00 分、第2名（并列） 5号楼 4.00 分（前 2 名有并列，需另行决定），居民参与 2/3（按已发言成员计）",
	} {
		if !strings.Contains(daily, want) {
			t.Errorf("daily digest:\n%s\nwant %q", daily, want)
		}
	}
	// The running evaluation is not a poll, and shows no score; the loser is not named.
	for _, leak := range []string{"进行中的投票", "王阿姨", "4.50", "7栋"} {
		if strings.Contains(daily, leak) {
			t.Errorf("daily digest shows %q:\n%s", leak, daily)
		}
	}
	if en := strings.Join(w.posted("Staff"), "\n"); !strings.Contains(en, "· P1 最美楼栋长: sheets panel 1/2, residents 2/3") {
		t.Errorf("English digest:\n%s", en)
	}

	w.clock.Set(at(12, 6, 19, 0))
	if err := w.d.Weekly([]string{"b3"})(context.Background(), at(12, 6, 19, 0)); err != nil {
		t.Fatal(err)
	}
	weekly := strings.Join(w.posted("3栋居民群"), "\n")
	if !strings.Contains(weekly, "评选结果：\n· P2 十佳楼栋评选：选出 2 名：第1名 1栋 4.70 分") || strings.Contains(weekly, "最美楼栋长") {
		t.Errorf("weekly summary:\n%s\nwant P2's winners and not the running P1", weekly)
	}
}
