package main

import (
	"context"
	"time"
)

// prune is the retention job: delivered outbox rows and inbound dedupe marks
// older than the config's retention are deleted (undelivered rows never).
func (a *App) prune(ctx context.Context, now time.Time) error {
	p, err := a.DB.Prune(ctx, now, a.Config.Retention)
	if err != nil {
		return err
	}
	a.Log.Info("retention: pruned", "outbox_deleted", p.Outbox, "outbox_blanked", p.Blanked, "inbound_deleted", p.Inbound)
	return nil
}
