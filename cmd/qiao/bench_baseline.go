package main

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"sync"
	"sync/atomic"
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
func peakRSS() int64 { return procStatus("VmHWM:")[0] >> 10 }

// median is the middle of xs (the mean of the two middle ones for an even count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// walWatch samples the size of a database's WAL until stopped and keeps the peak.
type walWatch struct {
	peak atomic.Int64
	stop chan struct{}
	once sync.Once
	done sync.WaitGroup
}

func watchWAL(db *storage.DB) *walWatch {
	w := &walWatch{stop: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if n := db.WALSize(); n > w.peak.Load() {
				w.peak.Store(n)
			}
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

// Stop ends the sampling and returns the peak in bytes.
func (w *walWatch) Stop() int64 {
	w.once.Do(func() { close(w.stop) })
	w.done.Wait()
	return w.peak.Load()
}
