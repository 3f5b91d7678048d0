package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
)

// A page of updates handled with HandleBatch keeps its order, shares commits
// (100 messages: 2 group commits of at most 64, not 100 commits), isolates a
// refused or malformed message, and a redelivered page changes nothing.
func TestHandleBatchKeepsOrderAndSharesCommits(t *testing.T) {
	r := newRig(t, bot.FloodConfig{}, func(m *bot.Mux) {
		m.Handle(bot.Command{Name: "记下", Aliases: []string{"note"}, Kind: "command", Handler: func(c *bot.Context) error {
			if c.Args == "refuse" {
				return bot.Refuse(prompts.LangUsage, nil)
			}
			order, err := c.Tx.Value("order")
			if err != nil {
				order = ""
			}
			if err := c.Tx.SetValue("order", order+c.Args+","); err != nil {
				return err
			}
			return c.Reply(prompts.LangSet, nil)
		}})
	})
	ctx := context.Background()
	var page []bot.Message
	var want strings.Builder
	for i := range 100 {
		args := fmt.Sprint(i)
		if i == 40 {
			args = "refuse"
		} else {
			fmt.Fprintf(&want, "%d,", i)
		}
		page = append(page, bot.Message{Platform: bot.Telegram, Chat: "-100", User: "1001", UserName: "u",
			ID: fmt.Sprint("u", i), Text: "#note " + args})
	}
	page[70].ID = "" // malformed: refused on its own
	wantOrder := strings.Replace(want.String(), "70,", "", 1)

	before := r.db.WriteStats()
	errs := r.engine.HandleBatch(ctx, page)
	after := r.db.WriteStats()
	for i, err := range errs {
		if (err != nil) != (i == 70) {
			t.Errorf("message %d: err %v", i, err)
		}
	}
	if n := after.Commits - before.Commits; n > 3 {
		t.Errorf("%d commits for a page of 100, want the page to share group commits", n)
	}
	got, err := r.db.Value(ctx, "order")
	if err != nil || got != wantOrder {
		t.Fatalf("handled in the order %q (%v), want %q", got, err, wantOrder)
	}
	replies := r.outbox("1001")
	if len(replies) != 99 || count(replies, r.render(prompts.LangUsage, nil)) != 1 {
		t.Fatalf("%d replies (%d refusals), want 98 notes and 1 refusal", len(replies), count(replies, r.render(prompts.LangUsage, nil)))
	}
	// Telegram delivers the page again after a restart: nothing changes.
	r.engine.HandleBatch(ctx, page)
	if again, _ := r.db.Value(ctx, "order"); again != wantOrder || len(r.outbox("1001")) != 99 {
		t.Fatal("a redelivered page was handled again")
	}
}

// A batch larger than one group commit's bound is committed whole, with its
// checkpoint in the same transaction, counting the leading messages handled.
func TestHandleBatchStoresItsCheckpointInTheSameCommit(t *testing.T) {
	r := newRig(t, bot.FloodConfig{}, func(m *bot.Mux) {
		m.Handle(bot.Command{Name: "记下", Aliases: []string{"note"}, Kind: "command", Handler: func(c *bot.Context) error {
			if c.Args == "refuse" {
				return bot.Refuse(prompts.LangUsage, nil)
			}
			return c.Reply(prompts.LangSet, nil)
		}})
	})
	ctx := context.Background()
	var page []bot.Message
	for i := range 100 {
		page = append(page, bot.Message{Platform: bot.Telegram, Chat: "-100", User: "1001", UserName: "u",
			ID: fmt.Sprint("c", i), Text: fmt.Sprint("#note ", i)})
	}
	page[10].Text = "#note refuse" // refused politely: handled all the same
	page[70].ID = ""               // cannot be handled: the checkpoint stops before it
	var told []int
	cp := bot.Checkpoint{Key: "test.offset", Value: func(handled int) (string, bool) {
		told = append(told, handled)
		return fmt.Sprint(handled), true
	}}
	before := r.db.WriteStats()
	r.engine.HandleBatch(ctx, page, cp)
	if n := r.db.WriteStats().Commits - before.Commits; n != 1 {
		t.Errorf("%d commits for a batch of 100 with its checkpoint, want 1", n)
	}
	if got, err := r.db.Value(ctx, "test.offset"); err != nil || got != "70" {
		t.Errorf("checkpoint %q (%v), want 70: the messages before the one not handled", got, err)
	}
	if len(told) != 1 || told[0] != 70 {
		t.Errorf("Value called with %v, want [70]", told)
	}
	// Value may decline: nothing is stored.
	decline := bot.Checkpoint{Key: "test.none", Value: func(int) (string, bool) { return "", false }}
	r.engine.HandleBatch(ctx, page[:3], decline)
	if _, err := r.db.Value(ctx, "test.none"); err == nil {
		t.Error("a declined checkpoint was stored")
	}
}

// An empty batch commits nothing and leaves the group commit free for the next message.
func TestHandleBatchEmpty(t *testing.T) {
	r := newRig(t, bot.FloodConfig{}, func(m *bot.Mux) {})
	ctx := context.Background()
	cp := bot.Checkpoint{Key: "test.offset", Value: func(int) (string, bool) { return "1", true }}
	if errs := r.engine.HandleBatch(ctx, nil, cp); len(errs) != 0 {
		t.Fatalf("errs %v for an empty batch", errs)
	}
	if _, err := r.db.Value(ctx, "test.offset"); err == nil {
		t.Error("an empty batch stored a checkpoint")
	}
	done := make(chan error, 1)
	go func() {
		done <- r.engine.Handle(ctx, bot.Message{Platform: bot.Telegram, Chat: "-100", User: "1", UserName: "u", ID: "e1", Text: "hi"})
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A batch with a poisoned message (its handler writes, then fails) is run
// again with a savepoint per message: every other message is handled once, in
// order, the poisoned one leaves nothing but its dedupe mark and an answer, and
// the flood guard counts each message once although it ran twice.
func TestHandleBatchPoisonedMessage(t *testing.T) {
	r := newRig(t, bot.FloodConfig{PerMinute: 10}, func(m *bot.Mux) {
		m.Handle(bot.Command{Name: "记下", Aliases: []string{"note"}, Kind: "command", Handler: func(c *bot.Context) error {
			order, _ := c.Tx.Value("order")
			if err := c.Tx.SetValue("order", order+c.Args+","); err != nil {
				return err
			}
			if c.Args == "poison" {
				return errors.New("poisoned")
			}
			return nil
		}})
	})
	var page []bot.Message
	for i, args := range []string{"1", "2", "poison", "4", "5", "6", "7", "8", "9", "10"} {
		page = append(page, bot.Message{Platform: bot.Telegram, Chat: "-100", User: "1001", UserName: "u",
			ID: fmt.Sprint("p", i), Text: "#note " + args})
	}
	before := r.db.WriteStats()
	for i, err := range r.engine.HandleBatch(context.Background(), page) {
		if err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	}
	if st := r.db.WriteStats(); st.Retried-before.Retried != 1 {
		t.Errorf("%d batches retried, want 1", st.Retried-before.Retried)
	}
	if got, _ := r.db.Value(context.Background(), "order"); got != "1,2,4,5,6,7,8,9,10," {
		t.Errorf("order %q: each message once, the poisoned one rolled back", got)
	}
	// 10 messages at 10 a minute: had the retry counted them again, the last
	// ones would have been answered with the flood warning.
	replies := r.outbox("1001")
	if len(replies) != 1 || replies[0] != r.render(prompts.InternalError, nil) {
		t.Errorf("replies %q, want only the poisoned message's internal error", replies)
	}
}
