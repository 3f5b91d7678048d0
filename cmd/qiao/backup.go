package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// backupCmd is `qiao backup FILE`: a consistent copy of the configured database,
// safe while the bot runs. It refuses to overwrite FILE.
func backupCmd(ctx context.Context, cfg *Config, args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: qiao backup [-config FILE] [-db FILE] BACKUP_FILE")
	}
	db, err := storage.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, args[0]); err != nil {
		return err
	}
	info, err := storage.VerifyBackup(ctx, args[0])
	if err != nil {
		return fmt.Errorf("backup written but failed verification: %w", err)
	}
	_, err = fmt.Fprintf(out, "backup %s: %d bytes, schema version %d, verified, in %s\n",
		info.Path, info.Size, info.SchemaVersion, time.Since(start).Round(time.Millisecond))
	return err
}

// restoreCmd is `qiao restore FILE`: verify a backup and put it in place of the
// configured database, keeping the old one aside. Stop the bot first.
func restoreCmd(ctx context.Context, cfg *Config, args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: qiao restore [-config FILE] [-db FILE] BACKUP_FILE (stop the bot first)")
	}
	// Held through the restore and the first open: a bot started meanwhile
	// waits its turn instead of writing to the file being replaced.
	lock, err := storage.LockDatabase(cfg.Database)
	if err != nil {
		return fmt.Errorf("restore refused: %w", err)
	}
	defer lock.Unlock()
	aside, err := storage.Restore(ctx, args[0], cfg.Database, time.Now())
	if err != nil {
		return err
	}
	// Open once: migrates an older backup and runs the start-up check.
	db, err := storage.Open(ctx, cfg.Database)
	if err != nil {
		return fmt.Errorf("restored %s but cannot open it: %w", cfg.Database, err)
	}
	v, err := db.SchemaVersion(ctx)
	db.Close()
	if err != nil {
		return err
	}
	if aside != "" {
		_, err = fmt.Fprintf(out, "restored %s from %s (schema version %d); the previous database is kept as %s\n",
			cfg.Database, args[0], v, aside)
	} else {
		_, err = fmt.Fprintf(out, "restored %s from %s (schema version %d)\n", cfg.Database, args[0], v)
	}
	return err
}
