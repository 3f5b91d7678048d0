package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// qiaoCommand runs this test binary as the qiao command (see TestMain): the
// real main, flags and signals, without compiling a second binary.
//
// Under -race a process sleeps a second before it exits (GORACE's
// atexit_sleep_ms, for reports from goroutines still running): a second of
// every child's life, and most children here live less. A race still makes
// the child exit with status 66, which the tests see.
func qiaoCommand(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
	return cmd
}

// TestSecondProcessAndRestoreAreRefusedWhileTheBotRuns runs the real binary
// on a database and checks that a second `qiao run` on it exits with a clear
// error, `qiao restore` refuses and leaves the database alone, `qiao backup`
// still works, and once the bot has exited the restore goes through.
func TestSecondProcessAndRestoreAreRefusedWhileTheBotRuns(t *testing.T) {
	t.Parallel() // long and self-contained: overlaps the package's other tests
	dir := t.TempDir()
	db := filepath.Join(dir, "q.db")
	backup := filepath.Join(dir, "backup.db")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	first := qiaoCommand(ctx, "run", "-db", db)
	stdin, _ := first.StdinPipe()
	stdout, _ := first.StdoutPipe()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	// A reply printed means the bot is up, and so holds the lock.
	io.WriteString(stdin, "#帮助\n")
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatalf("the first bot printed nothing: %v", sc.Err())
	}
	drained := make(chan struct{})
	go func() { io.Copy(io.Discard, stdout); close(drained) }()

	second := qiaoCommand(ctx, "run", "-db", db)
	second.Stdin = strings.NewReader("#帮助\n")
	out, err := second.CombinedOutput()
	if err == nil {
		t.Fatalf("a second bot on the same database ran:\n%s", out)
	}
	if !strings.Contains(string(out), "in use by another qiao process") {
		t.Errorf("second bot's error does not say why:\n%s", out)
	}

	if out, err := qiaoCommand(ctx, "backup", "-db", db, backup).CombinedOutput(); err != nil {
		t.Fatalf("backup while the bot runs: %v\n%s", err, out)
	}
	out, err = qiaoCommand(ctx, "restore", "-db", db, backup).CombinedOutput()
	if err == nil {
		t.Fatalf("restore under a running bot succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "restore refused") {
		t.Errorf("restore's error does not say why:\n%s", out)
	}
	if matches, _ := filepath.Glob(db + ".before-restore-*"); len(matches) > 0 {
		t.Errorf("a refused restore moved the database aside: %v", matches)
	}

	stdin.Close() // the console's EOF ends the bot
	<-drained
	if err := first.Wait(); err != nil {
		t.Fatalf("first bot: %v", err)
	}
	if out, err := qiaoCommand(ctx, "restore", "-db", db, backup).CombinedOutput(); err != nil {
		t.Fatalf("restore after the bot stopped: %v\n%s", err, out)
	}
}
