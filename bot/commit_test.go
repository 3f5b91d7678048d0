package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// TestGroupCommitIsolatesMessages sends from many goroutines at once, so
// messages share transactions: each is still answered once, and a refused
// message's changes are rolled back without touching its neighbours'.
func TestGroupCommitIsolatesMessages(t *testing.T) {
	r := newRig(t, bot.FloodConfig{}, func(m *bot.Mux) {
		m.Handle(bot.Command{Name: "记下", Aliases: []string{"note"}, Kind: "command", Handler: func(c *bot.Context) error {
			if err := c.Tx.SetValue("note:"+c.Msg.ID, c.Args); err != nil {
				return err
			}
			if c.Args == "refuse" {
				return bot.Refuse(prompts.LangUsage, nil)
			}
			return c.Reply(prompts.LangSet, nil)
		}})
	})
	ctx := context.Background()
	const senders, each = 8, 25
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				args := "keep"
				if i%5 == 0 {
					args = "refuse"
				}
				m := bot.Message{Platform: bot.Telegram, Chat: "-100", User: fmt.Sprint(1000 + s), UserName: "u",
					ID: fmt.Sprintf("%d-%d", s, i), Text: "#note " + args}
				if err := r.engine.Handle(ctx, m); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	set := r.render(prompts.LangSet, nil)
	usage := r.render(prompts.LangUsage, nil)
	for s := range senders {
		got := r.outbox(fmt.Sprint(1000 + s))
		if count(got, set) != each-each/5 || count(got, usage) != each/5 || len(got) != each {
			t.Errorf("sender %d: %d replies (%d done, %d refused), want %d and %d", s, len(got), count(got, set), count(got, usage), each-each/5, each/5)
		}
		for i := range each {
			v, err := r.db.Value(ctx, fmt.Sprintf("note:%d-%d", s, i))
			switch {
			case i%5 == 0 && err != storage.ErrNotFound:
				t.Errorf("refused message %d-%d left a change: %q, %v", s, i, v, err)
			case i%5 != 0 && (err != nil || v != "keep"):
				t.Errorf("message %d-%d: %q, %v", s, i, v, err)
			}
		}
	}
}
