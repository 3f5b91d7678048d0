package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	qiao "github.com/qiao-community/qiao"
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// addB3Groups gives building b3 two more groups, so 范围 3栋 means three groups.
func addB3Groups(cfg *Config) []string {
	names := []string{"3栋二群", "3栋三群"}
	for i, n := range names {
		cfg.Communities[0].Groups = append(cfg.Communities[0].Groups, GroupConfig{
			Key: fmt.Sprintf("b3x%d", i), Name: n, Kind: "building", Building: "b3", Platform: "console", Chat: n, Mode: "confirm",
		})
	}
	return append([]string{"3栋居民群"}, names...)
}

// messages splits console output into messages ("[GROUP] text" and its
// indented continuation lines).
func messages(out string) []string {
	var msgs []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if strings.HasPrefix(l, "  ") && len(msgs) > 0 {
			msgs[len(msgs)-1] += "\n" + l
			continue
		}
		msgs = append(msgs, l)
	}
	return msgs
}

func countPrefix(msgs []string, prefix string) int {
	n := 0
	for _, m := range msgs {
		if strings.HasPrefix(m, prefix) {
			n++
		}
	}
	return n
}

// TestStoryPavilionPoll: a captain polls three groups of his building on three
// pavilion designs; 100 residents vote, with double votes, changes,
// withdrawals, invalid options, too many choices and out-of-scope voters; the
// deadline passes and every group gets the same result; late votes are refused.
func TestStoryPavilionPoll(t *testing.T) {
	s := newStory(t)
	groups := addB3Groups(s.cfg)
	options := []string{"中式凉亭", "现代廊架", "木质花架"}

	var sc strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&sc, format+"\n", args...) }
	line(":in 3栋居民群")
	line(":as 居民甲")
	line("#投票 我也想发起投票\\\n甲\\\n乙")
	line(":as 张楼长")
	line("#投票 凉亭设计方案\\\n1. %s\\\n2. %s\\\n3. %s\\\n截止 12月1日20:00\\\n范围 3栋", options[0], options[1], options[2])

	final := map[string]int{}    // resident → the option that counts (0: none)
	refusals := map[string]int{} // reply text → how many times
	for i := 1; i <= 100; i++ {
		name := fmt.Sprintf("居民%03d", i)
		line(":in %s", groups[i%3])
		line(":as %s", name)
		choice := []int{1, 1, 2, 1, 3, 2, 1}[i%7]
		switch {
		case i%11 == 0: // an option that does not exist, then a good vote
			line("#投 %d", 7)
			refusals["没有第 7 项"]++
			line("#投 %d", choice)
		case i%17 == 0: // too many choices for a single-choice poll
			line("#投 1 2")
			refusals["最多选 1 项"]++
			line("/vote %d", choice)
		default:
			line("#投 %d", choice)
		}
		final[name] = choice
		if i%10 == 0 { // votes again, the same
			line("#投 %d", choice)
		}
		if i%9 == 0 { // changes their mind
			choice = choice%3 + 1
			line("#投票 P1 %d", choice)
			final[name] = choice
		}
		if i%13 == 0 { // withdraws
			line("#撤票")
			final[name] = 0
		}
		if i == 26 { // withdraws again: nothing to withdraw
			line("#撤票")
			refusals["无需撤票"]++
		}
		if i == 50 {
			line(":time 2026-11-30 09:05") // acknowledgements so far
		}
	}
	for _, n := range []string{"居民丙", "外人甲", "外人乙"} { // not members of the poll's groups
		line(":in 5号楼居民群")
		line(":as %s", n)
		line("#投票 P1 2")
		refusals["只限参与群的成员投"]++
	}
	line(":time 2026-11-30 09:10")
	line(":in 3栋二群")
	line(":as 居民002")
	line("#我的投票")
	line(":time 2026-12-01 18:30") // the 2-hour reminder
	line(":time 2026-12-01 20:00") // the deadline
	line(":in 3栋三群")
	line(":as 居民003")
	line("#投 2")
	refusals["已经结束"]++

	out := s.run(sc.String())
	if testing.Verbose() {
		t.Log(out)
	}
	msgs := messages(out)

	// The resident cannot start a poll.
	if !strings.Contains(msgs[0], "@居民甲 只有楼栋长") {
		t.Errorf("first message = %q, want the refusal to start a poll", msgs[0])
	}
	// The poll is announced in each of the three groups.
	for _, g := range groups {
		if n := countPrefix(msgs, "["+g+"] 【投票 P1】凉亭设计方案"); n != 1 {
			t.Errorf("%s: %d announcements, want 1", g, n)
		}
	}
	// Each refusal answered once, with its own reason.
	for text, n := range refusals {
		got := 0
		for _, m := range msgs {
			if strings.Contains(m, text) {
				got++
			}
		}
		if got != n {
			t.Errorf("%d replies containing %q, want %d", got, text, n)
		}
	}
	// Quiet groups: votes are acknowledged in a few messages, not one each.
	acks := 0
	for _, m := range msgs {
		if regexp.MustCompile(`^\[[^]]+\] 投票 P1：`).MatchString(m) {
			acks++
		}
	}
	if acks == 0 || acks > 2*len(groups) {
		t.Errorf("%d acknowledgement messages, want between 1 and %d", acks, 2*len(groups))
	}
	if n := countPrefix(msgs, "[@居民002] 您在投票 P1 投了："+fmt.Sprintf("%d. %s", final["居民002"], options[final["居民002"]-1])); n != 1 {
		t.Errorf("myvote answered %d times, want once", n)
	}
	// Expected result from the script's own model.
	counts := make([]int, 3)
	voters := 0
	for _, c := range final {
		if c > 0 {
			counts[c-1]++
			voters++
		}
	}
	eligible := 100 + 2 // the residents, the captain and 居民甲, who spoke in 3栋居民群
	var results []string
	for _, m := range msgs {
		if _, body, ok := strings.Cut(m, "] 【投票结果 P1】"); ok {
			results = append(results, body)
		}
		if strings.Contains(m, "提醒：投票 P1") && !strings.Contains(m, fmt.Sprintf("目前参与 %d/%d", voters, eligible)) {
			t.Errorf("reminder with the wrong turnout: %q", m)
		}
	}
	if len(results) != len(groups) {
		t.Fatalf("%d result messages, want %d", len(results), len(groups))
	}
	for _, r := range results[1:] {
		if r != results[0] {
			t.Errorf("groups got different results:\n%s\n---\n%s", results[0], r)
		}
	}
	for i, o := range options {
		if !strings.Contains(results[0], fmt.Sprintf("%d. %s：%d 票", i+1, o, counts[i])) {
			t.Errorf("result lacks %s: %d votes:\n%s", o, counts[i], results[0])
		}
	}
	best := slices.Index(counts, slices.Max(counts))
	if !strings.Contains(results[0], "胜出："+options[best]) || !strings.Contains(results[0], fmt.Sprintf("参与 %d/%d", voters, eligible)) {
		t.Errorf("result lacks the winner %s or the turnout %d/%d:\n%s", options[best], voters, eligible, results[0])
	}
	if n := countPrefix(msgs, "[3栋居民群] 提醒：投票 P1"); n != 1 {
		t.Errorf("%d reminders in 3栋居民群, want 1", n)
	}
	// The database agrees.
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()
	err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
		p, err := tx.FindPoll(1, 1)
		if err != nil {
			return err
		}
		got, ballots, err := tx.TallyPoll(p.ID, 3)
		if !slices.Equal(got, counts) || ballots != voters || p.Open() {
			t.Errorf("stored tally %v of %d ballots (state %s), want %v of %d, closed", got, ballots, p.State, counts, voters)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// handle sends one message through the engine, failing the test on an error.
func handle(t testing.TB, app *App, m bot.Message) {
	t.Helper()
	if m.Platform == "" {
		m.Platform = bot.Console
	}
	if m.UserName == "" {
		m.UserName = m.User
	}
	if err := app.Engine.Handle(context.Background(), m); err != nil {
		t.Fatalf("handle %q: %v", m.Text, err)
	}
}

var msgSeq struct {
	sync.Mutex
	n int
}

func nextID() string {
	msgSeq.Lock()
	defer msgSeq.Unlock()
	msgSeq.n++
	return fmt.Sprintf("t%d", msgSeq.n)
}

// pending returns the texts of the outbox not yet sent, oldest first.
func pending(t testing.TB, app *App) []storage.OutboxMessage {
	t.Helper()
	msgs, err := app.DB.PendingOutbox(context.Background(), bot.Console, time.Time{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// TestElectionTopTenOf53: 60 voters choose up to 10 of 53 candidates; the
// tally, the ranks (ties share a rank) and the elected (with a tie at the
// tenth place) match what the ballots say.
func TestElectionTopTenOf53(t *testing.T) {
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
	s := newStory(t)
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#投票 凉亭\n中式\n现代\n木质"})

	const n = 1000
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

// TestAnonymousPollKeepsNoLink: an anonymous poll files ballots under keys no
// voter id reads back, and once closed not even the voter can look theirs up.
func TestAnonymousPollKeepsNoLink(t *testing.T) {
	s := newStory(t)
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#投票 楼长信任投票\n信任\n不信任\n匿名\n一户一票"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#投 2"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民乙", ID: nextID(), Text: "#投 1"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "新邻居", ID: nextID(), Text: "#投 1"}) // no household registered
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#我的投票"})
	// Asked in the group, the choice goes to the voter alone; at the close it is scrubbed from the outbox.
	answered := false
	for _, m := range pending(t, app) {
		if strings.Contains(m.Text, "您在投票 P1 投了：2. 不信任") {
			answered = true
			if m.ChatKey != "" {
				t.Errorf("#我的投票 told the group %s: %q", m.ChatKey, m.Text)
			}
		}
	}
	if !answered {
		t.Error("#我的投票 was not answered privately")
	}
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "刘书记", ID: nextID(), Text: "#结束投票 P1"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#我的投票 P1"})
	handle(t, app, bot.Message{Chat: "社区工作群", User: "刘书记", ID: nextID(), Text: "#导出 P1"})

	var texts []string
	for _, m := range pending(t, app) {
		texts = append(texts, m.Text)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"需要先登记您家的房号", "已私信您", "选票已与投票人分开", "平票：信任、不信任", "option,text,votes,rank"} {
		if !strings.Contains(all, want) {
			t.Errorf("no message contains %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "voter,room") || strings.Contains(all, "投了：") {
		t.Errorf("an anonymous poll's export lists voters, or a receipt survived the close:\n%s", all)
	}
	err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
		if _, err := tx.Value("polls.secret.1"); err != storage.ErrNotFound {
			t.Errorf("the poll's secret survived its close: %v", err)
		}
		for _, key := range []string{"h:3栋2单元501", "h:3栋1单元302"} {
			if _, err := tx.FindBallot(1, key); err != storage.ErrNotFound {
				t.Errorf("ballot filed under the voter key %s", key)
			}
		}
		named, err := tx.NamedBallots(1)
		if len(named) != 0 {
			t.Errorf("named ballots of an anonymous poll: %v", named)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPollsConfigIsValidated(t *testing.T) {
	bad := strings.NewReplacer("ack_interval: 1m", "ack_interval: 1s", "reminders: [24h, 2h]", "reminders: [-2h]",
		"max_options: 60", "max_options: 1").Replace(string(qiao.ExampleConfig))
	cfg, err := ParseConfig([]byte(bad), func(string) (string, bool) { return "", false })
	if err == nil {
		t.Fatalf("accepted: %+v", cfg.Polls)
	}
	for _, key := range []string{"polls.ack_interval", "polls.reminders[0]", "polls.max_options"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not name %s: %v", key, err)
		}
	}
}
