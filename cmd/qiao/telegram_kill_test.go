package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	qiao "github.com/qiao-community/qiao"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

// TestTelegramPageSurvivesKill9 runs the real binary on a fake Bot API, gives
// it a page of 12 suggestions, and kills it with SIGKILL once the page is
// committed and before the next getUpdates confirmed it (the fake holds that
// call). At that moment the stored offset names exactly the page's last
// update, because it was written in the page's own transaction. Telegram
// then delivers the whole page again to the restarted bot, which changes
// nothing: every suggestion is stored once and answered once.
func TestTelegramPageSurvivesKill9(t *testing.T) {
	t.Parallel() // runs the binary: overlaps the package's other tests
	if testing.Short() {
		t.Skip("runs the qiao binary")
	}
	s := newTelegramStory(t)
	db, fake := s.cfg.Database, s.fake
	config := filepath.Join(t.TempDir(), "qiao.yaml")
	if err := os.WriteFile(config, telegramConfig(t, fake.URL), 0o600); err != nil {
		t.Fatal(err)
	}
	const page = 12
	var last int64
	for i := range page {
		last = fake.Push(telegramtest.Message(tgGroup3, telegramtest.User(int64(600+i%7), fmt.Sprint("居民", i%7)), i+1,
			fmt.Sprintf("#建议 第%d条 楼道装灯", i)))
	}
	fake.HoldUpdatesAfter(1) // the page's confirmation never arrives

	killed := startQiao(t, config, db)
	fake.WaitFor(t, "the next getUpdates after the page", func() bool { return fake.Held() == 1 })
	if err := killed.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed.Wait()
	if n := fake.Pending(); n != page {
		t.Fatalf("%d updates unconfirmed after the kill, want the page of %d", n, page)
	}
	raw := openRO(t, db)
	defer raw.Close()
	if got := kvOffset(t, raw); got != fmt.Sprint(last) {
		t.Errorf("offset after the kill %q, want %d: the page's last update, stored with it", got, last)
	}
	if n := countRows(t, raw, `SELECT COUNT(*) FROM inbound WHERE platform = 'telegram'`); n != page {
		t.Errorf("%d messages recorded before the kill, want %d", n, page)
	}

	// The restart (in this process, on the same file): the page comes again.
	fake.HoldUpdatesAfter(0)
	app := s.app(nil, io.Discard)
	stop := s.receive(app, app.Engine)
	fake.WaitConfirmed(t, last)
	next := fake.Push(telegramtest.Message(tgGroup3, tgJia, page+1, "#建议 重启以后的一条"))
	fake.WaitConfirmed(t, next)
	stop()

	if n := countRows(t, raw, `SELECT COUNT(*) FROM requests`); n != page+1 {
		t.Errorf("%d requests stored, want %d (each once)", n, page+1)
	}
	if n := countRows(t, raw, `SELECT COUNT(DISTINCT text) FROM requests`); n != page+1 {
		t.Errorf("%d distinct requests, want %d", n, page+1)
	}
	if n := countRows(t, raw, `SELECT COUNT(*) FROM outbox WHERE platform = 'telegram' AND chat_key = '-1003'`); n != page+1 {
		t.Errorf("%d replies in the group, want %d (each once)", n, page+1)
	}
	if got := kvOffset(t, raw); got != fmt.Sprint(next) {
		t.Errorf("offset %q, want %d", got, next)
	}
}

// telegramConfig is the demo config with 3栋居民群 on a fake Telegram and
// no console.
func telegramConfig(t *testing.T, apiURL string) []byte {
	t.Helper()
	s := string(qiao.ExampleConfig)
	for _, r := range [][2]string{
		{"  # Off in the demo. Turn on once a token is set.\n  enabled: false", "  enabled: true"},
		{"api_url: https://api.telegram.org", "api_url: " + apiURL},
		{"poll_seconds: 50", "poll_seconds: 2"},
		{"{key: b3, name: 3栋居民群, kind: building, building: b3}",
			`{key: b3, name: 3栋居民群, kind: building, building: b3, platform: telegram, chat: "-1003", mode: "off"}`},
		{"console:\n  enabled: true", "console:\n  enabled: false"},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("config.example.yaml no longer has %q", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	return []byte(s)
}

func startQiao(t *testing.T, config, db string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := qiaoCommand(ctx, "run", "-config", config, "-db", db)
	cmd.Env = append(cmd.Env, "TELEGRAM_TOKEN="+telegramtest.Token)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("qiao's log:\n%s", stderr.String())
		}
	})
	return cmd
}

func openRO(t *testing.T, db string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func countRows(t *testing.T, raw *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func kvOffset(t *testing.T, raw *sql.DB) string {
	t.Helper()
	var v string
	if err := raw.QueryRow(`SELECT value FROM kv WHERE key = 'telegram.update_offset'`).Scan(&v); err != nil {
		t.Fatalf("offset: %v", err)
	}
	return v
}
