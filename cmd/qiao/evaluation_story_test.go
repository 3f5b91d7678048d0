package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

// evalCandidates are the story's candidates, in the order they are announced.
var evalCandidates = []string{"1栋", "3栋", "5号楼", "7栋", "交警大院"}

// residentScores is what resident i (1…40) gives each candidate (卫生 管理 邻里).
func residentScores(i int) map[string][3]int {
	b := func(c bool) int {
		if c {
			return 1
		}
		return 0
	}
	return map[string][3]int{
		"1栋":   {5, 4 + i%2, 5 - b(i%3 == 0)},
		"3栋":   {4 + i%2, 4, 4 + b(i%4 == 0)},
		"5号楼":  {4, 4, 4},
		"7栋":   {4, 5, 4},
		"交警大院": {3, 2 + i%3, 3},
	}
}

// panelScores are the three panel members' sheets.
var panelScores = map[string]map[string][3]int{
	"王网格员": {"1栋": {5, 5, 4}, "3栋": {5, 4, 4}, "5号楼": {4, 4, 4}, "7栋": {5, 3, 3}, "交警大院": {3, 3, 3}},
	"刘书记":  {"1栋": {4, 5, 5}, "3栋": {4, 4, 5}, "5号楼": {4, 4, 4}, "7栋": {5, 3, 3}, "交警大院": {3, 3, 3}},
	"陈社工":  {"1栋": {5, 4, 5}, "3栋": {4, 5, 4}, "5号楼": {4, 4, 4}, "7栋": {5, 3, 3}, "交警大院": {3, 3, 3}},
}

// paperSheet is what every counted paper sheet says.
var paperSheet = map[string][3]int{"1栋": {4, 4, 4}, "3栋": {4, 4, 4}, "5号楼": {4, 4, 4}, "7栋": {4, 5, 4}, "交警大院": {3, 3, 3}}

func sheetLine(s map[string][3]int) string {
	var parts []string
	for _, c := range evalCandidates {
		v, ok := s[c]
		if !ok {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d %d %d", c, v[0], v[1], v[2]))
	}
	return strings.Join(parts, "；")
}

// expectedRanking computes the ranking by hand, in exact fractions: per side
// and criterion the mean, weighted 40/30/30, panel 60% and residents 40%.
func expectedRanking(residents []map[string][3]int) map[string]*big.Rat {
	weights := []*big.Rat{big.NewRat(40, 100), big.NewRat(30, 100), big.NewRat(30, 100)}
	sideScore := func(sheets []map[string][3]int, cand string) *big.Rat {
		total := new(big.Rat)
		for c, w := range weights {
			sum := 0
			for _, s := range sheets {
				sum += s[cand][c]
			}
			total.Add(total, new(big.Rat).Mul(w, big.NewRat(int64(sum), int64(len(sheets)))))
		}
		return total
	}
	var panel []map[string][3]int
	for _, s := range panelScores {
		panel = append(panel, s)
	}
	out := map[string]*big.Rat{}
	for _, cand := range evalCandidates {
		p := new(big.Rat).Mul(big.NewRat(3, 5), sideScore(panel, cand))
		out[cand] = p.Add(p, new(big.Rat).Mul(big.NewRat(2, 5), sideScore(residents, cand)))
	}
	return out
}

// TestStoryTopBuildings: 十佳楼栋 with a three-person panel (60%) and 40
// households online, two more on paper; a household that voted on paper and
// then online counts once, online; paper entered twice or after an online
// sheet is refused. Attacks: a resident scoring as the panel, a score out of
// range, a sheet after the deadline, a replayed message. The ranking is
// checked against a computation in exact fractions, with the tie at the cut.
func TestStoryTopBuildings(t *testing.T) {
	s := newStory(t)
	var sc strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&sc, format+"\n", args...) }
	line(":in 3栋居民群")
	line(":as 刘书记")
	line(`#评分 十佳楼栋评选\`)
	line(`候选：\`)
	line(`1栋：楼道整洁，绿植满架\`)
	line(`3栋\`)
	line(`5号楼\`)
	line(`7栋\`)
	line(`交警大院：新建休闲亭\`)
	line(`标准：卫生40 管理30 邻里30\`)
	line(`评委：王网格员 刘书记 陈社工 评委占60%%\`)
	line(`选3个 一户一票 截止今晚8点\`)
	line(`范围 3栋 1栋`)
	// Paper first: two households, one entered twice, one that will vote online.
	line(":in 社区工作群")
	line(":as 陈社工")
	line("#补录 P1 3栋4单元101 %s 收集人:王阿姨", sheetLine(paperSheet))
	line("#补录 P1 1栋4单元101 %s 收集人:王阿姨", sheetLine(paperSheet))
	line("#补录 P1 3栋4单元101 %s 收集人:李大爷", sheetLine(map[string][3]int{"1栋": {1, 1, 1}}))
	line("#补录 P1 3栋3单元101 %s 收集人:李大爷", sheetLine(map[string][3]int{"1栋": {1, 1, 1}, "7栋": {1, 1, 1}}))
	var residents []map[string][3]int
	for i := 1; i <= 40; i++ {
		group, building := "3栋居民群", "3栋"
		if i%2 == 0 {
			group, building = "1栋居民群", "1栋"
		}
		line(":in %s", group)
		line(":as 居民%02d", i)
		line("#登记 %s3单元%d", building, 100+i)
		sheet := residentScores(i)
		residents = append(residents, sheet)
		if i <= 5 { // a partial sheet first, filled in later
			line("#评分 P1 1栋 卫生%d", sheet["1栋"][0])
			line("#评分 P1 1栋 管理%d 邻里%d", sheet["1栋"][1], sheet["1栋"][2])
			delete(sheet, "1栋")
			line("#评分 P1 %s", sheetLine(sheet))
			sheet["1栋"] = residentScores(i)["1栋"]
		} else {
			line("#评分 P1 %s", sheetLine(sheet))
		}
	}
	residents = append(residents, paperSheet, paperSheet)
	line(":as 居民03")
	line(":in 3栋居民群")
	line("#评分 P1 评委 1栋 5 5 5")
	line("#评分 P1 1栋 6 5 5")
	for name, sheet := range panelScores {
		line(":as %s", name)
		line("#评分 P1 %s", sheetLine(sheet))
	}
	line(":in 社区工作群")
	line(":as 陈社工")
	line("#补录 P1 1栋3单元102 %s", sheetLine(paperSheet))
	first := s.run(sc.String())

	// A replayed message is handled once: 居民01's later change stands. Then the deadline passes.
	var later bytes.Buffer
	app := s.app(strings.NewReader(strings.Join([]string{":time 2026-11-30 20:01", ":in 3栋居民群", ":as 居民05",
		"#评分 P1 1栋 1 1 1"}, "\n")+"\n"), &later)
	defer app.Close()
	msg := func(id, text string) bot.Message {
		return bot.Message{Platform: bot.Console, Chat: "3栋居民群", User: "居民01", UserName: "居民01", ID: id, Text: text}
	}
	for _, m := range []bot.Message{msg("replay-1", "#评分 P1 7栋 卫生1"), msg("replay-2", "#评分 P1 7栋 卫生4"), msg("replay-1", "#评分 P1 7栋 卫生1")} {
		if err := app.Engine.Handle(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite", "file:"+s.db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var handled int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM inbound WHERE message_id LIKE 'replay-%'`).Scan(&handled); err != nil || handled != 2 {
		t.Errorf("%d of the two messages around the replay were handled (%v)", handled, err)
	}
	out := first + later.String()
	if testing.Verbose() {
		t.Log(out)
	}
	for _, want := range []string{
		"评分 P1 已发起：十佳楼栋评选", "评委：王网格员、刘书记、陈社工（占 60%，居民占 40%）", "选出 3 个；一户一份评分表",
		"3栋4单元101 的纸质票已由 陈社工 录入（收集人：王阿姨）", "1栋3单元102 已在 P1 在线投票：在线票优先",
		"不是评分 P1（十佳楼栋评选）的评委", "6 不在其中", "已经结束",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the story lacks %q", want)
		}
	}
	want := expectedRanking(residents)
	order := slices.Clone(evalCandidates)
	slices.SortStableFunc(order, func(a, b string) int { return want[b].Cmp(want[a]) })
	if want[order[2]].Cmp(want[order[3]]) != 0 || want[order[1]].Cmp(want[order[2]]) == 0 {
		t.Fatalf("the story's data should tie 3rd and 4th place exactly: %v", want)
	}
	var final string
	for _, m := range messages(out) {
		if strings.HasPrefix(m, "[3栋居民群] 【评分结果 P1】") {
			final = m
		}
	}
	if !strings.Contains(final, fmt.Sprintf("前 3 名有并列，需另行决定：%s", strings.Join(order[:4], "、"))) ||
		!strings.Contains(final, "评分表：评委 3 份，居民 42 份（在线 40，纸质 2）") || !strings.HasSuffix(final, "-P1.png") {
		t.Errorf("final result:\n%s", final)
	}
	rowRE := regexp.MustCompile(`第(\d)名(（并列）)? (\S+)：([\d.]+) 分`)
	rows := rowRE.FindAllStringSubmatch(final, -1)
	if len(rows) != len(order) {
		t.Fatalf("%d ranked rows in %q, want %d", len(rows), final, len(order))
	}
	for i, r := range rows {
		rank := i + 1
		if i == 3 {
			rank = 3 // tied with the 3rd
		}
		tie := i == 2 || i == 3
		if r[3] != order[i] || r[1] != fmt.Sprint(rank) || (r[2] != "") != tie || r[4] != want[order[i]].FloatString(2) {
			t.Errorf("row %d = %q, want %s ranked %d (tie %v) with %s", i+1, r[0], order[i], rank, tie, want[order[i]].FloatString(2))
		}
	}
}
