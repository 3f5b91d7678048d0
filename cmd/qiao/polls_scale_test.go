package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// TestElectionTopTenOf53: 60 voters choose up to 10 of 53 candidates; the
// tally, the ranks (ties share a rank) and the elected (with a tie at the
// tenth place) match what the ballots say.
func TestElectionTopTenOf53(t *testing.T) {
	t.Parallel() // long and self-contained: overlaps the package's other tests
	s := newStory(t)
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()

	const candidates, voters, seats = 53, 60, 10
	var body strings.Builder
	body.WriteString("十佳楼栋长评选")
	for i := 1; i <= candidates; i++ {
		fmt.Fprintf(&body, "\n候选人%02d", i)
	}
	body.WriteString("\n多选 10\n截止 2026-12-05 18:00\n范围 第一网格")
	handle(t, app, bot.Message{Chat: "社区工作群", User: "陈社工", ID: nextID(), Text: "#投票 " + body.String()})

	// Target counts, shuffled over the candidates: ties inside the seats and
	// three candidates tied for ninth place (one more than the seats hold).
	target := []int{50, 45, 44, 40, 40, 35, 30, 28, 25, 25, 25, 20, 19, 18, 17, 16, 15, 14, 13, 12}
	for len(target) < candidates {
		target = append(target, len(target)%4)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(target), func(i, j int) { target[i], target[j] = target[j], target[i] })
	// Deal the votes round-robin so no ballot repeats a candidate or holds more than 10.
	ballots := make([][]int, voters)
	next := 0
	for c, n := range target {
		for range n {
			ballots[next%voters] = append(ballots[next%voters], c+1)
			next++
		}
	}
	groups := []string{"1栋居民群", "3栋居民群", "第一网格群"}
	for v, b := range ballots {
		if len(b) > seats {
			t.Fatalf("test bug: ballot %d has %d choices", v, len(b))
		}
		nums := make([]string, len(b))
		for i, c := range b {
			nums[i] = fmt.Sprint(c)
		}
		handle(t, app, bot.Message{Chat: groups[v%3], User: fmt.Sprintf("选民%02d", v), ID: nextID(), Text: "#投 " + strings.Join(nums, " ")})
	}
	// Refused: 11 choices.
	handle(t, app, bot.Message{Chat: "1栋居民群", User: "选民00", ID: nextID(), Text: "#投 1 2 3 4 5 6 7 8 9 10 11"})

	if err := app.PollJobs.Tick(context.Background(), time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}

	// Expected ranks, computed the plain way: 1 + how many have more votes.
	rank := make([]int, candidates)
	for i := range target {
		rank[i] = 1
		for j := range target {
			if target[j] > target[i] {
				rank[i]++
			}
		}
	}
	var elected []string
	for i := range target {
		if rank[i] <= seats && target[i] > 0 {
			elected = append(elected, fmt.Sprintf("候选人%02d", i+1))
		}
	}
	if len(elected) != 11 {
		t.Fatalf("test bug: %d elected", len(elected))
	}

	var finals []string
	for _, m := range pending(t, app) {
		if strings.HasPrefix(m.Text, "【投票结果 P1】") {
			finals = append(finals, m.Text)
		}
		if strings.Contains(m.Text, "最多选 10 项，您选了 11 项") {
			finals = append(finals, "refused")
		}
	}
	if len(finals) != 4 || finals[0] != "refused" {
		t.Fatalf("got %d results (%v), want the refusal and 3 results", len(finals), finals)
	}
	result := finals[1]
	for i, n := range target {
		tie := ""
		if count(target, n) > 1 {
			tie = "（并列）"
		}
		line := fmt.Sprintf("第%d名%s %d. 候选人%02d：%d 票", rank[i], tie, i+1, i+1, n)
		if n == 0 {
			line = fmt.Sprintf("未得票 %d. 候选人%02d：0 票", i+1, i+1) // no rank for no votes
		}
		if !strings.Contains(result, line+"（") {
			t.Errorf("result lacks %q", line)
		}
	}
	if !strings.Contains(result, "（多选：百分比按") {
		t.Errorf("a 多选 result does not say its percentages are of ballots:\n%s", result)
	}
	if !strings.Contains(result, "前 10 名有并列，需另行决定："+strings.Join(sortedByRank(elected, target), "、")) {
		t.Errorf("result does not mark the tie at the cut with %v:\n%s", elected, result)
	}
	for _, r := range finals[2:] {
		if r != result {
			t.Errorf("groups got different results")
		}
	}
}

func count(list []int, v int) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// sortedByRank orders names of candidates ("候选人07") by votes, then number.
func sortedByRank(names []string, votes []int) []string {
	out := slices.Clone(names)
	num := func(s string) int {
		var n int
		fmt.Sscanf(strings.TrimPrefix(s, "候选人"), "%d", &n)
		return n
	}
	slices.SortStableFunc(out, func(a, b string) int {
		if d := votes[num(b)-1] - votes[num(a)-1]; d != 0 {
			return d
		}
		return num(a) - num(b)
	})
	return out
}

// TestConcurrentVotes: 1,000 people press a vote button at once; every vote
// counts once, nothing fails, and every press gets its private receipt.
func TestConcurrentVotes(t *testing.T) {
	t.Parallel() // long and self-contained: overlaps the package's other tests
	s := newStory(t)
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#投票 凉亭\n中式\n现代\n木质"})

	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := bot.Message{Platform: bot.Console, Chat: "3栋居民群", User: fmt.Sprintf("v%04d", i), UserName: fmt.Sprintf("v%04d", i),
				ID: fmt.Sprintf("press%d", i), Callback: fmt.Sprintf("vote P1 %d", i%3+1), CallbackID: fmt.Sprintf("cb%d", i)}
			if err := app.Engine.Handle(context.Background(), m); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("handle: %v", err)
	}
	receipts := map[string]bool{}
	for _, m := range pending(t, app) {
		if m.CallbackID != "" {
			if !strings.HasPrefix(m.Text, "已投票 P1：") {
				t.Errorf("receipt %q", m.Text)
			}
			receipts[m.CallbackID] = true
		}
	}
	if len(receipts) != n {
		t.Errorf("%d receipts, want %d", len(receipts), n)
	}
	err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
		counts, ballots, err := tx.TallyPoll(1, 3)
		voters, _, _, err2 := tx.PollTurnout(1, false)
		if ballots != n || voters != n || counts[0]+counts[1]+counts[2] != n || counts[0] != (n+2)/3 {
			t.Errorf("tally %v of %d ballots, %d voters; want %d", counts, ballots, voters, n)
		}
		if err == nil {
			err = err2
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
