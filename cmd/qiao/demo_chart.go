package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// The demo's pavilion poll: 张楼长 asks 3栋 when the pavilion should be used,
// 22 residents vote (12, 7 and 3), and the poll closes at its deadline.
const (
	demoPoll     = "#投票 凉亭活动时间\n1. 周六上午在小区凉亭\n2. 周日下午\n3. 都可以\n截止 12月1日20:00"
	demoPollChat = "3栋居民群"
	demoCaptain  = "张楼长"
)

var demoVotes = []int{12, 7, 3}

// demoChartCmd runs the demo community's pavilion poll in a temporary
// database through the real engine and poll job, lets it close at its
// deadline and writes the chart the close posted (the README's picture):
//
//	qiao demo-chart -o docs/images/poll-chart.png
func demoChartCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("qiao demo-chart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "poll-chart.png", "where to write the chart (PNG)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig("")
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "qiao-demo-chart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.Database = filepath.Join(dir, "qiao.db")
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return err
	}
	clock := bot.NewVirtualClock(time.Date(2026, 11, 28, 10, 0, 0, 0, loc))
	app, err := NewApp(ctx, cfg, slog.New(slog.DiscardHandler), IO{In: strings.NewReader(""), Out: io.Discard}, clock)
	if err != nil {
		return err
	}
	defer app.Close()
	seq := 0
	say := func(user, text string) error {
		seq++
		return app.Engine.Handle(ctx, bot.Message{Platform: bot.Console, Chat: demoPollChat, User: user, UserName: user,
			ID: fmt.Sprint("demo-chart-", seq), Text: text, Time: clock.Now()})
	}
	if err := say(demoCaptain, demoPoll); err != nil {
		return err
	}
	voter := 0
	for option, n := range demoVotes {
		for range n {
			voter++
			clock.Advance(7 * time.Minute)
			if err := say(fmt.Sprintf("3栋居民%02d", voter), fmt.Sprintf("#投 %d", option+1)); err != nil {
				return err
			}
		}
	}
	// Past the deadline the poll job (scheduled every minute) closes it and posts the result.
	clock.Set(time.Date(2026, 12, 1, 20, 1, 0, 0, loc))
	if err := app.PollJobs.Tick(ctx, clock.Now()); err != nil {
		return err
	}
	png, err := closingChart(ctx, app)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, png, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d bytes, the chart posted into %s when P1 closed\n", *out, len(png), demoPollChat)
	return nil
}

// closingChart is the picture of the last message posted into the poll's group.
func closingChart(ctx context.Context, app *App) ([]byte, error) {
	msgs, err := app.DB.PendingOutbox(ctx, bot.Console, time.Time{}, 10000)
	if err != nil {
		return nil, err
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.ChatKey != demoPollChat || m.BlobID == 0 {
			continue
		}
		var b storage.Blob
		err := app.DB.View(ctx, func(tx *storage.Tx) (err error) {
			b, err = tx.FindBlob(m.BlobID)
			return err
		})
		return b.Data, err
	}
	return nil, errors.New("demo-chart: the poll's close posted no chart")
}
