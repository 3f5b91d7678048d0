package main

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	qiao "github.com/qiao-community/qiao"
	"github.com/qiao-community/qiao/storage"
)

func TestRetentionConfig(t *testing.T) {
	parse := func(retention string) (*Config, error) {
		return ParseConfig([]byte(strings.Replace(string(qiao.ExampleConfig),
			"  outbox_delivered: 720h\n", retention, 1)), func(string) (string, bool) { return "", false })
	}
	cfg, err := parse("  outbox_delivered: 48h\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := (storage.Retention{OutboxDelivered: 48 * time.Hour, Inbound: 720 * time.Hour}); cfg.Retention != want {
		t.Errorf("retention = %+v, want %+v", cfg.Retention, want)
	}
	if _, err := parse("  outbox_delivered: -1h\n"); err == nil || !strings.Contains(err.Error(), "retention.outbox_delivered: must not be negative") {
		t.Errorf("negative retention: err = %v", err)
	}
}

// The retention job runs with the others, on the configured retention: with
// two days' retention, three days later the first day's traffic is gone, and
// what the scheduled notices need is kept. (The default, 30 days, is
// TestRetentionConfig's; a month of every job's runs proved nothing more.)
func TestRetentionJobPrunesOldTraffic(t *testing.T) {
	s := newStory(t)
	s.cfg.Retention = storage.Retention{OutboxDelivered: 48 * time.Hour, Inbound: 48 * time.Hour}
	s.run("大家好\n#帮助\n")
	raw, err := sql.Open("sqlite", "file:"+s.db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	count := func(query string) int {
		t.Helper()
		var n int
		if err := raw.QueryRowContext(context.Background(), query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	firstDay := "created_at < " + strconv.FormatInt(storyStart.Add(24*time.Hour).Unix(), 10)
	if n := count("SELECT COUNT(*) FROM inbound"); n != 2 {
		t.Fatalf("%d inbound marks after two messages, want 2", n)
	}
	if n := count("SELECT COUNT(*) FROM outbox WHERE " + firstDay); n == 0 {
		t.Fatal("the first day sent nothing")
	}
	s.run(":time 2026-12-02 05:00\n") // the job's run at 04:15 keeps 48 h: the first day's traffic
	if n := count("SELECT COUNT(*) FROM inbound"); n != 2 {
		t.Fatalf("%d inbound marks after two days, want 2 (younger than the retention)", n)
	}
	s.run(":time 2026-12-03 05:00\n")
	if n := count("SELECT COUNT(*) FROM inbound"); n != 0 {
		t.Errorf("%d inbound marks three days later, want 0", n)
	}
	if n := count("SELECT COUNT(*) FROM outbox WHERE text <> '' AND " + firstDay); n != 0 {
		t.Errorf("%d first-day outbox rows still carry text three days later", n)
	}
	if n := count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'"); n != 0 {
		t.Errorf("%d rows not delivered", n)
	}
}
