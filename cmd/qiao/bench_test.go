package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

// BenchmarkSuggestion routes and handles one #建议 through the demo App's
// Engine over a real SQLite file: the request row, the reply in the outbox, one commit.
func BenchmarkSuggestion(b *testing.B) {
	cfg, err := loadConfig("")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Database = filepath.Join(b.TempDir(), "qiao.db")
	cfg.Console.Enabled = new(bool)
	app, err := NewApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), IO{}, bot.NewVirtualClock(storyStart))
	if err != nil {
		b.Fatal(err)
	}
	defer app.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m := bot.Message{Platform: bot.Console, Chat: "3栋居民群", User: fmt.Sprintf("u%d", i%200), UserName: fmt.Sprintf("u%d", i%200),
			ID: fmt.Sprint(i), Text: "#建议 交警大院划一些停车位"}
		if err := app.Engine.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}
