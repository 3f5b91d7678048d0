package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCrashRecovery builds the real binary, feeds it requests on stdin, kills
// it with SIGKILL at seeded random points, restarts it on the same database,
// and checks:
//   - every acknowledged request (its reply was printed) is stored exactly once,
//     and no request is stored twice;
//   - every reply in the outbox is printed, and each outbox id, once a reader
//     drops ids it has seen, exactly once: delivery is at least once on the
//     wire (a kill between printing and recording prints again, with the same
//     id and text) and exactly once to a reader that de-duplicates by id;
//   - the database passes the start-up check after every kill.
//
// Lines fed to a process that dies before handling them were never
// acknowledged; like a user whose message got no answer, they are not retried.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "qiao")
	build := exec.Command(gobin, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "crash.db")

	// The stream: suggestions from several people in several groups.
	groups := []string{"3栋居民群", "5号楼居民群", "交警大院群"}
	people := []string{"居民甲", "居民乙", "居民丙", "新邻居"}
	const requests = 240
	var script []string
	for i := range requests {
		script = append(script, ":in "+groups[i%len(groups)], ":as "+people[i%len(people)],
			fmt.Sprintf("#建议 崩溃测试第%d条 多划停车位", i))
	}

	rng := rand.New(rand.NewPCG(8, 2026))
	var (
		printed  = map[int64]string{} // outbox id → text, first time seen
		prints   = map[int64]int{}
		acked    = map[int]bool{} // request number → its reply was printed
		pos      int              // the next request to send
		kills    int
		reRef    = regexp.MustCompile(`崩溃测试第(\d+)条`)
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
	// run starts the binary and feeds requests from pos, at most window of them
	// unanswered at a time (as people wait for an answer), and kills it after
	// killAfter printed messages (0: feed to the end and let it exit).
	const window = 4
	run := func(killAfter int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "run", "-db", db, "-console-ids")
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
			for ; i < requests; i++ {
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
				if reRef.MatchString(body.String()) {
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
		if pos != requests {
			t.Fatalf("final run stopped feeding at %d of %d", pos, requests)
		}
	}

	for range 6 {
		run(1 + rng.IntN(30))
		if pos >= requests {
			break
		}
	}
	run(0)
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
	t.Logf("%d kills; %d requests stored (%d acknowledged); %d replies; %d printed again after a kill",
		kills, len(stored), len(acked), outbox, resent)
	if len(stored) < requests/2 {
		t.Errorf("only %d of %d requests stored: the kills lost too much", len(stored), requests)
	}
}
