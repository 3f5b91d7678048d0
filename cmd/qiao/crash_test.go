package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCrashRecovery builds the real binary, feeds it a poll and a stream of
// suggestions, repairs and votes on stdin, kills it with SIGKILL at seeded
// random points, restarts it on the same database, and checks:
//   - every acknowledged request (its reply was printed) is stored exactly once,
//     and no request is stored twice;
//   - every acknowledged vote (its receipt was printed) is stored exactly once
//     (one voter row, one ballot) with the choice of the voter's last receipt,
//     every stored vote was acknowledged, and no vote was handled twice;
//   - every reply in the outbox is printed, and each outbox id, once a reader
//     drops ids it has seen, exactly once: delivery is at least once on the
//     wire (a kill between printing and recording prints again, with the same
//     id and text) and exactly once to a reader that de-duplicates by id;
//   - the database passes the start-up check after every kill.
//
// Lines fed to a process that dies before handling them were never
// acknowledged; like a user whose message got no answer, they are not retried.
func TestCrashRecovery(t *testing.T) {
	t.Parallel() // long and self-contained: overlaps the package's other tests
	if testing.Short() {
		t.Skip("runs the qiao binary many times")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.db")

	// Set-up, fed before the stream: a captain starts a poll in his building's
	// group, and the voters say hello there (so they are in its electorate).
	// The stream: suggestions and repairs from several people in several
	// groups, and votes on the poll (some voters change their vote), sent in
	// private chats, where each vote gets a receipt.
	const voters = 60
	setup := []string{":in 3栋居民群", ":as 张楼长", `#投票 崩溃测试投票\`, `1. 甲\`, `2. 乙\`, "3. 丙"}
	for v := range voters {
		setup = append(setup, fmt.Sprintf(":as 投票人%03d", v), "大家好")
	}
	groups := []string{"3栋居民群", "5号楼居民群", "交警大院群"}
	people := []string{"居民甲", "居民乙", "居民丙", "新邻居"}
	const units = 240
	var (
		script   []string
		votes    int
		fedVotes = map[int]int{} // voter → vote units in the stream
	)
	for i := range units {
		switch i % 4 {
		case 0:
			script = append(script, ":in "+groups[i%len(groups)], ":as "+people[i%len(people)],
				fmt.Sprintf("#建议 崩溃测试第%d条 多划停车位", i))
		case 1:
			script = append(script, ":in "+groups[i%len(groups)], ":as "+people[i%len(people)],
				fmt.Sprintf("#报修 崩溃测试第%d条 电梯坏了按钮没反应", i))
		default:
			v := votes % voters
			votes++
			fedVotes[v]++
			script = append(script, ":dm", fmt.Sprintf(":as 投票人%03d", v), fmt.Sprintf("#投票 P1 %d", 1+(i*7+v)%3))
		}
	}

	rng := rand.New(rand.NewPCG(8, 2026))
	var (
		printed  = map[int64]string{} // outbox id → text, first time seen
		prints   = map[int64]int{}
		acked    = map[int]bool{} // request number → its reply was printed
		pos      int              // the next unit to send
		kills    int
		reRef    = regexp.MustCompile(`崩溃测试第(\d+)条`)
		reVote   = regexp.MustCompile(`^\[@投票人(\d+)\] 已[投改]票 P1：(\d+)\.`)
		reHeader = regexp.MustCompile(`^<(\d+)> `)
	)
	record := func(id int64, text string) {
		prints[id]++
		if old, seen := printed[id]; seen && old != text {
			t.Errorf("outbox %d printed twice with different texts:\n%s\n%s", id, old, text)
		}
		printed[id] = text
		if m := reRef.FindStringSubmatch(text); m != nil {
			n, _ := strconv.Atoi(m[1])
			acked[n] = true
		}
	}
	// run starts the binary, feeds it setup and then the stream's units from
	// pos, at most window of them unanswered at a time (as people wait for an
	// answer), and kills it after killAfter printed messages (0: feed to the end
	// and let it exit).
	const window = 4
	run := func(setup []string, killAfter int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := qiaoCommand(ctx, "run", "-db", db, "-console-ids")
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		tokens := make(chan struct{}, window)
		for range window {
			tokens <- struct{}{}
		}
		stop := make(chan struct{})
		next := make(chan int, 1) // the first request not sent, when the feeder ends
		go func() {
			i := pos
			defer func() { next <- i }()
			if len(setup) > 0 {
				if _, err := io.WriteString(stdin, strings.Join(setup, "\n")+"\n"); err != nil {
					return
				}
			}
			for ; i < units; i++ {
				select {
				case <-tokens:
				case <-stop:
					return
				}
				if _, err := io.WriteString(stdin, strings.Join(script[3*i:3*i+3], "\n")+"\n"); err != nil {
					return
				}
			}
			if killAfter == 0 {
				stdin.Close()
			}
		}()
		var (
			cur    int64 = -1
			body   strings.Builder
			n      int
			killed bool
		)
		flush := func() {
			if cur >= 0 {
				record(cur, body.String())
				if reRef.MatchString(body.String()) || reVote.MatchString(body.String()) {
					select {
					case tokens <- struct{}{}:
					default:
					}
				}
			}
			cur = -1
			body.Reset()
		}
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if m := reHeader.FindStringSubmatch(line); m != nil {
				flush()
				cur, _ = strconv.ParseInt(m[1], 10, 64)
				body.WriteString(line[len(m[0]):])
				n++
				if killAfter > 0 && n >= killAfter && !killed {
					killed = true
					cmd.Process.Signal(syscall.SIGKILL)
				}
			} else if cur >= 0 {
				body.WriteString("\n" + line)
			}
		}
		flush() // each message is one write, so even a kill leaves whole messages
		err := cmd.Wait()
		close(stop)
		pos = <-next
		if killed {
			kills++
			return
		}
		if err != nil {
			t.Fatalf("final run: %v\n%s", err, stderr.String())
		}
		if pos != units {
			t.Fatalf("final run stopped feeding at %d of %d", pos, units)
		}
	}

	// The first kill comes after at least 3 printed messages: the poll's two and
	// the first unit's reply, which the console prints after the whole set-up.
	run(setup, 3+rng.IntN(30))
	for range 5 {
		if pos >= units {
			break
		}
		run(nil, 1+rng.IntN(30))
	}
	run(nil, 0)
	if kills < 3 {
		t.Fatalf("only %d kills happened; the stream is too short for the test", kills)
	}

	// Check the database against what was printed.
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	stored := map[int]int{}
	rows, err := raw.Query(`SELECT text FROM requests`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var text string
		rows.Scan(&text)
		if m := reRef.FindStringSubmatch(text); m != nil {
			n, _ := strconv.Atoi(m[1])
			stored[n]++
		}
	}
	rows.Close()
	for n, c := range stored {
		if c != 1 {
			t.Errorf("request %d stored %d times", n, c)
		}
	}
	for n := range acked {
		if stored[n] != 1 {
			t.Errorf("request %d was acknowledged but stored %d times", n, stored[n])
		}
	}

	// Votes: every voter with a receipt has exactly one voter row and one
	// ballot, holding the choice of their last receipt (by outbox id); every
	// stored vote got a receipt; no vote was counted twice.
	last, receipts := map[int]string{}, map[int]int{}
	for _, id := range slices.Sorted(maps.Keys(printed)) {
		if m := reVote.FindStringSubmatch(printed[id]); m != nil {
			v, _ := strconv.Atoi(m[1])
			last[v] = m[2]
			receipts[v]++
		}
	}
	storedVotes := map[int]int{}
	rows, err = raw.Query(`SELECT p.name, COALESCE(b.choices, '') FROM poll_voters v JOIN people p ON p.id = v.person_id
		LEFT JOIN ballots b ON b.poll_id = v.poll_id AND b.ballot_key = v.voter_key WHERE v.poll_id = 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, choices string
		rows.Scan(&name, &choices)
		v, err := strconv.Atoi(strings.TrimPrefix(name, "投票人"))
		if err != nil {
			t.Errorf("poll_voters has a vote by %q, who never voted", name)
			continue
		}
		storedVotes[v]++
		if _, ok := last[v]; !ok {
			t.Errorf("vote of 投票人%03d stored but never acknowledged", v)
		} else if choices != last[v] {
			t.Errorf("投票人%03d: ballot %q, last receipt said %q", v, choices, last[v])
		}
	}
	rows.Close()
	for v := range last {
		if storedVotes[v] != 1 {
			t.Errorf("投票人%03d was acknowledged but stored %d times", v, storedVotes[v])
		}
		if receipts[v] > fedVotes[v] {
			t.Errorf("投票人%03d got %d receipts for %d votes: a vote was handled twice", v, receipts[v], fedVotes[v])
		}
	}
	var ballots int
	raw.QueryRow(`SELECT COUNT(*) FROM ballots WHERE poll_id = 1`).Scan(&ballots)
	if ballots != len(storedVotes) {
		t.Errorf("%d ballots for %d voters", ballots, len(storedVotes))
	}
	acks := 0
	for _, n := range receipts {
		acks += n
	}

	var outbox, pending int
	raw.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE status <> 'sent') FROM outbox`).Scan(&outbox, &pending)
	if pending != 0 {
		t.Errorf("%d outbox messages not sent after the final run", pending)
	}
	if len(printed) != outbox {
		t.Errorf("%d distinct outbox ids printed, outbox has %d", len(printed), outbox)
	}
	resent := 0
	for _, c := range prints {
		resent += c - 1
	}
	t.Logf("%d kills; %d requests stored (%d acknowledged); %d of %d votes acknowledged, %d voters stored; %d replies; %d printed again after a kill",
		kills, len(stored), len(acked), acks, votes, len(storedVotes), outbox, resent)
	if requests := units - votes; len(stored) < requests/2 {
		t.Errorf("only %d of %d requests stored: the kills lost too much", len(stored), requests)
	}
	if acks < votes/2 {
		t.Errorf("only %d of %d votes acknowledged: the kills lost too much", acks, votes)
	}
}
