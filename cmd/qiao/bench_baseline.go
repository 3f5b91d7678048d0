package main

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// bareSQLiteRate inserts rows one commit each into a fresh database at path,
// opened exactly as Qiao opens its own, and returns rows per second.
func bareSQLiteRate(ctx context.Context, path string, rows int) (float64, error) {
	defer func() {
		for _, s := range []string{"", "-wal", "-shm"} {
			os.Remove(path + s)
		}
	}()
	db, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bare (id INTEGER PRIMARY KEY, chat TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)`); err != nil {
		return 0, err
	}
	start := time.Now()
	for i := range rows {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bare (chat, text, at) VALUES (?, ?, ?)`, "chat-1", "今天天气不错", i); err != nil {
			tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return float64(rows) / time.Since(start).Seconds(), nil
}

// peakRSS is the process's peak resident set in kB (VmHWM), 0 where /proc is missing.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}
