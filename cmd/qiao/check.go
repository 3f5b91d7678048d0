package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// checkCmd runs the full integrity check on the database on demand: Qiao's
// start-up runs one only after an unclean shutdown. It reads every page
// (seconds a gigabyte) and changes nothing, so it can run beside the bot.
func checkCmd(ctx context.Context, cfg *Config, stdout io.Writer) error {
	start := time.Now()
	info, err := storage.CheckFile(ctx, cfg.Database)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "qiao check: %s is sound (integrity_check of %.1f MB, schema version %d, %s)\n",
		info.Path, float64(info.Size)/(1<<20), info.SchemaVersion, time.Since(start).Round(time.Millisecond))
	return err
}
